import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { like } from 'drizzle-orm';
import { onPostgres } from '../../db/engine.ts';
import { installationId } from '../../db/installation.ts';
import { outbox, scheduledRuns } from '../../db/tables.ts';
import { startWorkerRuntime, type WorkerRuntime } from '../../workers/runtime.ts';
import { makePerson, type Person } from '../helpers/people.ts';
import { libpqEnvironment, OwnPostgresDatabase } from '../helpers/postgres.ts';
import { startReadingRoom, type TestReadingRoom } from '../helpers/reading-room.ts';
import { SmtpSink } from '../helpers/smtp-sink.ts';
import { commitMails, quietLog, startPipeline, testPolicy, uniqueQueuePrefix, verificationMail, type TestPipeline } from '../helpers/workers.ts';

// Several databases on one Redis and one QUEUE_PREFIX: a database started over after `data/` was
// deleted, two installations side by side, a database restored from a backup. Each one's mail
// arrives once, and only its own work runs.

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The addressees of what arrived, with how often each arrived. */
function arrivals(smtp: SmtpSink): Map<string, number> {
  const counts = new Map<string, number>();
  for (const message of smtp.messages) {
    const to = message.to && 'value' in message.to ? (message.to.value[0]?.address ?? '') : '';
    counts.set(to, (counts.get(to) ?? 0) + 1);
  }
  return counts;
}

const MESSAGE_ID = /^<outbox-([0-9a-f]{12})-(\d+)-([0-9a-f]{8})@localhost>$/;

describe('two databases one after the other on the same Redis and prefix', { timeout: 60_000 }, () => {
  let smtp: SmtpSink;
  const pipelines: TestPipeline[] = [];
  before(async () => {
    smtp = await SmtpSink.start();
  });
  after(async () => {
    for (const pipeline of pipelines) await pipeline.close();
    await smtp.stop();
  });

  it("the second database's first mails arrive, once each, with Message-IDs the first never used", async () => {
    const queuePrefix = uniqueQueuePrefix();
    const first = await startPipeline({ smtpUrl: smtp.url, queuePrefix });
    pipelines.push(first);
    await commitMails(first.db, [verificationMail(1), verificationMail(2), verificationMail(3)]);
    await smtp.waitFor(3);
    await first.stopWorkers(); // its completed jobs stay in Redis, as after `npm start` is stopped
    const firstIds = new Set(smtp.messages.map((m) => m.messageId));

    // `rm -rf data`, then `npm start` again: a new database whose outbox counts from 1 again.
    const second = await startPipeline({ smtpUrl: smtp.url, queuePrefix });
    pipelines.push(second);
    assert.notEqual(await installationId(second.db), await installationId(first.db), 'each database is an installation of its own');
    await commitMails(second.db, [verificationMail(11), verificationMail(12), verificationMail(13)]);
    await smtp.waitFor(6);
    await sleep(1_000); // room for a duplicate to show up

    const secondMessages = smtp.messages.slice(3);
    assert.deepEqual(
      secondMessages.map((m) => (m.to && 'value' in m.to ? m.to.value[0]?.address : '')).sort(),
      ['reader11@example.org', 'reader12@example.org', 'reader13@example.org'],
    );
    assert.equal(smtp.messages.length, 6, 'nothing arrived twice');
    for (const message of secondMessages) {
      assert.ok(!firstIds.has(message.messageId), `${message.messageId} was not used by the first database`);
      const [, installation, outboxId] = MESSAGE_ID.exec(message.messageId ?? '') ?? [];
      assert.equal(installation, await installationId(second.db));
      assert.ok(Number(outboxId) <= 3, 'the second outbox numbered its rows from 1 again');
    }
    assert.deepEqual(
      (await second.db.select({ outcome: outbox.outcome }).from(outbox)).map((r) => r.outcome),
      ['sent', 'sent', 'sent'],
    );
  });
});

