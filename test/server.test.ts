import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runScript } from './helpers/child.ts';
import { freePort } from './helpers/redis-server.ts';

const folder = mkdtempSync(join(tmpdir(), 'reading-room-server-'));
after(() => rmSync(folder, { recursive: true, force: true }));

/** `npm start`'s own command, as a child process with the given environment. */
function startServer(env: Record<string, string>) {
  const { process: child, exit } = runScript('src/server.ts', { NODE_ENV: 'test', QUEUE_PREFIX: 'test-server', DATABASE_PATH: join(folder, 'server.sqlite'), ...env });
  return { child, exit };
}

describe('npm start', () => {
  it('exits non-zero within 10 s, with one line saying how to start Redis, when Redis does not answer', async () => {
    const { exit } = startServer({ REDIS_URL: `redis://127.0.0.1:${await freePort()}`, PORT: String(await freePort()) });
    const { code, seconds, stderr } = await exit;
    assert.notEqual(code, 0);
    assert.ok(seconds < 10, `took ${seconds} s`);
    const lines = stderr.trim().split('\n');
    assert.equal(lines.length, 1, stderr);
    assert.match(lines[0] ?? '', /Redis does not answer at redis:\/\/127\.0\.0\.1:\d+.*redis-server/);
  });

  it('refuses a bad configuration with a clear message', async () => {
    const { exit } = startServer({ PORT: 'abc' });
    const { code, stderr } = await exit;
    assert.equal(code, 1);
    assert.match(stderr, /Invalid configuration: PORT must be integer \(got "abc"\)/);
  });

  it('refuses TRUST_PROXY=true at start, in one line saying what to set', async () => {
    const { exit } = startServer({ TRUST_PROXY: 'true' });
    const { code, stderr } = await exit;
    assert.equal(code, 1);
    assert.match(stderr.trim(), /^Invalid configuration: TRUST_PROXY=true would let any client choose its address .*TRUST_PROXY=1.*$/);
  });

  it('names the Redis it cannot reach without its credentials', async () => {
    const port = await freePort();
    const { exit } = startServer({ REDIS_URL: `redis://reader:pw-in-userinfo@127.0.0.1:${port}/0?password=pw-in-query`, PORT: String(await freePort()) });
    const { code, stderr } = await exit;
    assert.notEqual(code, 0);
    assert.match(stderr, new RegExp(`Redis does not answer at redis://\\*\\*\\*@127\\.0\\.0\\.1:${port}/0\\?password=\\*\\*\\*`));
    assert.doesNotMatch(stderr, /pw-in-userinfo|pw-in-query|reader/);
  });

  it('migrates, seeds, listens, and shuts down on SIGTERM', async () => {
    const port = await freePort();
    const { child, exit } = startServer({ PORT: String(port) });
    let collections: { items: { callNumber: string }[] } | undefined;
    const deadline = Date.now() + 20_000;
    while (!collections && Date.now() < deadline) {
      try {
        collections = (await (await fetch(`http://127.0.0.1:${port}/api/v1/collections`)).json()) as typeof collections;
      } catch {
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    assert.deepEqual(collections?.items.map((c) => c.callNumber), ['GEN MSS 238']);
    child.kill('SIGTERM');
    const { code, seconds } = await exit;
    assert.equal(code, 0);
    assert.ok(seconds < 30);
  });
});
