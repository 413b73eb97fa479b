import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Sqlite from 'better-sqlite3';
import { closeDatabase, openDatabase } from '../db/client.ts';
import { runCli, startServer } from './helpers/fault-kit.ts';
import { uniqueQueuePrefix } from './helpers/workers.ts';

// Not under test:postgres: it is about the SQLite file's and its companions' modes on disk.

// What the reading room keeps on disk is for the account that runs it: the database, its -wal and
// -shm, the generated JWT secret, the mail written as files (live links in them) and backups are
// 0600, and the folders it makes for them 0700. Read from the disk, after the real programs wrote them.

const folder = mkdtempSync(join(tmpdir(), 'reading-room-files-'));
after(() => rmSync(folder, { recursive: true, force: true }));

const modeOf = (path: string) => (statSync(path).mode & 0o777).toString(8);

async function until<T>(what: string, look: () => T | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = look();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('files on disk', { timeout: 90_000 }, () => {
  it('npm start makes the database, its -wal and -shm, the JWT secret and mail files owner-only, in owner-only folders', async () => {
    const data = join(folder, 'started', 'data');
    const database = join(data, 'reading-room.sqlite');
    const server = await startServer({ DATABASE_PATH: database, QUEUE_PREFIX: uniqueQueuePrefix(), RUN_WORKERS: 'true' });
    try {
      // A registration: a write (the WAL is in use) and a verification mail, written as a file.
      const registered = await fetch(`${server.url}/api/v1/auth/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'files@example.org', password: 'twelve or more characters', name: 'A Reader' }),
      });
      assert.equal(registered.status, 202);
      const mail = join(data, 'mail');
      const eml = await until('the verification mail as a file', () => (existsSync(mail) ? readdirSync(mail).find((f) => f.endsWith('.eml')) : undefined));
      assert.deepEqual(
        {
          data: modeOf(data),
          database: modeOf(database),
          wal: modeOf(`${database}-wal`),
          shm: modeOf(`${database}-shm`),
          secret: modeOf(join(data, 'jwt-secret')),
          mail: modeOf(mail),
          eml: modeOf(join(mail, eml)),
        },
        { data: '700', database: '600', wal: '600', shm: '600', secret: '600', mail: '700', eml: '600' },
      );
    } finally {
      await server.stop();
    }
  });

  it('a database, -wal and -shm left readable by others (an older version made them 0644) are narrowed to 0600 when opened', async () => {
    const database = join(folder, 'older.sqlite');
    const old = new Sqlite(database);
    old.pragma('journal_mode = WAL');
    old.exec('create table t (x)');
    // Another connection keeps the WAL and its index in place while the files are widened.
    const holder = new Sqlite(database);
    holder.prepare('select count(*) from t').get();
    for (const file of [database, `${database}-wal`, `${database}-shm`]) chmodSync(file, 0o644);
    const db = openDatabase(database);
    try {
      assert.deepEqual([database, `${database}-wal`, `${database}-shm`].map(modeOf), ['600', '600', '600']);
    } finally {
      await closeDatabase(db);
      holder.close();
      old.close();
    }
  });

  it('npm run cli -- db:backup writes an owner-only copy, in an owner-only folder it makes', async () => {
    const database = join(folder, 'backed-up.sqlite');
    await closeDatabase(openDatabase(database));
    const backup = join(folder, 'backups', 'copy.sqlite');
    const { code, stderr } = await runCli(['db:backup', backup], { NODE_ENV: 'test', DATABASE_PATH: database }).exit;
    assert.equal(code, 0, stderr);
    assert.deepEqual([modeOf(join(folder, 'backups')), modeOf(backup)], ['700', '600']);
    const copy = new Sqlite(backup, { readonly: true });
    assert.equal(copy.pragma('integrity_check', { simple: true }), 'ok');
    copy.close();
  });

  it('a backup over an existing file readable by others leaves it owner-only', async () => {
    const database = join(folder, 'backed-up-again.sqlite');
    await closeDatabase(openDatabase(database));
    const backup = join(folder, 'wide-copy.sqlite');
    writeFileSync(backup, '', { mode: 0o644 });
    chmodSync(backup, 0o644);
    const { code, stderr } = await runCli(['db:backup', backup], { NODE_ENV: 'test', DATABASE_PATH: database }).exit;
    assert.equal(code, 0, stderr);
    assert.equal(modeOf(backup), '600');
  });
});
