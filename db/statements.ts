import Sqlite from 'better-sqlite3';
import type pg from 'pg';
import Cursor from 'pg-cursor';
import { sql, type SQL } from 'drizzle-orm';
import { onPostgres } from './engine.ts';
import type { Database } from './client.ts';
import type { Writer } from './transactions.ts';

// How the data access runs a query, in one place: every read and write is awaited, whichever
// engine is under it (better-sqlite3 answers at once, a database server later), and the queries a
// path runs on every request are prepared once per connection.

type Placeholders = Record<string, unknown>;

/** A query prepared once per connection; each run is awaited. */
export interface Prepared<Row> {
  /** Every row it returns. */
  rows(placeholders?: Placeholders): Promise<Row[]>;
  /** Its first row, if any. */
  first(placeholders?: Placeholders): Promise<Row | undefined>;
  /** Runs a write; how many rows it changed. */
  write(placeholders?: Placeholders): Promise<number>;
}

/** The rows a drizzle query gives when awaited (a write without `returning` gives none). */
type RowOf<Query> = Awaited<Query> extends readonly (infer Row)[] ? Row : never;

interface SqlitePrepared {
  all(placeholders?: Placeholders): unknown[];
  get(placeholders?: Placeholders): unknown;
  run(placeholders?: Placeholders): { changes: number };
}

/** drizzle's prepared query on node-postgres: rows when it returns any, else node-postgres's result. */
interface PostgresPrepared {
  execute(placeholders?: Placeholders): Promise<unknown[] | pg.QueryResult>;
}

/** How many rows a write changed, from what node-postgres answered (rows when it returns any). */
const changedBy = (result: unknown[] | pg.QueryResult) => (Array.isArray(result) ? result.length : (result.rowCount ?? 0));

/**
 * A value kept per database connection, made by `make` on first use; it goes with the connection.
 * The connection is the driver's client under drizzle's session: better-sqlite3's database, shared
 * by a drizzle database and its transactions; on PostgreSQL the pool outside transactions, and
 * inside one the pooled connection it runs on. drizzle makes a session for each PostgreSQL
 * transaction, but the pool lends the same few connections again and again: keyed on the session,
 * every query of a transaction was built and prepared anew.
 */
export function perConnection<V>(make: (db: Writer) => V): (db: Writer) => V {
  const values = new WeakMap<object, V>();
  return (db) => {
    const client = sessionClient(db) as object;
    let value = values.get(client);
    if (value === undefined) values.set(client, (value = make(db)));
    return value;
  };
}

/**
 * The better-sqlite3 connection under a drizzle database or transaction (which shares its
 * connection's session).
 */
const clientOf = (db: Writer): Sqlite.Database => sessionClient(db) as Sqlite.Database;

const sessionClient = (db: Writer): unknown => (db as unknown as { session: { client: unknown } }).session.client;

const queries = perConnection(() => new Map<string, Prepared<unknown>>());

/**
 * The drizzle query `build()` makes (with `sql.placeholder`s for its values), prepared on first use
 * on this connection under `key`. Building and preparing a query costs several times what running
 * it does, on paths taken by every request (the access check's person, a request, the outbox).
 */
export function prepared<Query extends PromiseLike<unknown> & { prepare(): unknown }>(db: Writer, key: string, build: () => Query): Prepared<RowOf<Query>> {
  const cache = queries(db);
  let query = cache.get(key);
  if (query === undefined) {
    query = onPostgres ? onServer((build() as unknown as { prepare(name: string): PostgresPrepared }).prepare(key)) : inProcess(build().prepare() as SqlitePrepared);
    cache.set(key, query);
  }
  return query as Prepared<RowOf<Query>>;
}

function inProcess(ready: SqlitePrepared): Prepared<unknown> {
  return {
    rows: async (placeholders) => ready.all(placeholders),
    first: async (placeholders) => ready.get(placeholders),
    write: async (placeholders) => ready.run(placeholders).changes,
  };
}

// Named: node-postgres prepares it once on each connection of the pool, under the query's key.
function onServer(ready: PostgresPrepared): Prepared<unknown> {
  return {
    rows: async (placeholders) => (await ready.execute(placeholders)) as unknown[],
    first: async (placeholders) => ((await ready.execute(placeholders)) as unknown[])[0],
    write: async (placeholders) => changedBy(await ready.execute(placeholders)),
  };
}

/** A statement of SQL the query builder cannot say, with `?` for its values; prepared once per connection. */
export interface Statement<Row> {
  rows(...values: unknown[]): Promise<Row[]>;
  first(...values: unknown[]): Promise<Row | undefined>;
  /** Runs a write; how many rows it changed. */
  write(...values: unknown[]): Promise<number>;
}

const statements = perConnection(() => new Map<string, Statement<unknown>>());

/**
 * SQL as each engine says it, where they differ. PostgreSQL's numbers its values (`$1`), and its
 * raw rows come in its own types (a count is a string, an instant a Date, a flag a boolean).
 */
export interface BothEngines {
  sqlite: string;
  postgres: string;
}

