import { Queue, type JobsOptions, type WorkerOptions } from 'bullmq';
import type { RedisOptions } from 'ioredis';
import { connectRedis, type RedisConnection, type RedisTarget } from '../src/redis.ts';
import type { Logger } from 'pino';
import { queueNames, type QueueName } from '../src/outbox/store.ts';

// BullMQ's policy in one place: connections, retries, what is kept, how stalls are detected.


/** The logging the workers need: pino's, or Fastify's (which is pino's). */
export type Log = Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;

export interface QueuePolicy {
  /** Tries per job before it is left failed (kept, for the dashboard). */
  attempts: number;
  /** First retry delay; each next one doubles. */
  backoffMs: number;
  /** How long a completed job is kept, so a re-published job id is recognised and not run again. */
  keepCompletedMs: number;
  /** A worker's lock on a job; a job whose worker died is taken back after it runs out. */
  lockDurationMs: number;
  /** How often workers look for such stalled jobs. */
  stalledIntervalMs: number;
  /** How long the relay waits before publishing again a row no worker completed. */
  leaseMs: number;
  /** How often the relay looks for rows written by other processes. */
  pollMs: number;
}

export const defaultPolicy: QueuePolicy = {
  // 12 tries doubling from 5 s reach about 3 hours: an SMTP server down for a morning loses nothing.
  attempts: 12,
  backoffMs: 5_000,
  keepCompletedMs: 7 * 24 * 3600_000,
  lockDurationMs: 30_000,
  stalledIntervalMs: 30_000,
  leaseMs: 5 * 60_000,
  pollMs: 1_000,
};

export function jobOptions(policy: QueuePolicy): JobsOptions {
  return {
    attempts: policy.attempts,
    backoff: { type: 'exponential', delay: policy.backoffMs },
    removeOnComplete: { age: Math.ceil(policy.keepCompletedMs / 1000) },
    removeOnFail: false,
  };
}

/**
 * Producers fail fast: while Redis is down, adding a job errors at once (the outbox keeps the row)
 * instead of hanging an HTTP request or the relay on an offline queue.
 */
export function producerConnection(target: RedisTarget): RedisConnection {
  const options: RedisOptions = {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  };
  return connectRedis(target, options);
}

/** Workers wait: their blocking reads must survive Redis restarts (BullMQ requires this). */
export function workerConnection(target: RedisTarget): RedisConnection {
  return connectRedis(target, {
    maxRetriesPerRequest: null,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
}

/**
 * The BullMQ prefix of one installation's queues: QUEUE_PREFIX, then the database's installation
 * id. Two databases on one Redis and QUEUE_PREFIX (a second installation, or a database started
 * over after `data/` was deleted) each have queues, job ids and schedules of their own, so neither
 * takes the other's work; the processes of one installation (API, workers) share them.
 */
export const queueNamespace = (queuePrefix: string, installation: string) => `${queuePrefix}:${installation}`;

export function workerOptions(connection: RedisConnection, prefix: string, policy: QueuePolicy, concurrency: number): WorkerOptions {
  return {
    connection,
    prefix,
    concurrency,
    lockDuration: policy.lockDurationMs,
    stalledInterval: policy.stalledIntervalMs,
    maxStalledCount: 2,
  };
}

export function openQueues(connection: RedisConnection, prefix: string, log: Log): Record<QueueName, Queue> {
  return Object.fromEntries(
    queueNames.map((name) => {
      const queue = new Queue(name, { connection, prefix });
      // While Redis is down each queue reports it; the relay and /ready already say so once.
      queue.on('error', (error) => log.debug({ err: error }, `queue ${name}: Redis error`));
      return [name, queue];
    }),
  ) as Record<QueueName, Queue>;
}
