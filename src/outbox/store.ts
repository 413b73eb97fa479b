import { randomBytes } from 'node:crypto';
import { and, asc, count, eq, inArray, isNotNull, isNull, lt, or, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { commit, type Writer } from '../../db/transactions.ts';
import { outbox } from '../../db/tables.ts';
import { onPostgres } from '../../db/engine.ts';
import { instantValue, prepared, statement } from '../../db/statements.ts';

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



/** Records a side effect inside the caller's transaction: it commits or vanishes with the change. */
export async function enqueue(tx: Writer, ...entries: OutboxEntry[]): Promise<void> {
  const insert = prepared(tx, 'enqueue', () =>
    tx
      .insert(outbox)
      .values({ queue: sql.placeholder('queue'), jobName: sql.placeholder('jobName'), payload: sql.placeholder('payload'), key: sql.placeholder('key') }),
  );
  for (const entry of entries) await insert.write({ ...entry, key: randomBytes(4).toString('hex') });
}

/** What a row's job carries (never the payload): enough for a worker to find the row and know it is the one. */
export interface OutboxJobRef {
  outboxId: number;
  key: string;
}

/**
 * A row's job id, also its Message-ID's local part: never all digits, never a colon, and the same
 * for every publication of the row, so BullMQ takes a re-publication for the job it already has.
 * The installation keeps it apart from every other database's ids; the row's random key keeps a
 * restored backup's new rows apart from those the original wrote after the backup.
 */
export const jobIdFor = (installation: string, ref: OutboxJobRef) => `outbox-${installation}-${ref.outboxId}-${ref.key}`;

export interface RowToDispatch {
  id: number;
  queue: string;
  jobName: string;
  key: string;
}

/**
 * Rows to publish: never dispatched, or dispatched so long ago (`leaseMs`) without a worker
 * recording completion that Redis may have lost them. Without their payloads, which the worker
 * reads itself.
 */
async function rowsToDispatch(db: Writer, now: Date, leaseMs: number, limit: number): Promise<RowToDispatch[]> {
  const leaseExpired = new Date(now.getTime() - leaseMs);
  return await db
    .select({ id: outbox.id, queue: outbox.queue, jobName: outbox.jobName, key: sql<string>`${outbox.key}` })
    .from(outbox)
    .where(and(isNull(outbox.completedAt), or(isNull(outbox.dispatchedAt), lt(outbox.dispatchedAt, leaseExpired))))
    .orderBy(asc(outbox.id))
    .limit(limit);
}

// The same rows, locked for the claiming transaction; rows another relay holds are passed over.
const claimSql = `select id, queue, job_name as "jobName", key from outbox
  where completed_at is null and (dispatched_at is null or dispatched_at < ?)
  order by id limit ? for update skip locked`;

/**
 * What publishing a batch of rows does (workers/relay.ts): it returns the rows now in BullMQ's
 * hands, and writes what it learns about others through `record`.
 */
export type Publish = (rows: RowToDispatch[], record: <T>(work: (tx: Writer) => Promise<T>) => Promise<T>) => Promise<number[]>;

/**
 * Publishes up to `limit` rows due (rowsToDispatch) and marks those BullMQ took as dispatched;
 * how many rows were due. Several relays may run at once (several worker processes): on
 * PostgreSQL each claims its rows in a transaction (`FOR UPDATE SKIP LOCKED`), publishes them and
 * marks them before letting go, so no two publish the same row; on SQLite, one writer at a time,
 * a transaction held while Redis answers would stop every other write, so the rows are read,
 * published, then marked, and a row two relays both read is published under the same job id,
 * which BullMQ takes once.
 */
export async function dispatchDue(db: Database, now: Date, leaseMs: number, limit: number, publish: Publish): Promise<number> {
  // Nothing due, no transaction: every commit wakes the relay (`committed`), so an empty claim
  // committed at each poll would wake it again at once, for ever.
  const rows = await rowsToDispatch(db, now, leaseMs, limit);
  if (rows.length === 0) return 0;
  if (onPostgres) {
    return commit(db, async (tx) => {
      const claimed = await statement<RowToDispatch>(tx, claimSql).rows(new Date(now.getTime() - leaseMs), limit);
      if (claimed.length > 0) await markDispatched(tx, await publish(claimed, (work) => work(tx)), now);
      return claimed.length;
    });
  }
  const dispatched = await publish(rows, (work) => commit(db, work));
  await commit(db, (tx) => markDispatched(tx, dispatched, now));
  return rows.length;
}

async function markDispatched(db: Writer, ids: number[], now: Date): Promise<void> {
  await db
    .update(outbox)
    .set({ dispatchedAt: now, dispatchCount: sql`${outbox.dispatchCount} + 1`, notTaken: null })
    .where(and(inArray(outbox.id, ids), isNull(outbox.completedAt)));
}

/**
 * Records that BullMQ did not take a row's publication, and why. The row is not in BullMQ's hands:
 * /metrics counts it until a publication is taken. Its dispatch time is the time of this attempt,
 * so the relay tries again when the lease runs out rather than at every poll. True when the row
 * had no such record yet (the relay logs only then).
 */
export async function markNotTaken(db: Writer, id: number, reason: string, now: Date): Promise<boolean> {
  const first = (await db.update(outbox).set({ notTaken: reason }).where(and(eq(outbox.id, id), isNull(outbox.notTaken))).returning({ id: outbox.id })).length === 1;
  await db.update(outbox).set({ dispatchedAt: now }).where(eq(outbox.id, id));
  return first;
}

/** Rows not completed whose last publication BullMQ did not take. */
export async function rowsNotTaken(db: Database): Promise<number> {
  const [row] = await db.select({ rows: count() }).from(outbox).where(and(isNull(outbox.completedAt), isNotNull(outbox.notTaken)));
  return row?.rows ?? 0;
}

/**
 * The row a job names, with its payload: `done` once a worker recorded it, `not-here` when this
 * database has no row with that id and key (the job was published by another database that has
 * this installation id: a copy running beside its original).
 */
export async function rowForJob(db: Database, ref: OutboxJobRef): Promise<OutboxRow | 'done' | 'not-here'> {
  const row = await prepared(db, 'rowForJob', () =>
    db
      .select({ id: outbox.id, queue: outbox.queue, jobName: outbox.jobName, payload: outbox.payload, key: outbox.key, completedAt: outbox.completedAt })
      .from(outbox)
      .where(eq(outbox.id, sql.placeholder('id'))),
  ).first({ id: ref.outboxId });
  if (!row || row.key !== ref.key) return 'not-here';
  if (row.completedAt) return 'done';
  return { id: row.id, queue: row.queue, jobName: row.jobName, payload: row.payload };
}

/**
 * The worker's record that a row is done (`sent`, or why it never can be). Only the first record
 * counts; `payload`, when given, replaces the stored one (to blank secrets once they are used).
 */
export async function markCompleted(db: Writer, id: number, outcome: string, now: Date, payload?: unknown): Promise<boolean> {
  // Prepared, in its two shapes (with and without a new payload): it runs once per job. Raw
  // placeholders take the values as stored: the instant as instantValue gives it, the payload as JSON.
  const where = and(eq(outbox.id, sql.placeholder('id')), isNull(outbox.completedAt));
  const done = { completedAt: sql`${sql.placeholder('at')}`, outcome: sql`${sql.placeholder('outcome')}` };
  const changed =
    payload === undefined
      ? await prepared(db, 'markCompleted', () => db.update(outbox).set(done).where(where)).write({ id, outcome, at: instantValue(now) })
      : await prepared(db, 'markCompleted+payload', () => db.update(outbox).set({ ...done, payload: sql`${sql.placeholder('payload')}` }).where(where)).write({
          id,
          outcome,
          at: instantValue(now),
          payload: JSON.stringify(payload),
        });
  return changed === 1;
}

/**
 * How long the first completion record waits for others to share its transaction. Jobs finish
 * one at a time as the SMTP server answers, so one turn of the event loop holds few records; a
 * short wait gathers many more into one commit (README, "Performance"). A job's slot stays taken
 * meanwhile, which the notification worker's concurrency allows for.
 */
const COMPLETION_WINDOW_MS = 10;

/**
 * Completion records written together: the records asked for within COMPLETION_WINDOW_MS share
 * one transaction (one fsync instead of one each). Each caller learns whether its own record
 * counted once that transaction has committed, so no job reports a send that is not yet durable.
 */
export function completionWriter(db: Database) {
  let pending: { id: number; outcome: string; now: Date; payload?: unknown; resolve: (first: boolean) => void; reject: (e: unknown) => void }[] = [];
  const flush = () => {
    const batch = pending;
    pending = [];
    commit(db, async (tx) => {
      const results: boolean[] = [];
      for (const r of batch) results.push(await markCompleted(tx, r.id, r.outcome, r.now, r.payload));
      return results;
    }).then(
      (results) => batch.forEach((r, i) => r.resolve(results[i] as boolean)),
      (error: unknown) => batch.forEach((r) => r.reject(error)),
    );
  };
  return (id: number, outcome: string, now: Date, payload?: unknown) =>
    new Promise<boolean>((resolve, reject) => {
      if (pending.length === 0) setTimeout(flush, COMPLETION_WINDOW_MS);
      pending.push({ id, outcome, now, payload, resolve, reject });
    });
}
