import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isNotNull } from 'drizzle-orm';
import { installationId } from '../../db/installation.ts';
import { commit } from '../../db/transactions.ts';
import { outbox } from '../../db/tables.ts';
import { buildApp } from '../../src/app.ts';
import { createRedisProbe } from '../../src/redis.ts';
import { openQueues, producerConnection, queueNamespace } from '../../workers/queues.ts';
import { OutboxRelay } from '../../workers/relay.ts';
import { runScript } from '../helpers/child.ts';
import { OwnRedis } from '../helpers/redis-server.ts';
import { SmtpSink } from '../helpers/smtp-sink.ts';
import { commitMails, quietLog, startPipeline, testPolicy, verificationMail, type TestPipeline } from '../helpers/workers.ts';
import { jobIdOf, messageIdOf } from '../helpers/outbox-mail.ts';
import { databaseEnvOf } from '../helpers/postgres.ts';

const mails = (from: number, count: number) => Array.from({ length: count }, (_, i) => verificationMail(from + i));

/** Every committed mail's Message-ID, as the worker derives it. */
async function expectedMessageIds(pipeline: TestPipeline): Promise<string[]> {
  return (await Promise.all((await pipeline.db.select({ id: outbox.id }).from(outbox)).map((r) => messageIdOf(pipeline.db, r.id)))).sort();
}

async function assertEachArrivedOnce(smtp: SmtpSink, pipeline: TestPipeline) {
  const counts = smtp.countsByMessageId();
  assert.deepEqual([...counts.keys()].sort(), await expectedMessageIds(pipeline));
  assert.deepEqual([...counts.values()].filter((n) => n !== 1), [], 'no message twice');
}

/** Publishes the outbox's rows with a relay of its own (no worker), as a relay in another process would. */
async function publishWithoutWorkers(pipeline: TestPipeline): Promise<void> {
  const connection = producerConnection(pipeline.config);
  const installation = await installationId(pipeline.db);
  const queues = openQueues(connection, queueNamespace(pipeline.config.queuePrefix, installation), quietLog);
  const relay = new OutboxRelay(installation, pipeline.db, queues, connection, testPolicy, () => new Date(), quietLog);
  relay.wake();
  await relay.stop();
  await Promise.all(Object.values(queues).map((q) => q.close()));
  connection.disconnect();
}

