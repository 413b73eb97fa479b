import { EventEmitter } from 'node:events';
import type { Statement } from 'better-sqlite3';
import type { Connection, Database } from './client.ts';
import { onPostgres } from './engine.ts';

// The database's transactions: every domain operation commits through one of these, from the API,
// the pages, the workers and the command line alike. They are asynchronous, as a transaction on a
// database server must be; on SQLite the statements themselves still run synchronously.

/** What a domain transaction reads and writes through: the writing connection, inside its transaction. */
export type Writer = Pick<Connection, 'insert' | 'select' | 'update' | 'delete'>;

/** A domain operation's work inside its transaction; it may await, and nothing else writes meanwhile. */
export type Work<T> = (tx: Writer) => T | Promise<T>;

/** Emits `committed` after every commit made here, so work waiting on new rows (the outbox relay) starts at once. */
export const committed = new EventEmitter();

/**
 * Runs a domain operation in one `BEGIN IMMEDIATE` transaction, then tells this process's
 * listeners (the outbox relay wakes). Writers queue on SQLite's lock instead of failing with
 * SQLITE_BUSY; within this process, they take turns (`inTurn`) on the writer connection
 * (`$writer`, db/client.ts), which `work` receives as its `tx`.
 */
export function commit<T>(db: Database, work: Work<T>): Promise<T> {
  if (onPostgres) return commitOnServer(db, work);
  const writer = db.$writer;
  return inTurn(writer, async () => {
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await inTransaction(writer, () => work(writer));
        committed.emit('committed');
        return result;
      } catch (error) {
        // SQLite's lock is not fair between processes: a writer can wait past busy_timeout while
        // others keep committing. Nothing was written, so asking again is safe.
        if (!isBusy(error) || attempt >= BUSY_RETRIES) throw error;
      }
    }
  });
}

/**
 * `commit` for the hot paths, with group commit: the operations asked for in one turn of the event
 * loop share one `BEGIN IMMEDIATE … COMMIT`, so one fsync instead of one each. Each runs in a
 * savepoint of its own: when it throws (a refusal, a constraint), only its own writes are rolled
 * back and only its own promise is rejected; the others still commit. Every promise settles after
 * the COMMIT, so no caller answers a write that is not yet durable. SQLITE_BUSY on BEGIN or COMMIT
 * (nothing written) runs the whole group again, as `commit` does.
 */
export function commitTogether<T>(db: Database, work: Work<T>): Promise<T> {
  if (onPostgres) return commitOnServer(db, work);
  const writer = db.$writer;
  return new Promise<T>((resolve, reject) => {
    let group = groups.get(writer);
    if (!group) {
      const started: Queued[] = (group = []);
      groups.set(writer, started);
      // setImmediate, not a microtask: it runs once the requests read in this turn have all queued.
      setImmediate(() => {
        groups.delete(writer);
        void inTurn(writer, () => commitGroup(writer, started));
      });
    }
    group.push({ work, resolve: resolve as (value: unknown) => void, reject });
  });
}

/** drizzle's node-postgres database, as far as a transaction needs it. */
interface ServerDatabase {
  transaction<T>(work: (tx: Writer) => Promise<T>): Promise<T>;
}

/**
 * A domain operation on PostgreSQL, in one transaction at READ COMMITTED, side by side with those
 * of every other process. The rules the reading room keeps across machines are held by the database
 * (a second holder of a box on a day breaks a unique index; a seat too many, the seats trigger;
 * db/postgres/migrations), or made to take turns (a hold over several days locks its box's row,
 * src/requests/holders.ts). A conflict, like a serialization failure or a deadlock, ends
 * the transaction with nothing written. Running the operation again then reads what the other
 * committed and decides anew: the late request is waitlisted, the late booking refused.
 */
async function commitOnServer<T>(db: Database, work: Work<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      const result = await (db as unknown as ServerDatabase).transaction(async (tx) => await work(tx));
      committed.emit('committed');
      return result;
    } catch (error) {
      if (!CONFLICTS.has(sqlState(error)) || attempt >= SERVER_RETRIES) throw error;
    }
  }
}

// unique_violation, exclusion_violation (the seats trigger), serialization_failure, deadlock_detected.
const CONFLICTS = new Set(['23505', '23P01', '40001', '40P01']);
const SERVER_RETRIES = 8;
const sqlState = (error: unknown) => (error as { code?: string }).code ?? (error as { cause?: { code?: string } }).cause?.code ?? '';