/** `text` as a statement of the connection `db` (a transaction's own, inside one). */
export function statement<Row>(db: Writer, text: string | BothEngines): Statement<Row> {
  const cache = statements(db);
  const sql = typeof text === 'string' ? text : onPostgres ? text.postgres : text.sqlite;
  let found = cache.get(sql);
  if (found === undefined) {
    found = onPostgres ? serverStatement(sessionClient(db) as pg.Pool | pg.PoolClient, sql) : sqliteStatement(clientOf(db).prepare(sql));
    cache.set(sql, found);
  }
  return found as Statement<Row>;
}

function sqliteStatement(ready: Sqlite.Statement): Statement<unknown> {
  return {
    rows: async (...values) => ready.all(...values),
    first: async (...values) => ready.get(...values),
    write: async (...values) => ready.run(...values).changes,
  };
}

/** PostgreSQL's numbered placeholders for SQLite's `?`s. */
function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

function serverStatement(client: pg.Pool | pg.PoolClient, sql: string): Statement<unknown> {
  const text = numbered(sql);
  const run = (values: unknown[]) => client.query<Record<string, unknown>>({ text, values });
  return {
    rows: async (...values) => (await run(values)).rows,
    first: async (...values) => (await run(values)).rows[0],
    write: async (...values) => (await run(values)).rowCount ?? 0,
  };
}

/**
 * The integers of a JSON array bound as one value (`[3,5,8]`), as a subquery of one column, `value`:
 * one statement, prepared once, for a list of any length, where `in (?, ?, …)` would be another
 * statement for every length. `integersOf` for the query builder, `INTEGERS_OF_JSON` (with its `?`)
 * for a statement's text.
 */
export const integersOf = (json: unknown): SQL =>
  onPostgres
    ? sql`(select t.value::integer as value from jsonb_array_elements_text(${json}::jsonb) as t(value))`
    : sql`(select value from json_each(${json}))`;

export const INTEGERS_OF_JSON = onPostgres
  ? '(select t.value::integer as value from jsonb_array_elements_text(?::jsonb) as t(value))'
  : '(select value from json_each(?))';

/**
 * On PostgreSQL, the rows of `table` with these ids locked until the transaction ends, in id order
 * (two transactions locking the same rows cannot wait for each other). For a rule over several rows
 * that no constraint can hold (a researcher's requests of a day against the daily limit, a box's
 * holders over the days of a hold): transactions deciding it for the same rows take turns, and the
 * second, reading after the first commits, sees what it wrote (READ COMMITTED reads afresh at each
 * statement). SQLite's one writer already makes every transaction take its turn.
 */
export async function takeTurnsOn(tx: Writer, table: 'containers' | 'users', ids: readonly number[]): Promise<void> {
  if (!onPostgres || ids.length === 0) return;
  await statement(tx, `select id from ${table} where id in ${INTEGERS_OF_JSON} order by id for update`).rows(JSON.stringify(ids));
}

/**
 * An instant as the raw value of a statement or a raw placeholder (which no column maps):
 * milliseconds on SQLite, whose instants are stored so, a Date for PostgreSQL's timestamptz.
 */
export const instantValue = (at: Date): Date | number => (onPostgres ? at : at.getTime());

/**
 * Rows whose `column` holds `text`, case aside (`%` and `_` in it are plain characters): SQLite's
 * LIKE ignores case (of ASCII letters), PostgreSQL's does not, its ILIKE does.
 */
export function containing(column: unknown, text: string): SQL {
  const pattern = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return onPostgres ? sql`${column} ilike ${pattern} escape '\\'` : sql`${column} like ${pattern} escape '\\'`;
}

/** How many rows a streamed statement reads from PostgreSQL at a time. */
const CURSOR_ROWS = 500;

/**
 * The rows of `text` one at a time, as the reader takes them, on a connection of their own (a
 * read-only SQLite connection, a connection of PostgreSQL's pool, through a cursor): a long
 * answer is never held whole in memory, and the app's connection stays free meanwhile. The
 * connection goes back when the last row is read or the reader stops.
 */
export async function* streamedRows<Row>(db: Database, text: string, values: readonly unknown[]): AsyncGenerator<Row> {
  if (onPostgres) {
    const client = await (db.$client as unknown as pg.Pool).connect();
    const cursor = client.query(new Cursor<Row>(numbered(text), [...values]));
    try {
      for (let rows = await cursor.read(CURSOR_ROWS); rows.length > 0; rows = await cursor.read(CURSOR_ROWS)) yield* rows;
    } finally {
      await cursor.close().catch(() => undefined);
      client.release();
    }
    return;
  }
  // An in-memory database (some tests) has no file for a second connection: its rows are read at once.
  if (db.$client.memory) {
    yield* db.$client.prepare(text).all(...values) as Row[];
    return;
  }
  const reader = new Sqlite(db.$client.name, { readonly: true, fileMustExist: true });
  try {
    reader.pragma('busy_timeout = 5000');
    yield* reader.prepare(text).iterate(...values) as IterableIterator<Row>;
  } finally {
    reader.close();
  }
}