/** Friday 27 November 2026, 09:00 in New York: a pull time of a business day. */
const FRIDAY_PULL = new Date('2026-11-27T14:00:00Z');
/** A minute before it: the rooms' clock ticks every real minute, and a tick at the pull time before
 * the test's requests are in would run the day's paging run, empty, and leave none for them. */
const BEFORE_PULL = new Date('2026-11-27T13:59:00Z');
const MONDAY = '2026-11-30';

describe('two installations at once on one Redis and prefix', { timeout: 60_000 }, () => {
  let smtp: SmtpSink;
  const rooms: TestReadingRoom[] = [];
  const runtimes: WorkerRuntime[] = [];
  const queuePrefix = uniqueQueuePrefix();
  let now = BEFORE_PULL;

  before(async () => {
    smtp = await SmtpSink.start();
    for (let i = 0; i < 2; i++) {
      const room = await startReadingRoom({ env: { QUEUE_PREFIX: queuePrefix, SMTP_URL: smtp.url } });
      rooms.push(room);
      runtimes.push(await startWorkerRuntime({ config: room.config, db: room.db, clock: () => now, log: quietLog, policy: testPolicy }));
    }
  });
  after(async () => {
    for (const runtime of runtimes) {
      await Promise.all(Object.values(runtime.queues).map((q) => q.obliterate({ force: true }).catch(() => undefined)));
      await runtime.close(3_000);
    }
    for (const room of rooms) await room.close();
    await smtp.stop();
  });

  it("each one's mail arrives once", async () => {
    const [a, b] = rooms as [TestReadingRoom, TestReadingRoom];
    await commitMails(a.db, [verificationMail(21), verificationMail(22)]);
    await commitMails(b.db, [verificationMail(31), verificationMail(32)]);
    await smtp.waitFor(4);
    await sleep(1_000);
    assert.deepEqual(
      [...arrivals(smtp)].sort(),
      [
        ['reader21@example.org', 1],
        ['reader22@example.org', 1],
        ['reader31@example.org', 1],
        ['reader32@example.org', 1],
      ],
    );
  });

  it("each one's paging run runs once, on its own database, and mails its own staff", async () => {
    const already = smtp.messages.length;
    const staff: Person[] = [];
    for (const [i, room] of rooms.entries()) {
      const researcher = await makePerson(room, 'researcher', `reader-${i}`);
      staff.push(await makePerson(room, 'staff', `stacks-${i}`));
      const submitted = await researcher.call('POST', '/api/v1/requests', { visitDate: MONDAY, containerIds: [1 + i] });
      assert.equal(submitted.statusCode, 201, submitted.body);
    }
    // The pull time comes: each installation's scheduler has its own next tick of the rooms' clock waiting.
    now = FRIDAY_PULL;
    for (const runtime of runtimes) {
      const due = (await runtime.queues.paging?.getDelayed())?.filter((job) => job.name === 'reading-room-clock') ?? [];
      assert.equal(due.length, 1, `installation ${runtime.installation} has its own clock`);
      await due[0]?.promote();
    }
    await smtp.waitFor(already + 2 + 2); // two requests-submitted mails, two pick lists
    await sleep(1_000);

    const pickLists = smtp.messages.filter((m) => /pick list/i.test(m.subject ?? ''));
    assert.deepEqual(
      pickLists.map((m) => (m.to && 'value' in m.to ? m.to.value[0]?.address : '')).sort(),
      staff.map((s) => s.email).sort(),
      "one pick list to each installation's staff member",
    );
    for (const [i, room] of rooms.entries()) {
      const runs = await room.db.select({ key: scheduledRuns.key }).from(scheduledRuns).where(like(scheduledRuns.key, 'paging-run:%'));
      assert.deepEqual(runs.map((r) => r.key), ['paging-run:1:2026-11-27T09:00'], `installation ${i} ran its own paging run once`);
      const mail = pickLists.find((m) => m.to && 'value' in m.to && m.to.value[0]?.address === staff[i]?.email);
      assert.match(mail?.text ?? '', new RegExp(`Box ${1 + i}\\b`), "the pick list is its own database's");
      assert.doesNotMatch(mail?.text ?? '', new RegExp(`Box ${2 - i}\\b`));
    }
  });
});

