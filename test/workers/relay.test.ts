import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { pino } from 'pino';
import { installationId } from '../../db/installation.ts';
import { outbox } from '../../db/tables.ts';
import { openQueues, producerConnection, queueNamespace } from '../../workers/queues.ts';
import { startWorkerRuntime, type WorkerRuntime } from '../../workers/runtime.ts';
import { jobIdOf } from '../helpers/outbox-mail.ts';
import { startReadingRoom, type TestReadingRoom } from '../helpers/reading-room.ts';
import { SmtpSink } from '../helpers/smtp-sink.ts';
import { commitMails, quietLog, startPipeline, testPolicy, verificationMail } from '../helpers/workers.ts';

// What the relay does when BullMQ already holds a job under the id it publishes: BullMQ's add
// answers as if it had added the job, so without a look first the row would wait for ever.

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitUntil(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

const METRICS_TOKEN = 'a metrics token for the relay test';

describe("a job id that holds another database's job", { timeout: 60_000 }, () => {
  let smtp: SmtpSink;
  let room: TestReadingRoom;
  let runtime: WorkerRuntime | undefined;
  const logLines: string[] = [];

  before(async () => {
    smtp = await SmtpSink.start();
    room = await startReadingRoom({ running: true, env: { SMTP_URL: smtp.url, METRICS_TOKEN } });
  });
  after(async () => {
    await Promise.all(Object.values(runtime?.queues ?? {}).map((q) => q.obliterate({ force: true }).catch(() => undefined)));
    await runtime?.close(3_000);
    await room.close();
    await smtp.stop();
  });

  const notTakenGauge = async () => {
    const response = await room.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    assert.equal(response.statusCode, 200);
    return Number(/^outbox_rows_not_taken (\d+)$/m.exec(response.body)?.[1]);
  };

  it('is not marked dispatched: the log and /metrics say so, and the row goes once the id is free', async () => {
    await commitMails(room.db, [verificationMail(51)]);
    const row = (await room.db.select().from(outbox))[0];
    assert.ok(row);
    const jobId = await jobIdOf(room.db, row.id);
    // Another database's job under this very id, waiting in the queue (paused: no worker takes it).
    const connection = producerConnection(room.config);
    const queues = openQueues(connection, queueNamespace(room.config.queuePrefix, await installationId(room.db)), quietLog);
    await queues.notifications.pause();
    await queues.notifications.add('verify-email', { outboxId: 999, key: 'ffffffff' }, { jobId });

    const log = pino({ level: 'warn' }, { write: (line: string) => void logLines.push(line) });
    runtime = await startWorkerRuntime({ config: room.config, db: room.db, clock: () => new Date(), log, policy: testPolicy });
    await waitUntil(async () => (await room.db.select().from(outbox).where(eq(outbox.id, row.id)))[0]?.notTaken != null, 'the refusal to be recorded');

    const stored = (await room.db.select().from(outbox).where(eq(outbox.id, row.id)))[0];
    assert.equal(stored?.dispatchCount, 0, 'not counted as dispatched');
    assert.match(stored?.notTaken ?? '', new RegExp(`job ${jobId} .*belongs to another database`));
    assert.equal(await notTakenGauge(), 1);
    const logged = logLines.filter((l) => l.includes('BullMQ did not take'));
    assert.equal(logged.length, 1, 'said once in the log');
    assert.match(logged[0] ?? '', /installation:renew/);

    // The other job goes away; at the end of the lease the row is published and sent.
    await queues.notifications.remove(jobId);
    await queues.notifications.resume();
    await Promise.all(Object.values(queues).map((q) => q.close()));
    connection.disconnect();
    await smtp.waitFor(1, testPolicy.leaseMs + 10_000);
    assert.equal(smtp.messages[0]?.messageId, `<${jobId}@localhost>`);
    await waitUntil(async () => (await room.db.select().from(outbox).where(eq(outbox.id, row.id)))[0]?.outcome === 'sent', 'the send record');
    assert.equal(await notTakenGauge(), 0);
  });
});

describe('a job that failed every attempt', { timeout: 60_000 }, () => {
  it('is retried when its lease runs out, and its mail then arrives once', async () => {
    const smtp = await SmtpSink.start();
    smtp.refuseWith = 451;
    const pipeline = await startPipeline({ smtpUrl: smtp.url, policy: { ...testPolicy, attempts: 2, backoffMs: 50 } });
    try {
      await commitMails(pipeline.db, [verificationMail(61)]);
      const jobId = await jobIdOf(pipeline.db, 1);
      const notifications = pipeline.runtime?.queues.notifications;
      assert.ok(notifications);
      for (let i = 0; i < 100 && (await notifications.getJobState(jobId)) !== 'failed'; i++) await sleep(50);
      assert.equal(await notifications.getJobState(jobId), 'failed', 'both attempts were refused');

      smtp.refuseWith = undefined;
      await smtp.waitFor(1, testPolicy.leaseMs + 10_000);
      await sleep(testPolicy.pollMs * 5);
      assert.equal(smtp.messages.length, 1);
      assert.equal((await pipeline.db.select().from(outbox))[0]?.outcome, 'sent');
    } finally {
      await pipeline.close();
      await smtp.stop();
    }
  });
});

describe('a job id whose key holds what is not a job of ours', { timeout: 60_000 }, () => {
  it('is not taken, the relay goes on with the other rows, and the row goes once the key is free', async () => {
    const smtp = await SmtpSink.start();
    const pipeline = await startPipeline({ smtpUrl: smtp.url, workers: false });
    const connection = producerConnection(pipeline.config);
    const queues = openQueues(connection, queueNamespace(pipeline.config.queuePrefix, await installationId(pipeline.db)), quietLog);
    try {
      await commitMails(pipeline.db, [verificationMail(71), verificationMail(72)]);
      // Another program's key, not JSON, exactly where the first row's job would go.
      const squatted = queues.notifications.toKey(await jobIdOf(pipeline.db, 1));
      await queues.notifications.waitUntilReady();
      await connection.hset(squatted, 'data', 'not json {');

      await pipeline.startWorkers();
      await smtp.waitFor(1);
      await waitUntil(async () => (await pipeline.db.select().from(outbox).where(eq(outbox.id, 1)))[0]?.notTaken != null, 'the refusal to be recorded');
      assert.deepEqual(
        smtp.messages.map((m) => (m.to && 'value' in m.to ? m.to.value[0]?.address : '')),
        ['reader72@example.org'],
        'the other row went out meanwhile',
      );

      await connection.del(squatted);
      await smtp.waitFor(2, testPolicy.leaseMs + 10_000);
      assert.equal(smtp.messages[1]?.messageId, `<${await jobIdOf(pipeline.db, 1)}@localhost>`);
    } finally {
      await Promise.all(Object.values(queues).map((q) => q.close()));
      connection.disconnect();
      await pipeline.close();
      await smtp.stop();
    }
  });
});
