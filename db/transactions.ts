import { EventEmitter } from 'node:events';
import type { Database } from './client.ts';

// The database's transactions: every domain operation commits through one of these, from the API,
// the pages, the workers and the command line alike.

/** What a domain transaction can write through: the database itself or its transaction. */
export type Writer = Pick<Database, 'insert' | 'select' | 'update' | 'delete'>;

/** Emits `committed` after every commit made here, so work waiting on new rows (the outbox relay) starts at once. */
export const committed = new EventEmitter();

/**
 * Runs a domain operation in one `BEGIN IMMEDIATE` transaction (the callback must be synchronous),
 * then tells this process's listeners (the outbox relay wakes). Writers queue on SQLite's lock
 * instead of failing with SQLITE_BUSY.
 */
export function commit<T>(db: Database, work: (tx: Writer) => T): T {
  for (let attempt = 1; ; attempt++) {
    try {
      const result = db.transaction((tx) => work(tx), { behavior: 'immediate' });
      committed.emit('committed');
      return result;
    } catch (error) {
      // SQLite's lock is not fair between processes: a writer can wait past busy_timeout while
      // others keep committing. Nothing was written, so asking again is safe.
      if (!isBusy(error) || attempt >= BUSY_RETRIES) throw error;
    }
  }
}

/**
 * `commit` for the hot paths, with group commit: the operations asked for in one turn of the event
 * loop share one `BEGIN IMMEDIATE … COMMIT`, so one fsync instead of one each. Each runs in a
 * savepoint of its own: when it throws (a refusal, a constraint), only its own writes are rolled
 * back and only its own promise is rejected; the others still commit. Every promise settles after
 * the COMMIT, so no caller answers a write that is not yet durable. SQLITE_BUSY on BEGIN or COMMIT
 * (nothing written) runs the whole group again, as `commit` does.
 */
export function commitTogether<T>(db: Database, work: (tx: Writer) => T): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let group = groups.get(db);
    if (!group) {
      const started: Queued[] = (group = []);
      groups.set(db, started);
      // setImmediate, not a microtask: it runs once the requests read in this turn have all queued.
      setImmediate(() => {
        groups.delete(db);
        commitGroup(db, started);
      });
    }
    group.push({ work, resolve: resolve as (value: unknown) => void, reject });
  });
}

interface Queued {
  work: (tx: Writer) => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

const groups = new WeakMap<Database, Queued[]>();

function commitGroup(db: Database, group: Queued[]): void {
  const sqlite = db.$client;
  // better-sqlite3's own nesting: inside the open transaction, a savepoint (prepared once).
  const inSavepoint = sqlite.transaction((op: Queued, tx: Writer) => op.work(tx));
  for (let attempt = 1; ; attempt++) {
    try {
      const outcomes = db.transaction(
        (tx) =>
          group.map((op) => {
            try {
              return { ok: true as const, value: inSavepoint(op, tx) };
            } catch (error) {
              // An error that ended the whole transaction (a full disk) takes the group with it:
              // the operations before this one were rolled back too.
              if (!sqlite.inTransaction) throw error;
              return { ok: false as const, error };
            }
          }),
        { behavior: 'immediate' },
      );
      committed.emit('committed');
      group.forEach((op, i) => {
        const outcome = outcomes[i] as (typeof outcomes)[number];
        if (outcome.ok) op.resolve(outcome.value);
        else op.reject(outcome.error);
      });
      return;
    } catch (error) {
      if (isBusy(error) && attempt < BUSY_RETRIES) continue;
      for (const op of group) op.reject(error);
      return;
    }
  }
}

const BUSY_RETRIES = 3;
const isBusy = (error: unknown) => (error as { code?: string }).code === 'SQLITE_BUSY' || (error as { cause?: { code?: string } }).cause?.code === 'SQLITE_BUSY';
