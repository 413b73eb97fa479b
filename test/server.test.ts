import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runScript } from './helpers/child.ts';
import { startServer as startListening } from './helpers/fault-kit.ts';
import { uniqueQueuePrefix } from './helpers/workers.ts';
import { testDatabase } from './helpers/postgres.ts';
import { freePort } from './helpers/redis-server.ts';

const folder = mkdtempSync(join(tmpdir(), 'reading-room-server-'));
const drops: (() => Promise<void>)[] = [];
after(async () => {
  for (const drop of drops) await drop();
  rmSync(folder, { recursive: true, force: true });
});

/**
 * A database of its own for one start: under test:postgres, a PostgreSQL database (DATABASE_URL,
 * dropped after the tests); on SQLite, nothing to add (the start's DATABASE_PATH is its file). The
 * data folder (jwt-secret, mail files) is DATABASE_PATH's folder on both engines.
 */
async function ownDatabase(): Promise<Record<string, string>> {
  const { env, drop } = await testDatabase(folder);
  drops.push(drop);
  return env.DATABASE_URL ? { DATABASE_URL: env.DATABASE_URL } : {};
}

/** `npm start`'s own command, as a child process with the given environment. */
async function startServer(env: Record<string, string>) {
  const { process: child, exit } = runScript('src/server.ts', { NODE_ENV: 'test', QUEUE_PREFIX: 'test-server', DATABASE_PATH: join(folder, 'server.sqlite'), ...(await ownDatabase()), ...env });
  return { child, exit };
}

describe('npm start', () => {
  it('exits non-zero within 10 s, with one line saying how to start Redis, when Redis does not answer', async () => {
    const { exit } = await startServer({ REDIS_URL: `redis://127.0.0.1:${await freePort()}`, PORT: String(await freePort()) });
    const { code, seconds, stderr } = await exit;
    assert.notEqual(code, 0);
    assert.ok(seconds < 10, `took ${seconds} s`);
    const lines = stderr.trim().split('\n');
    assert.equal(lines.length, 1, stderr);
    assert.match(lines[0] ?? '', /Redis does not answer at redis:\/\/127\.0\.0\.1:\d+.*redis-server/);
  });

  it('refuses a bad configuration with a clear message', async () => {
    const { exit } = await startServer({ PORT: 'abc' });
    const { code, stderr } = await exit;
    assert.equal(code, 1);
    assert.match(stderr, /Invalid configuration: PORT must be integer \(got "abc"\)/);
  });

  it('refuses TRUST_PROXY=true at start, in one line saying what to set', async () => {
    const { exit } = await startServer({ TRUST_PROXY: 'true' });
    const { code, stderr } = await exit;
    assert.equal(code, 1);
    assert.match(stderr.trim(), /^Invalid configuration: TRUST_PROXY=true would let any client choose its address .*TRUST_PROXY=1.*$/);
  });

  it('names the Redis it cannot reach without its credentials', async () => {
    const port = await freePort();
    const { exit } = await startServer({ REDIS_URL: `redis://reader:pw-in-userinfo@127.0.0.1:${port}/0?password=pw-in-query`, PORT: String(await freePort()) });
    const { code, stderr } = await exit;
    assert.notEqual(code, 0);
    assert.match(stderr, new RegExp(`Redis does not answer at redis://\\*\\*\\*@127\\.0\\.0\\.1:${port}/0\\?password=\\*\\*\\*`));
    assert.doesNotMatch(stderr, /pw-in-userinfo|pw-in-query|reader/);
  });

  it('migrates, seeds, listens, and shuts down on SIGTERM', async () => {
    const port = await freePort();
    const { child, exit } = await startServer({ PORT: String(port) });
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

  describe('what is readable on disk, and where mail goes', () => {
    const JWT_SECRET = 'a production secret of at least 32 characters';
    /** A data folder of its own whose jwt-secret file others can read (0644, as a careless copy leaves it). */
    function folderWithOpenSecret(name: string): { database: string; secret: string } {
      const data = join(folder, name);
      mkdirSync(data, { recursive: true });
      const secret = join(data, 'jwt-secret');
      writeFileSync(secret, 'a secret generated on a workstation, then copied');
      chmodSync(secret, 0o644);
      return { database: join(data, 'reading-room.sqlite'), secret };
    }

    it('refuses to start in production, in one line saying `chmod 600 <file>`, when the JWT secret file can be read by others', async () => {
      const { database, secret } = folderWithOpenSecret('open-secret-production');
      const { child, exit } = await startServer({ NODE_ENV: 'production', JWT_SECRET, SMTP_URL: 'smtp://127.0.0.1:2525', DATABASE_PATH: database, PORT: String(await freePort()) });
      const ended = await Promise.race([exit, new Promise<undefined>((r) => setTimeout(() => r(undefined), 15_000))]);
      if (!ended) child.kill('SIGKILL');
      assert.ok(ended, 'the server started instead of refusing');
      const { code, stderr } = ended;
      assert.equal(code, 1);
      const lines = stderr.trim().split('\n');
      assert.equal(lines.length, 1, stderr);
      assert.ok(lines[0]?.includes(`chmod 600 ${secret}`), stderr);
    });

    it('outside production, warns of a JWT secret file others can read, and starts', async () => {
      const { database, secret } = folderWithOpenSecret('open-secret-development');
      const server = await startListening({ NODE_ENV: 'development', DATABASE_PATH: database, ...(await ownDatabase()), QUEUE_PREFIX: uniqueQueuePrefix() });
      const { stderr } = await server.stop();
      assert.match(stderr, /^Warning: .*can be read by other users/m);
      assert.ok(stderr.includes(`chmod 600 ${secret}`), stderr);
    });

    it('in production without SMTP_URL, warns at start that mail is written as files and reaches no one', async () => {
      const server = await startListening({ NODE_ENV: 'production', JWT_SECRET, DATABASE_PATH: join(folder, 'no-smtp', 'reading-room.sqlite'), ...(await ownDatabase()), QUEUE_PREFIX: uniqueQueuePrefix() });
      const { stderr } = await server.stop();
      assert.match(stderr, /^Warning: SMTP_URL is not set.*written as a file in .*no-smtp\/mail.*reaches no one/m);
    });

    it('in production with SMTP_URL and a private secret, warns of neither', async () => {
      const server = await startListening({
        NODE_ENV: 'production',
        JWT_SECRET,
        SMTP_URL: 'smtp://127.0.0.1:2525',
        DATABASE_PATH: join(folder, 'quiet', 'reading-room.sqlite'),
        ...(await ownDatabase()),
        QUEUE_PREFIX: uniqueQueuePrefix(),
      });
      const { stderr } = await server.stop();
      assert.doesNotMatch(stderr, /Warning/);
    });
  });
});