interface Queued {
  work: Work<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

const groups = new WeakMap<Connection, Queued[]>();

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

async function commitGroup(db: Connection, group: Queued[]): Promise<void> {
  const sqlite = db.$client;
  const outcomeOf = (op: Queued): Outcome | Promise<Outcome> => {
    const failed = (error: unknown): Outcome => {
      // An error that ended the whole transaction (a full disk) takes the group with it: the
      // operations before this one were rolled back too.
      if (!sqlite.inTransaction) throw error;
      return { ok: false, error };
    };
    try {
      const value = inSavepoint(db, () => op.work(db));
      return isThenable(value) ? Promise.resolve(value).then((v): Outcome => ({ ok: true, value: v }), failed) : { ok: true, value };
    } catch (error) {
      return failed(error);
    }
  };
  for (let attempt = 1; ; attempt++) {
    try {
      const outcomes = await inTransaction(db, () => oneAfterAnother(group, outcomeOf));
      committed.emit('committed');
      group.forEach((op, i) => {
        const outcome = outcomes[i];
        if (outcome?.ok) op.resolve(outcome.value);
        else op.reject(outcome?.error);
      });
      return;
    } catch (error) {
      if (isBusy(error) && attempt < BUSY_RETRIES) continue;
      for (const op of group) op.reject(error);
      return;
    }
  }
}

/**
 * `each` of `items` in order, each after the one before has settled; synchronous for as long as
 * `each` is, so a group of synchronous operations commits without leaving the turn.
 */
function oneAfterAnother<I, O>(items: readonly I[], each: (item: I) => O | Promise<O>): O[] | Promise<O[]> {
  const results: O[] = [];
  for (let i = 0; i < items.length; i++) {
    const result = each(items[i] as I);
    if (isThenable(result)) {
      return Promise.resolve(result).then(async (value) => {
        results.push(value);
        for (const item of items.slice(i + 1)) results.push(await each(item));
        return results;
      });
    }
    results.push(result);
  }
  return results;
}

/**
 * `BEGIN IMMEDIATE`, `work`, `COMMIT`; `ROLLBACK` if it throws. Work that finishes without
 * awaiting commits in the same turn, so no other code of this process runs while it is open.
 */
function inTransaction<T>(db: Connection, work: () => T | Promise<T>): T | Promise<T> {
  const statements = statementsOf(db);
  statements.begin.run();
  return settle(work, () => statements.commit.run(), () => db.$client.inTransaction && statements.rollback.run());
}

/** `work` in a savepoint inside the open transaction: rolled back alone when it throws. */
function inSavepoint<T>(db: Connection, work: () => T | Promise<T>): T | Promise<T> {
  const statements = statementsOf(db);
  statements.savepoint.run();
  return settle(
    work,
    () => statements.release.run(),
    () => {
      if (!db.$client.inTransaction) return;
      statements.rollbackToSavepoint.run();
      statements.release.run();
    },
  );
}

/** Runs `work`, then `done` on success or `undo` on failure, without an await when `work` needs none. */
function settle<T>(work: () => T | Promise<T>, done: () => void, undo: () => void): T | Promise<T> {
  let result: T | Promise<T>;
  try {
    result = work();
  } catch (error) {
    undo();
    throw error;
  }
  if (!isThenable(result)) {
    done();
    return result;
  }
  return Promise.resolve(result).then(
    (value) => {
      done();
      return value;
    },
    (error: unknown) => {
      undo();
      throw error;
    },
  );
}

/**
 * A promise, or a query not yet run: drizzle's queries run when awaited, so work that hands one
 * back (`(tx) => tx.update(…)`) has it run here, before the COMMIT, not after.
 */
const isThenable = <T>(value: T | PromiseLike<T>): value is PromiseLike<T> => typeof (value as { then?: unknown } | null)?.then === 'function';

const statementsOf = (db: Connection) => {
  let statements = prepared.get(db);
  if (!statements) {
    const sqlite = db.$client;
    statements = {
      begin: sqlite.prepare<[]>('BEGIN IMMEDIATE'),
      commit: sqlite.prepare<[]>('COMMIT'),
      rollback: sqlite.prepare<[]>('ROLLBACK'),
      savepoint: sqlite.prepare<[]>('SAVEPOINT operation'),
      release: sqlite.prepare<[]>('RELEASE operation'),
      rollbackToSavepoint: sqlite.prepare<[]>('ROLLBACK TO operation'),
    };
    prepared.set(db, statements);
  }
  return statements;
};

const prepared = new WeakMap<Connection, Record<'begin' | 'commit' | 'rollback' | 'savepoint' | 'release' | 'rollbackToSavepoint', Statement<[]>>>();

/**
 * The transactions of one connection, one after the other: a transaction that awaits leaves the
 * event loop to other requests, whose own transaction must not start on the same connection
 * meanwhile. When none is under way, `run` starts at once, in the caller's turn.
 */
function inTurn<T>(db: Connection, run: () => Promise<T>): Promise<T> {
  const before = turns.get(db);
  const mine = before === undefined ? run() : before.then(run, run);
  const settled = mine.then(
    () => undefined,
    () => undefined,
  );
  turns.set(db, settled);
  void settled.then(() => {
    if (turns.get(db) === settled) turns.delete(db);
  });
  return mine;
}

const turns = new WeakMap<Connection, Promise<void>>();

const BUSY_RETRIES = 3;
const isBusy = (error: unknown) => (error as { code?: string }).code === 'SQLITE_BUSY' || (error as { cause?: { code?: string } }).cause?.code === 'SQLITE_BUSY';
