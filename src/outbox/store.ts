import { EventEmitter } from 'node:events';
import { and, asc, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { outbox } from '../../db/schema.ts';
import { prepared } from '../prepared.ts';

/** What a domain transaction can write through: the database itself or its transaction. */
export type Writer = Pick<Database, 'insert' | 'select' | 'update' | 'delete'>;

/** The BullMQ queues side effects go to (ARCHITECTURE.md, "Queues"). */
export const queueNames = ['notifications', 'paging', 'maintenance'] as const;
export type QueueName = (typeof queueNames)[number];

export interface OutboxEntry {
  queue: QueueName;
  jobName: string;
  payload: unknown;
}

export interface OutboxRow {
  id: number;
  queue: string;
  jobName: string;
  payload: unknown;
}


/** In-process wake-up for the relay, so a commit's side effects leave without a polling delay. */
export const outboxCommitted = new EventEmitter();

/** Records a side effect inside the caller's transaction: it commits or vanishes with the change. */
export function enqueue(tx: Writer, ...entries: OutboxEntry[]): void {
  const insert = prepared(tx, 'enqueue', () =>
    tx.insert(outbox).values({ queue: sql.placeholder('queue'), jobName: sql.placeholder('jobName'), payload: sql.placeholder('payload') }).prepare(),
  );
  for (const entry of entries) insert.run(entry as unknown as Record<string, unknown>);
}

/**
 * Runs a domain operation in one `BEGIN IMMEDIATE` transaction (the callback must be synchronous),
 * then wakes the relay. Writers queue on SQLite's lock instead of failing with SQLITE_BUSY.
 */
export function commit<T>(db: Database, work: (tx: Writer) => T): T {
  for (let attempt = 1; ; attempt++) {
    try {
      const result = db.transaction((tx) => work(tx), { behavior: 'immediate' });
      outboxCommitted.emit('committed');
      return result;
    } catch (error) {
      // SQLite's lock is not fair between processes: a writer can wait past busy_timeout while
      // others keep committing. Nothing was written, so asking again is safe.
      if (!isBusy(error) || attempt >= BUSY_RETRIES) throw error;
    }
  }
}

const BUSY_RETRIES = 3;
const isBusy = (error: unknown) => (error as { code?: string }).code === 'SQLITE_BUSY' || (error as { cause?: { code?: string } }).cause?.code === 'SQLITE_BUSY';

/** The job id BullMQ gets for a row: never all digits, never a colon. */
export const jobIdFor = (outboxId: number) => `outbox-${outboxId}`;

/**
 * Rows to publish: never dispatched, or dispatched so long ago (`leaseMs`) without a worker
 * recording completion that Redis may have lost them.
 */
export function rowsToDispatch(db: Database, now: Date, leaseMs: number, limit: number): OutboxRow[] {
  const leaseExpired = new Date(now.getTime() - leaseMs);
  return db
    .select({ id: outbox.id, queue: outbox.queue, jobName: outbox.jobName, payload: outbox.payload })
    .from(outbox)
    .where(and(isNull(outbox.completedAt), or(isNull(outbox.dispatchedAt), lt(outbox.dispatchedAt, leaseExpired))))
    .orderBy(asc(outbox.id))
    .limit(limit)
    .all();
}

export function markDispatched(db: Database, ids: number[], now: Date): void {
  db.update(outbox)
    .set({ dispatchedAt: now, dispatchCount: sql`${outbox.dispatchCount} + 1` })
    .where(and(inArray(outbox.id, ids), isNull(outbox.completedAt)))
    .run();
}

/** A row still to be done, with its payload; undefined once a worker recorded it (or it is gone). */
export function pendingRow(db: Database, id: number): OutboxRow | undefined {
  return prepared(db, 'pendingRow', () =>
    db
      .select({ id: outbox.id, queue: outbox.queue, jobName: outbox.jobName, payload: outbox.payload })
      .from(outbox)
      .where(and(eq(outbox.id, sql.placeholder('id')), isNull(outbox.completedAt)))
      .prepare(),
  ).get({ id });
}

/**
 * The worker's record that a row is done (`sent`, or why it never can be). Only the first record
 * counts; `payload`, when given, replaces the stored one (to blank secrets once they are used).
 */
export function markCompleted(db: Database, id: number, outcome: string, now: Date, payload?: unknown): boolean {
  const result = db
    .update(outbox)
    .set({ completedAt: now, outcome, ...(payload === undefined ? {} : { payload }) })
    .where(and(eq(outbox.id, id), isNull(outbox.completedAt)))
    .run();
  return result.changes === 1;
}

/**
 * Completion records written together: the records asked for in one turn of the event loop share
 * one transaction (one fsync instead of one each). Each caller learns whether its own record
 * counted once that transaction has committed, so no job reports a send that is not yet durable.
 */
export function completionWriter(db: Database) {
  let pending: { id: number; outcome: string; now: Date; payload?: unknown; resolve: (first: boolean) => void; reject: (e: unknown) => void }[] = [];
  const flush = () => {
    const batch = pending;
    pending = [];
    try {
      const results = db.transaction((tx) => batch.map((r) => markCompleted(tx as unknown as Database, r.id, r.outcome, r.now, r.payload)), { behavior: 'immediate' });
      batch.forEach((r, i) => r.resolve(results[i] as boolean));
    } catch (error) {
      for (const r of batch) r.reject(error);
    }
  };
  return (id: number, outcome: string, now: Date, payload?: unknown) =>
    new Promise<boolean>((resolve, reject) => {
      if (pending.length === 0) setImmediate(flush);
      pending.push({ id, outcome, now, payload, resolve, reject });
    });
}