describe('faults on the way from commit to mailbox', { timeout: 120_000 }, () => {
  it('Redis down while events are committed: the API still answers, and after Redis is back every message arrives once', async () => {
    const redis = await OwnRedis.start();
    const smtp = await SmtpSink.start();
    const pipeline = await startPipeline({ redisUrl: redis.url, smtpUrl: smtp.url });
    const probe = createRedisProbe({ redisUrl: redis.url });
    const app = await buildApp({ config: pipeline.config, db: pipeline.db, redis: probe, clock: () => new Date() });
    try {
      await redis.stop();
      await commitMails(pipeline.db, mails(1, 20));
      const ready = await app.inject({ method: 'GET', url: '/ready' });
      assert.equal(ready.statusCode, 200);
      assert.equal(ready.json().redis, 'down');
      assert.equal(smtp.messages.length, 0);

      await redis.restart();
      await smtp.waitFor(20, 30_000);
      await new Promise((r) => setTimeout(r, 1_000));
      await assertEachArrivedOnce(smtp, pipeline);
    } finally {
      await app.close();
      await probe.close();
      await pipeline.close();
      await smtp.stop();
      await redis.stop();
    }
  });

  it('the SMTP server refuses for a while: messages are retried with backoff and all arrive once it accepts', async () => {
    const smtp = await SmtpSink.start();
    smtp.refuseWith = 451;
    const pipeline = await startPipeline({ smtpUrl: smtp.url });
    try {
      await commitMails(pipeline.db, mails(1, 10));
      await new Promise((r) => setTimeout(r, 1_500));
      assert.equal(smtp.messages.length, 0);
      const job = await pipeline.runtime?.queues.notifications?.getJob(await jobIdOf(pipeline.db, 1));
      assert.ok((job?.attemptsMade ?? 0) >= 1, 'the first attempt was refused and is waiting to be retried');

      smtp.refuseWith = undefined;
      await smtp.waitFor(10, 30_000);
      await new Promise((r) => setTimeout(r, 500));
      await assertEachArrivedOnce(smtp, pipeline);
    } finally {
      await pipeline.close();
      await smtp.stop();
    }
  });

  it('the same outbox rows published twice (a relay crash between addBulk and marking) send no duplicate', async () => {
    const smtp = await SmtpSink.start();
    const pipeline = await startPipeline({ smtpUrl: smtp.url, workers: false });
    try {
      await commitMails(pipeline.db, mails(1, 10));
      await publishWithoutWorkers(pipeline);
      // The crash: the jobs are in Redis, but the rows were never marked dispatched.
      await commit(pipeline.db, (tx) => tx.update(outbox).set({ dispatchedAt: null }));
      await publishWithoutWorkers(pipeline);

      await pipeline.startWorkers();
      await smtp.waitFor(10);
      await new Promise((r) => setTimeout(r, 1_000));
      await assertEachArrivedOnce(smtp, pipeline);
    } finally {
      await pipeline.close();
      await smtp.stop();
    }
  });

  it('Redis restarted empty after rows were dispatched but before a worker ran them: every message still arrives, once', async () => {
    const redis = await OwnRedis.start();
    const smtp = await SmtpSink.start();
    const pipeline = await startPipeline({ redisUrl: redis.url, smtpUrl: smtp.url, workers: false });
    try {
      await commitMails(pipeline.db, mails(1, 10));
      await publishWithoutWorkers(pipeline);
      assert.equal((await pipeline.db.select().from(outbox).where(isNotNull(outbox.dispatchedAt))).length, 10);

      await redis.stop();
      await redis.restart(); // no persistence: the jobs are gone
      await pipeline.startWorkers();
      await smtp.waitFor(10, testPolicy.leaseMs + 15_000);
      await new Promise((r) => setTimeout(r, 1_000));
      await assertEachArrivedOnce(smtp, pipeline);
      const republished = (await pipeline.db.select({ n: outbox.dispatchCount }).from(outbox));
      assert.ok(republished.every((r) => r.n === 2), 'each row was published again after its lease');
    } finally {
      await pipeline.close();
      await smtp.stop();
      await redis.stop();
    }
  });

  it('a worker killed mid-batch: a new worker delivers everything; a duplicate only for a message in flight, with the same Message-ID', async () => {
    const smtp = await SmtpSink.start();
    smtp.delayMs = 150;
    const pipeline = await startPipeline({ smtpUrl: smtp.url, workers: false });
    const env = {
      NODE_ENV: 'test',
      ...databaseEnvOf(pipeline.config),
      QUEUE_PREFIX: pipeline.config.queuePrefix,
      SMTP_URL: smtp.url,
    };
    try {
      await commitMails(pipeline.db, mails(1, 40));
      const first = runScript('test/helpers/worker-process.ts', env);
      await first.printed('ready');
      await smtp.waitFor(5);
      first.process.kill('SIGKILL');
      await first.exit;
      // A message the dead worker had sent whole is accepted once the server's delay is over.
      await new Promise((r) => setTimeout(r, smtp.delayMs + 100));
      const acceptedFromFirst = new Set(smtp.messages.map((m) => m.messageId ?? ''));
      assert.ok(acceptedFromFirst.size < 40, 'killed mid-batch');
      const recordedByFirst = new Set(
        await Promise.all((await pipeline.db.select({ id: outbox.id }).from(outbox).where(isNotNull(outbox.completedAt))).map((r) => messageIdOf(pipeline.db, r.id))),
      );

      const second = runScript('test/helpers/worker-process.ts', env);
      await second.printed('ready');
      await smtp.waitFor(40, 30_000);
      await new Promise((r) => setTimeout(r, 1_000));
      second.process.kill('SIGTERM');
      assert.equal((await second.exit).code, 0);

      const counts = smtp.countsByMessageId();
      assert.deepEqual([...counts.keys()].sort(), await expectedMessageIds(pipeline), 'every message arrived, each under its own Message-ID');
      // In flight at the kill: accepted by the server, its send not yet recorded (the record waits
      // for the shared completion commit). Only those may arrive twice, and no more than the
      // notification worker's concurrency (32) can be in flight at once.
      const inFlight = [...acceptedFromFirst].filter((id) => !recordedByFirst.has(id));
      const twice = [...counts].filter(([, n]) => n > 1);
      assert.deepEqual(twice.filter(([, n]) => n > 2), [], 'nothing arrived three times');
      assert.deepEqual(twice.map(([id]) => id).filter((id) => !inFlight.includes(id)), [], 'only a message in flight at the kill arrived twice');
      assert.ok(twice.length <= 32, `at most the jobs in flight arrive twice; ${twice.length} did`);
      assert.equal((await pipeline.db.select().from(outbox).where(isNotNull(outbox.completedAt))).length, 40);
    } finally {
      await pipeline.close();
      await smtp.stop();
    }
  });
});

