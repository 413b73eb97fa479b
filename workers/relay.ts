import type { Queue } from 'bullmq';
import type { Log } from './queues.ts';
import type { Database } from '../db/client.ts';
import type { Clock } from '../src/domain/calendar.ts';
import { jobIdFor, markDispatched, outboxCommitted, rowsToDispatch, type QueueName } from '../src/outbox/store.ts';
import { jobOptions, type QueuePolicy } from './queues.ts';

/**
 * What every job published from the outbox carries: only its row's id. The worker reads the
 * payload from SQLite, so nothing in it (a link holding a raw token) rests in Redis.
 */
export interface OutboxJobData {
  outboxId: number;
}

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
    private readonly db: Database,
    private readonly queues: Record<QueueName, Queue>,
    private readonly policy: QueuePolicy,
    private readonly clock: Clock,
    private readonly log: Log,
  ) {}

  start(): void {
    outboxCommitted.on('committed', this.wake);
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
    outboxCommitted.off('committed', this.wake);
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
        // Redis is down or refused: the rows stay in SQLite and the next poll tries again.
        if (!this.redisFailing) this.log.warn({ err: error }, 'outbox relay: cannot publish, rows wait in the outbox');
        this.redisFailing = true;
        return;
      }
    }
  }

  private async publishBatch(): Promise<number> {
    const rows = rowsToDispatch(this.db, this.clock(), this.policy.leaseMs, BATCH);
    if (rows.length === 0) return 0;
    const byQueue = new Map<QueueName, typeof rows>();
    for (const row of rows) {
      const name = row.queue as QueueName;
      if (!(name in this.queues)) throw new Error(`outbox row ${row.id} names an unknown queue ${row.queue}`);
      byQueue.set(name, [...(byQueue.get(name) ?? []), row]);
    }
    const options = jobOptions(this.policy);
    for (const [name, queued] of byQueue) {
      await this.queues[name].addBulk(
        queued.map((row) => ({
          name: row.jobName,
          data: { outboxId: row.id } satisfies OutboxJobData,
          opts: { ...options, jobId: jobIdFor(row.id) },
        })),
      );
    }
    markDispatched(
      this.db,
      rows.map((r) => r.id),
      this.clock(),
    );
    return rows.length;
  }
}
