import { closeDatabase, openDatabase } from '../../db/client.ts';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Sqlite from 'better-sqlite3';
import { resolveJwtSecret } from '../../src/accounts/jwt-secret.ts';
import { runScript } from '../helpers/child.ts';
import {
  callJson,
  checkFile,
  freshDatabase,
  makeResearchers,
  openContainerIds,
  requestIdsInSubmittedMails,
  runCli,
  signToken,
  sleep,
  startServer,
  visitDates,
  writerLines,
  type FaultDatabase,
} from '../helpers/fault-kit.ts';

// Not under test:postgres: db:backup copies the SQLite file (PostgreSQL is backed up with pg_dump).

// Issue 6, item 5: `npm run cli -- db:backup FILE` taken while another process writes. The backup
// opens, passes integrity_check, holds every request acknowledged before it began, and the command
// exits 0 within a bound; `npm start` on the backup serves what it holds (the restore).

const BACKUP_BOUND_MS = 15_000;

/** A fault-writer child submitting requests for `researchers` until SIGTERM. */
async function startWriter(file: FaultDatabase, pauseMs: number, researcherCount = 12) {
  const researchers = await makeResearchers(file.db, file.config, researcherCount, 'backup');
  const writer = runScript('test/helpers/fault-writer.ts', {
    DATABASE_PATH: file.path,
    RESEARCHER_IDS: researchers.map((r) => r.id).join(','),
    VISIT_DATES: (await visitDates(file.db, file.config)).join(','),
    CONTAINER_IDS: (await openContainerIds(file.db)).join(','),
    WRITER_NAME: `backup-${file.config.queuePrefix}`,
    PAUSE_MS: String(pauseMs),
  });
  const lines = writerLines(writer);
  await writer.printed('ready');
  writer.process.kill('SIGUSR2');
  return { writer, lines };
}

/** Runs the backup command, killed at the bound; resolves with its exit and how long it took. */
async function backup(file: FaultDatabase, target: string, boundMs: number) {
  const command = runCli(['db:backup', target], { NODE_ENV: 'test', DATABASE_PATH: file.path });
  const timer = setTimeout(() => command.process.kill('SIGKILL'), boundMs);
  const exit = await command.exit;
  clearTimeout(timer);
  return { ...exit, stdout: command.stdout() };
}

