import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { closeDatabase, openConfiguredDatabase, type Database } from '../../db/client.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import type { MailJob } from '../../src/mail/catalogue.ts';
import { enqueue } from '../../src/outbox/store.ts';
import { commit } from '../../db/transactions.ts';
import type { QueuePolicy } from '../../workers/queues.ts';
import { startWorkerRuntime, type WorkerRuntime } from '../../workers/runtime.ts';
import { testDatabase } from './postgres.ts';
import { sharedRedisUrl } from './reading-room.ts';

/** A QUEUE_PREFIX no other test uses. */
export const uniqueQueuePrefix = () => `test-${randomUUID().slice(0, 8)}`;

/**
 * BullMQ's timings shortened, so retries, stalls and leases play out in seconds. The job lock is
 * 5 s, not shorter: a worker starved of the CPU by other work (a CI run, two test files at once)
 * would otherwise lose the lock of a job in the middle of its send, and the job be taken again as
 * stalled and sent twice (runs saw it with a 1 s lock); a killed worker's jobs still come back
 * within seconds.
 */
export const testPolicy: QueuePolicy = {
  attempts: 10,
  backoffMs: 100,
  keepCompletedMs: 3600_000,
  lockDurationMs: 5_000,
  stalledIntervalMs: 500,
  leaseMs: 2_000,
  pollMs: 200,
};

export const quietLog = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

export interface TestPipeline {
  db: Database;
  config: Config;
  folder: string;
  runtime: WorkerRuntime | undefined;
  startWorkers(): Promise<WorkerRuntime>;
  stopWorkers(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A real database (a fresh SQLite file, or under `npm run test:postgres` a PostgreSQL database of
 * its own; or the one `databaseEnv` names, such as a restored backup, which the test removes), a
 * queue prefix on the given Redis (a unique one unless given), and the real worker runtime (relay
 * and workers), sending to the given SMTP server or, without one, to `.eml` files.
 */
export async function startPipeline(
  options: { redisUrl?: string; smtpUrl?: string; policy?: QueuePolicy; workers?: boolean; queuePrefix?: string; databaseEnv?: Record<string, string> } = {},
): Promise<TestPipeline> {
  const folder = mkdtempSync(join(tmpdir(), 'reading-room-workers-'));
  const database = options.databaseEnv ? { env: options.databaseEnv, drop: async () => {} } : await testDatabase(folder);
  const config = loadConfig({
    NODE_ENV: 'test',
    ...database.env,
    QUEUE_PREFIX: options.queuePrefix ?? uniqueQueuePrefix(),
    REDIS_URL: options.redisUrl ?? sharedRedisUrl,
    ...(options.smtpUrl ? { SMTP_URL: options.smtpUrl } : {}),
  });
  const db = await openConfiguredDatabase(config);
  const pipeline: TestPipeline = {
    db,
    config,
    folder,
    runtime: undefined,
    async startWorkers() {
      pipeline.runtime = await startWorkerRuntime({ config, db, clock: () => new Date(), log: quietLog, policy: options.policy ?? testPolicy });
      return pipeline.runtime;
    },
    async stopWorkers() {
      await pipeline.runtime?.close(3_000);
      pipeline.runtime = undefined;
    },
    async close() {
      const queues = pipeline.runtime ? Object.values(pipeline.runtime.queues) : [];
      await Promise.all(queues.map((q) => q.obliterate({ force: true }).catch(() => undefined)));
      await pipeline.stopWorkers();
      await closeDatabase(db);
      await database.drop();
      rmSync(folder, { recursive: true, force: true });
    },
  };
  if (options.workers !== false) await pipeline.startWorkers();
  return pipeline;
}

/** A verification mail to `name`, as registration will write it. */
export function verificationMail(n: number, name = `Reader ${n}`): MailJob {
  return {
    kind: 'verify-email',
    to: { email: `reader${n}@example.org`, name },
    data: { link: `http://localhost:3000/verify-email?token=secret-token-${n}` },
  };
}

/** Commits mails the way a domain operation does: in one immediate transaction, through the outbox. */
export async function commitMails(db: Database, mails: MailJob[]): Promise<void> {
  await commit(db, (tx) => enqueue(tx, ...mails.map((mail) => ({ queue: 'notifications' as const, jobName: mail.kind, payload: mail }))));
}
