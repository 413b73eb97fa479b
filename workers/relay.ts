import type { Queue } from 'bullmq';
import type { RedisConnection } from '../src/redis.ts';
import type { Log } from './queues.ts';
import type { Database } from '../db/client.ts';
import type { Clock } from '../src/domain/calendar.ts';
import { dispatchDue, jobIdFor, markCompleted, markNotTaken, type OutboxJobRef, type Publish, type QueueName, type RowToDispatch } from '../src/outbox/store.ts';
import { committed } from '../db/transactions.ts';
import { jobsAlreadyThere } from './published-jobs.ts';
import { jobOptions, type QueuePolicy } from './queues.ts';

/**
 * What every job published from the outbox carries: only its row's id and key. The worker reads
 * the payload from SQLite, so nothing in it (a link holding a raw token) rests in Redis.
 */
export type OutboxJobData = OutboxJobRef;

const BATCH = 500;

/**
 * Moves committed outbox rows into BullMQ. It wakes at once after a commit in this process and
 * polls for rows other processes wrote. While Redis is down, rows simply wait. A row is published
 * again when its lease runs out without a worker recording completion: the same job id makes that
 * a no-op while Redis still has the job, and a re-delivery when Redis lost it.
 */
export class OutboxRelay {
  private timer: NodeJS.Timeout | undefined;
  private draining: Promise<void> | undefined;
  private wanted = false;
  private stopped = false;
  private redisFailing = false;

  constructor(
    private readonly installation: string,
    private readonly db: Database,
    private readonly queues: Record<QueueName, Queue>,
    /** The queues' own connection, for looking up jobs already published. */
    private readonly redis: RedisConnection,
    private readonly policy: QueuePolicy,
    private readonly clock: Clock,
    private readonly log: Log,
  ) {}

  start(): void {
    committed.on('committed', this.wake);
    this.timer = setInterval(this.wake, this.policy.pollMs);
    this.wake();
  }

  readonly wake = (): void => {
    if (this.stopped) return;
    this.wanted = true;
    this.draining ??= this.drain().finally(() => {
      this.draining = undefined;
    });
  };

  async stop(): Promise<void> {
    this.stopped = true;
    committed.off('committed', this.wake);
    clearInterval(this.timer);
    await this.draining;
  }

  private async drain(): Promise<void> {
    while (this.wanted && !this.stopped) {
      this.wanted = false;
      try {
        while ((await this.publishBatch()) === BATCH && !this.stopped);
        if (this.redisFailing) this.log.info('outbox relay: Redis answers again; publishing resumed');
        this.redisFailing = false;
      } catch (error) {
        // Redis is down or refused: the rows stay in the database and the next poll tries again.
        if (!this.redisFailing) this.log.warn({ err: error }, 'outbox relay: cannot publish, rows wait in the outbox');
        this.redisFailing = true;
        return;
      }
    }
  }

  private async publishBatch(): Promise<number> {
    return dispatchDue(this.db, this.clock(), this.policy.leaseMs, BATCH, async (rows, record) => {
      const byQueue = new Map<QueueName, RowToDispatch[]>();
      for (const row of rows) {
        const name = row.queue as QueueName;
        if (!(name in this.queues)) throw new Error(`outbox row ${row.id} names an unknown queue ${row.queue}`);
        byQueue.set(name, [...(byQueue.get(name) ?? []), row]);
      }
      const dispatched: number[] = [];
      for (const [name, queued] of byQueue) dispatched.push(...(await this.publish(this.queues[name], queued, record)));
      return dispatched;
    });
  }

  /**
   * Publishes rows whose job BullMQ does not have yet. A job already there is ours from an
   * earlier publication (BullMQ would silently drop the new one): still waiting or running, it
   * only renews the lease; completed, the mail went out before this database was restored from a
   * backup, and the record is written here; failed after every attempt, it is retried. A job
   * whose data names another row is another database's: the row is not marked dispatched, and
   * the log and /metrics say so. Returns the rows that are now in BullMQ's hands.
   */
  private async publish(queue: Queue, rows: RowToDispatch[], record: Parameters<Publish>[1]): Promise<number[]> {
    const jobIds = rows.map((row) => jobIdFor(this.installation, { outboxId: row.id, key: row.key }));
    const there = await jobsAlreadyThere(this.redis, queue, jobIds);
    const options = jobOptions(this.policy);
    const fresh: { row: RowToDispatch; jobId: string }[] = [];
    const inHand: number[] = [];
    for (const [i, row] of rows.entries()) {
      const jobId = jobIds[i] as string;
      const job = there[i];
      if (!job) fresh.push({ row, jobId });
      else if (job.data?.outboxId !== row.id || job.data.key !== row.key) await this.notTaken(row, jobId, queue.name, record);
      else if (job.state === 'completed') {
        const outcome = `${typeof job.returnValue === 'string' ? job.returnValue : 'done'} (recorded from the queue: the database was restored)`;
        const now = this.clock();
        await record((tx) => markCompleted(tx, row.id, outcome, now));
        this.log.warn({ outboxId: row.id, jobId }, 'outbox relay: a job of this row had already completed; recorded it here, as after a restore, instead of running it again');
      } else if (job.state === 'failed') {
        await job.retry();
        this.log.warn({ outboxId: row.id, jobId }, 'outbox relay: the job of this row had failed every attempt; retrying it, as its lease ran out');
        inHand.push(row.id);
      } else inHand.push(row.id);
    }
    if (fresh.length > 0) {
      await queue.addBulk(fresh.map(({ row, jobId }) => ({ name: row.jobName, data: { outboxId: row.id, key: row.key } satisfies OutboxJobData, opts: { ...options, jobId } })));
    }
    return [...inHand, ...fresh.map(({ row }) => row.id)];
  }

  private async notTaken(row: RowToDispatch, jobId: string, queue: string, record: Parameters<Publish>[1]): Promise<void> {
    const reason = `job ${jobId} in queue ${queue} belongs to another database with installation ${this.installation}`;
    const now = this.clock();
    if (await record((tx) => markNotTaken(tx, row.id, reason, now))) {
      this.log.error(
        { outboxId: row.id, jobId },
        `outbox relay: BullMQ did not take the row: ${reason}. A copy of this database runs on the same Redis and prefix: give it its own installation id (npm run cli -- installation:renew).`,
      );
    }
  }
}