describe('npm run cli -- db:backup under write load, and a restore', () => {
  it('the backup opens, passes integrity_check and holds every request acknowledged before it began; npm start serves it', { timeout: 60_000 }, async (t) => {
    const file = await freshDatabase();
    const restoreFolder = join(file.folder, 'restored');
    mkdirSync(restoreFolder);
    const target = join(restoreFolder, 'reading-room.sqlite');
    const { writer, lines } = await startWriter(file, 10);
    await closeDatabase(file.db);
    try {
      const warmUp = Date.now() + 15_000;
      while (lines().acks.length < 50) {
        assert.ok(Date.now() < warmUp && writer.process.exitCode === null, `the writer is not writing: ${JSON.stringify(lines().errors.slice(0, 3))}`);
        await sleep(20);
      }
      const backupStartedAt = Date.now();
      const result = await backup(file, target, BACKUP_BOUND_MS);
      const backupEndedAt = Date.now();
      await sleep(200); // the writer goes on after the backup too
      writer.process.kill('SIGTERM');
      const writerExit = await writer.exit;
      assert.equal(writerExit.code, 0, writerExit.stderr);
      const { acks, errors } = lines();
      assert.deepEqual(errors, [], 'the writer never failed');

      assert.equal(result.signal, null, `db:backup did not finish within ${BACKUP_BOUND_MS} ms`);
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /^Backed up \d+ pages into /m);
      const during = acks.filter((a) => a.at >= backupStartedAt && a.at <= backupEndedAt).length;
      assert.ok(during > 0, 'the writer committed while the backup ran');

      assert.deepEqual(checkFile(target), { integrity: 'ok', foreignKeyViolations: 0 });
      const copy = new Sqlite(target, { fileMustExist: true, readonly: true });
      let sample: { id: number; researcherId: number; status: string; count: number };
      try {
        const stored = new Set((copy.prepare('select id from requests').all() as { id: number }[]).map((r) => r.id));
        const before = acks.filter((a) => a.at < backupStartedAt).flatMap((a) => a.ids ?? []);
        const missing = before.filter((id) => !stored.has(id));
        assert.deepEqual(missing, [], `${missing.length} of the ${before.length} requests acknowledged before the backup began are not in it`);
        // A snapshot, not a torn copy: whatever it holds, it holds whole.
        const withEvents = new Set((copy.prepare('select request_id as id from request_events').all() as { id: number }[]).map((r) => r.id));
        const copied = openDatabase(target);
        const mailed = await requestIdsInSubmittedMails(copied).finally(() => closeDatabase(copied));
        assert.deepEqual([...stored].filter((id) => !withEvents.has(id) || !mailed.has(id)), [], 'every request in the backup has its event and its mail');
        const lastBefore = before.at(-1) as number;
        const row = copy.prepare('select id, researcher_id as researcherId, status from requests where id = ?').get(lastBefore) as typeof sample;
        const count = copy.prepare('select count(*) as n from requests where researcher_id = ?').get(row.researcherId) as { n: number };
        sample = { ...row, count: count.n };
        t.diagnostic(
          `backup of ${result.stdout.match(/\d+/)?.[0]} pages in ${backupEndedAt - backupStartedAt} ms (process start included); ${before.length} requests acknowledged before it, ${during} writes during it, ${stored.size} in it`,
        );
      } finally {
        copy.close();
      }

      // The restore: `npm start` on the backup file, and a request read back over HTTP.
      const token = signToken(resolveJwtSecret({ jwtSecret: undefined, databasePath: target }), { id: sample.researcherId, role: 'researcher', tokenVersion: 0 });
      const server = await startServer({ DATABASE_PATH: target, QUEUE_PREFIX: `${file.config.queuePrefix}-restored` });
      try {
        const one = await callJson(`${server.url}/api/v1/requests/${sample.id}`, token, 'GET');
        assert.equal(one.status, 200, one.body);
        assert.deepEqual(
          (({ id, researcherId, status }) => ({ id, researcherId, status }))(JSON.parse(one.body)),
          { id: sample.id, researcherId: sample.researcherId, status: sample.status },
        );
        const mine = await callJson(`${server.url}/api/v1/requests?limit=100`, token, 'GET');
        assert.equal(mine.status, 200, mine.body);
        assert.equal(JSON.parse(mine.body).items.length, Math.min(sample.count, 100));
      } finally {
        const stopped = await server.stop();
        assert.equal(stopped.code, 0, stopped.stderr);
      }
    } finally {
      if (writer.process.exitCode === null) writer.process.kill('SIGKILL');
      await file.remove();
    }
  });

  // Copied step by step (better-sqlite3's default, 100 pages a step), an online backup starts over
  // whenever another connection writes between steps, and under steady writes never ends; the
  // command copies every page in one step (one read transaction in WAL mode).
  it(
    'a backup of a 60 MB database finishes within 8 s while another process writes about 100 times a second',
    { timeout: 60_000 },
    async () => {
      const file = await freshDatabase();
      // Some years of sign-ins' audit trail (about 60 MB), as a reading room accumulates it.
      const insert = file.db.$writer.$client.prepare("insert into security_events (at, kind, email, ip, detail) values (?, 'login_succeeded', ?, '10.0.0.1', ?)");
      const yearAgo = Date.now() - 365 * 86_400_000;
      file.db.$writer.$client.transaction(() => {
        for (let i = 0; i < 100_000; i++) insert.run(yearAgo + i, `reader-${i % 500}@example.org`, JSON.stringify({ userAgent: `Mozilla/5.0 ${'x'.repeat(480)}` }));
      })();
      file.db.$client.pragma('wal_checkpoint(TRUNCATE)');
      const { writer, lines } = await startWriter(file, 5);
      await closeDatabase(file.db);
      try {
        await sleep(300);
        const started = Date.now();
        const result = await backup(file, join(file.folder, 'backup.sqlite'), 8_000);
        assert.deepEqual(lines().errors, [], 'the writer wrote all along');
        assert.equal(result.signal, null, `db:backup was still copying after ${Date.now() - started} ms, ${lines().acks.length} writes later`);
        assert.equal(result.code, 0, result.stderr);
        assert.deepEqual(checkFile(join(file.folder, 'backup.sqlite')), { integrity: 'ok', foreignKeyViolations: 0 });
      } finally {
        writer.process.kill('SIGTERM');
        await writer.exit;
        await file.remove();
      }
    },
  );
});
