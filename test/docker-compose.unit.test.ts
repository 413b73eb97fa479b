import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parse } from 'yaml';

// docker-compose.yml brings up the whole system on a person's machine, Mailpit included, which
// shows every mail sent (password-reset links too). Nothing it publishes may be reachable from
// another machine.

interface Service {
  ports?: (string | number | { host_ip?: string; published?: string | number; target: number })[];
  network_mode?: string;
  profiles?: string[];
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  deploy?: { replicas?: number };
}
const compose = parse(readFileSync(new URL('../docker-compose.yml', import.meta.url), 'utf8')) as {
  services: Record<string, Service>;
  'x-environment': Record<string, string>;
};

const THIS_MACHINE = new Set(['127.0.0.1', '::1']);

/** The address a published port binds, or undefined for every interface (Compose's default). */
function boundAddress(port: NonNullable<Service['ports']>[number]): string | undefined {
  if (typeof port === 'number') return undefined;
  if (typeof port === 'object') return port.host_ip;
  const mapping = port.replace(/\/(tcp|udp)$/, '');
  const ipv6 = /^\[([^\]]+)\]:/.exec(mapping);
  if (ipv6) return ipv6[1];
  const parts = mapping.split(':');
  return parts.length === 3 ? parts[0] : undefined;
}

describe('docker-compose.yml', () => {
  it('publishes every port on this machine only (127.0.0.1), never on all interfaces', () => {
    const published = Object.entries(compose.services).flatMap(([name, service]) => (service.ports ?? []).map((port) => ({ name, port })));
    assert.ok(published.length > 0, 'the api and Mailpit are published');
    for (const { name, port } of published) {
      assert.ok(THIS_MACHINE.has(boundAddress(port) ?? ''), `${name} publishes ${JSON.stringify(port)} on every interface`);
    }
    for (const [name, service] of Object.entries(compose.services)) assert.notEqual(service.network_mode, 'host', `${name} shares the host's network`);
  });

  it("does not publish Mailpit's SMTP port: the api and the worker reach it over the compose network", () => {
    const mailpit = (compose.services.mailpit?.ports ?? []).map((port) => String(typeof port === 'object' ? port.target : port));
    assert.ok(mailpit.every((port) => !/(^|:)1025(\/tcp)?$/.test(port)), JSON.stringify(mailpit));
  });

  it('lets SMTP_URL name a real mail server instead of Mailpit', () => {
    assert.match(compose['x-environment'].SMTP_URL ?? '', /^\$\{SMTP_URL:-smtp:\/\/mailpit:1025\}$/);
  });

  it('has a scale profile: PostgreSQL, two API replicas behind a proxy and two workers, all on one database', () => {
    const scale = Object.entries(compose.services).filter(([, service]) => service.profiles?.includes('scale'));
    const apis = scale.filter(([, service]) => service.image === 'reading-room:latest' && service.command === undefined);
    assert.equal(apis.length, 2, 'two API replicas');
    for (const [, api] of apis) assert.match(api.environment?.DATABASE_URL ?? '', /^postgres:\/\/\S+@postgres:5432\//);
    const proxy = compose.services.proxy;
    assert.deepEqual(
      proxy?.command?.filter((_, i, all) => all[i - 1] === '--to'),
      apis.map(([name]) => `${name}:3000`),
      'the proxy sends to both replicas',
    );
    const workers = scale.filter(([, service]) => service.command?.join(' ') === 'npm run worker');
    assert.equal(workers.reduce((n, [, worker]) => n + (worker.deploy?.replicas ?? 1), 0), 2, 'two workers');
    for (const [, worker] of workers) assert.equal(worker.environment?.DATABASE_URL, apis[0]![1].environment?.DATABASE_URL);
    assert.ok(compose.services.postgres?.profiles?.includes('scale'));
  });
});