describe('a database restored from a backup, on the same Redis', { timeout: 60_000 }, () => {
  let smtp: SmtpSink;
  let folder: string;
  const pipelines: TestPipeline[] = [];
  const restoredDatabases: OwnPostgresDatabase[] = [];
  before(async () => {
    smtp = await SmtpSink.start();
    folder = mkdtempSync(join(tmpdir(), 'reading-room-restore-'));
  });
  after(async () => {
    for (const pipeline of pipelines) await pipeline.close();
    for (const database of restoredDatabases) await database.drop();
    await smtp.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  /**
   * A backup as README says to take one, restored when asked: on SQLite the online backup
   * (`db:backup`'s), a file to start on; on PostgreSQL `pg_dump`, restored with `pg_restore` into a
   * database of its own.
   */
  async function backUp(pipeline: TestPipeline): Promise<{ restore(): Promise<Record<string, string>> }> {
    if (!onPostgres) {
      const file = join(folder, 'backup.sqlite');
      await pipeline.db.$client.backup(file);
      return { restore: async () => ({ DATABASE_PATH: file }) };
    }
    const dump = join(folder, 'backup.dump');
    execFileSync('pg_dump', ['--format=custom', `--file=${dump}`], { env: { ...process.env, ...libpqEnvironment(pipeline.config.databaseUrl!) } });
    return {
      async restore() {
        const database = await OwnPostgresDatabase.create();
        restoredDatabases.push(database);
        // pg_restore asks for a --dbname: the database's name alone, the rest (password included) from the environment.
        execFileSync('pg_restore', ['--exit-on-error', `--dbname=${database.name}`, dump], { env: { ...process.env, ...libpqEnvironment(database.url) } });
        return { DATABASE_PATH: join(folder, 'restored.sqlite'), DATABASE_URL: database.url };
      },
    };
  }

  it('sends nothing twice, records what the original sent after the backup, and sends its own new mail', async () => {
    const queuePrefix = uniqueQueuePrefix();
    const original = await startPipeline({ smtpUrl: smtp.url, queuePrefix, workers: false });
    pipelines.push(original);
    await commitMails(original.db, [verificationMail(41), verificationMail(42)]);
    // The backup holds these two mails, committed but not yet sent.
    const backup = await backUp(original);

    // The original goes on: it sends them, then more.
    await original.startWorkers();
    await smtp.waitFor(2);
    await commitMails(original.db, [verificationMail(43), verificationMail(44)]);
    await smtp.waitFor(4);
    await original.stopWorkers();

    // The original is lost; its backup is restored and started on the same Redis and prefix.
    const restored = await startPipeline({ smtpUrl: smtp.url, queuePrefix, databaseEnv: await backup.restore() });
    pipelines.push(restored);
    assert.equal(await installationId(restored.db), await installationId(original.db), 'a restored backup is the same installation');
    // Its outbox numbers its next rows 3 and 4 again, as the original did for 43 and 44.
    await commitMails(restored.db, [verificationMail(45), verificationMail(46)]);
    await smtp.waitFor(6);
    await sleep(testPolicy.pollMs * 5);

    assert.deepEqual(
      [...arrivals(smtp)].sort(),
      [41, 42, 43, 44, 45, 46].map((n) => [`reader${n}@example.org`, 1]),
      'every mail arrived once',
    );
    const rows = await restored.db.select({ id: outbox.id, outcome: outbox.outcome }).from(outbox).orderBy(outbox.id);
    assert.deepEqual(rows.map((r) => r.id), [1, 2, 3, 4]);
    assert.match(rows[0]?.outcome ?? '', /^sent \(recorded from the queue/, 'what the original sent is recorded, not sent again');
    assert.match(rows[1]?.outcome ?? '', /^sent \(recorded from the queue/);
    assert.deepEqual(rows.slice(2).map((r) => r.outcome), ['sent', 'sent']);
  });
});