describe('npm run worker', { timeout: 60_000 }, () => {
  it('on SIGTERM with jobs in flight, finishes them and exits 0', async () => {
    const smtp = await SmtpSink.start();
    smtp.delayMs = 1_000;
    const pipeline = await startPipeline({ smtpUrl: smtp.url, workers: false });
    try {
      await commitMails(pipeline.db, mails(1, 5));
      const worker = runScript('workers/main.ts', {
        NODE_ENV: 'test',
        ...databaseEnvOf(pipeline.config),
        QUEUE_PREFIX: pipeline.config.queuePrefix,
        SMTP_URL: smtp.url,
      });
      const deadline = Date.now() + 15_000;
      while ((await pipeline.db.select().from(outbox).where(isNotNull(outbox.dispatchedAt))).length < 5 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
      }
      await new Promise((r) => setTimeout(r, 300)); // the jobs are now with the slow SMTP server
      worker.process.kill('SIGTERM');
      const { code } = await worker.exit;
      assert.equal(code, 0);
      assert.equal(smtp.messages.length, 5, 'the jobs in flight were finished');
      assert.equal((await pipeline.db.select().from(outbox).where(isNotNull(outbox.completedAt))).length, 5);
    } finally {
      await pipeline.close();
      await smtp.stop();
    }
  });

  it('exits within 10 s of SIGTERM even while Redis is down', async () => {
    const redis = await OwnRedis.start();
    const smtp = await SmtpSink.start();
    const pipeline = await startPipeline({ redisUrl: redis.url, smtpUrl: smtp.url, workers: false });
    try {
      await commitMails(pipeline.db, mails(1, 1));
      const worker = runScript('workers/main.ts', {
        NODE_ENV: 'test',
        ...databaseEnvOf(pipeline.config),
        QUEUE_PREFIX: pipeline.config.queuePrefix,
        REDIS_URL: redis.url,
        SMTP_URL: smtp.url,
      });
      // Up, not merely started: its mail is sent, so its relay and workers run (a fixed wait was
      // too short on a busy machine, and SIGTERM then found no handler yet).
      const deadline = Date.now() + 30_000;
      while (smtp.messages.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      assert.equal(smtp.messages.length, 1, 'the worker sent the waiting mail');
      await new Promise((r) => setTimeout(r, 500));
      await redis.stop();
      await new Promise((r) => setTimeout(r, 500));
      const signalled = Date.now();
      worker.process.kill('SIGTERM');
      const { code } = await worker.exit;
      assert.ok(Date.now() - signalled < 10_000, `took ${Date.now() - signalled} ms`);
      assert.notEqual(code, null, 'it exited by itself, not killed');
    } finally {
      await pipeline.close();
      await redis.stop();
      await smtp.stop();
    }
  });
});
