import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runScript, type Child } from '../helpers/child.ts';
import { startServer, type ServerChild } from '../helpers/fault-kit.ts';
import { testDatabase } from '../helpers/postgres.ts';
import { SmtpSink } from '../helpers/smtp-sink.ts';
import { uniqueQueuePrefix } from '../helpers/workers.ts';

// Several `npm start` and `npm run worker` on one installation, started together on a database that
// does not exist yet (on PostgreSQL, an empty one) and stopped in any order: each comes up, migrates
// and seeds once between them, and no mail is lost or doubled while one or another is away.

const register = (server: ServerChild, n: number) =>
  fetch(`${server.url}/api/v1/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: `reader${n}@example.org`, password: 'a long enough passphrase', name: `Reader ${n}` }),
  }).then((r) => r.status);

describe('API and worker processes in any order', { timeout: 120_000 }, () => {
  const folder = mkdtempSync(join(tmpdir(), 'reading-room-order-'));
  const children: { stop(): Promise<unknown> }[] = [];
  let smtp: SmtpSink | undefined;
  let database: Awaited<ReturnType<typeof testDatabase>> | undefined;
  after(async () => {
    for (const child of children) await child.stop();
    await smtp?.stop();
    await database?.drop();
    rmSync(folder, { recursive: true, force: true });
  });

  it('start together on a new database, and each can stop while the others go on', async () => {
    smtp = await SmtpSink.start();
    database = await testDatabase(folder);
    const env = { ...database.env, QUEUE_PREFIX: uniqueQueuePrefix(), SMTP_URL: smtp.url };
    const startWorker = (): Child & { stop(): Child['exit'] } => {
      const worker = runScript('workers/main.ts', { NODE_ENV: 'test', ...env });
      const stop = () => {
        if (worker.process.exitCode === null) worker.process.kill('SIGTERM');
        return worker.exit;
      };
      children.push({ stop });
      return { ...worker, stop };
    };
    // Two API processes and a worker at the same moment, none of them first.
    const worker = startWorker();
    const [first, second] = await Promise.all([startServer(env, 60_000), startServer(env, 60_000)]);
    children.push(first, second);
    const collections = (await (await fetch(`${second.url}/api/v1/collections`)).json()) as { items: { callNumber: string }[] };
    assert.deepEqual(
      collections.items.map((c) => c.callNumber),
      ['GEN MSS 238'],
      'the seed was made once',
    );

    assert.equal(await register(first, 1), 202);
    await smtp.waitFor(1, 30_000);
    assert.equal((await first.stop()).code, 0, 'one API process stops');
    assert.equal(await register(second, 2), 202, 'the other goes on');
    await smtp.waitFor(2, 30_000);
    assert.equal((await worker.stop()).code, 0, 'the worker stops');
    assert.equal(await register(second, 3), 202, 'with no worker running, requests are still accepted');
    const again = startWorker();
    await smtp.waitFor(3, 30_000);
    await new Promise((r) => setTimeout(r, 1_000)); // room for a duplicate to show up
    assert.deepEqual(smtp.messages.map((m) => (m.to && 'value' in m.to ? m.to.value[0]?.address : '')).sort(), ['reader1@example.org', 'reader2@example.org', 'reader3@example.org']);
    assert.equal((await second.stop()).code, 0);
    assert.equal((await again.stop()).code, 0);
  });
});
