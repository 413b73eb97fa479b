import { createHash } from 'node:crypto';
import { asc, getTableColumns, getTableName, gt, is, sql, type Column, type SQL } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { getTableConfig, PgTable } from 'drizzle-orm/pg-core';
import { getTableConfig as getSqliteTableConfig, SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { PoolClient } from 'pg';
import type { Database } from './client.ts';
import type { PostgresDatabase } from './postgres/client.ts';
import * as pgSchema from './postgres/schema.ts';
import * as sqliteSchema from './schema.ts';

// `npm run cli -- db:copy`: an installation moved from its SQLite file into a PostgreSQL database,
// every row of every table, checked by a count and a checksum per table before anything is kept.

/** What the copy found for one table: its rows on each side, and whether their checksums agree. */
export interface TableCopy {
  table: string;
  rows: number;
  checksum: string;
  same: boolean;
}

export class CopyRefused extends Error {
  override name = 'CopyRefused';
}

const PAGE = 2_000;

/** The rows a fresh migration makes by itself, replaced by the source's own. */
const MADE_BY_MIGRATIONS: Record<string, number> = { installation: 1, catalogue: 1, reading_rooms: 1 };

/** The triggers of db/postgres/migrations that judge a new write by what is there now (the seats). */
const GUARDS_OF_NEW_WRITES: Record<string, string[]> = { appointments: ['appointments_within_seats'] };

interface Pair {
  name: string;
  sqlite: SQLiteTable;
  pg: PgTable;
}

/** The schema's tables in pairs, each after the tables its foreign keys point at. */
export function tablePairs(): Pair[] {
  const sqliteTables = new Map<string, SQLiteTable>();
  for (const value of Object.values(sqliteSchema) as unknown[]) if (is(value, SQLiteTable)) sqliteTables.set(getTableName(value), value);
  const pending = new Map<string, PgTable>();
  for (const value of Object.values(pgSchema) as unknown[]) if (is(value, PgTable)) pending.set(getTableName(value), value);
  const waitsFor = (table: PgTable) =>
    getTableConfig(table)
      .foreignKeys.map((fk) => getTableName(fk.reference().foreignTable))
      .filter((name) => name !== getTableName(table) && pending.has(name));
  const ordered: Pair[] = [];
  while (pending.size > 0) {
    const ready = [...pending].find(([, table]) => waitsFor(table).length === 0);
    if (!ready) throw new Error(`foreign keys go round in a circle among ${[...pending.keys()].join(', ')}`);
    const [name, pg] = ready;
    const sqlite = sqliteTables.get(name);
    if (!sqlite) throw new Error(`table ${name} is in the PostgreSQL schema only`);
    ordered.push({ name, sqlite, pg });
    pending.delete(name);
  }
  const missing = [...sqliteTables.keys()].filter((name) => !ordered.some((p) => p.name === name));
  if (missing.length > 0) throw new Error(`tables in the SQLite schema only: ${missing.join(', ')}`);
  return ordered;
}

/** A value as the checksum reads it: the same on both engines whatever their types and key orders. */
function canonical(value: unknown): unknown {
  if (value instanceof Date) return value.getTime();
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

/**
 * A table's checksum that does not depend on the order rows are read in (PostgreSQL and SQLite
 * sort text differently): the sum, modulo 2^128, of each row's SHA-256 cut to 128 bits.
 */
class Checksum {
  private sum = 0n;
  rows = 0;
  add(row: Record<string, unknown>): void {
    const digest = createHash('sha256').update(JSON.stringify(canonical(row))).digest();
    this.sum = (this.sum + BigInt(`0x${digest.subarray(0, 16).toString('hex')}`)) % 2n ** 128n;
    this.rows++;
  }
  get hex(): string {
    return this.sum.toString(16).padStart(32, '0');
  }
}

type AnyTable = SQLiteTable | PgTable;

/** A table's primary key: its own column's, or the composite one of its config. */
function primaryKeyOf(table: AnyTable): Column[] {
  const own = Object.values(getTableColumns(table)).filter((c) => c.primary);
  if (own.length > 0) return own;
  const composite = is(table, PgTable) ? getTableConfig(table).primaryKeys[0] : getSqliteTableConfig(table).primaryKeys[0];
  return composite?.columns ?? [];
}

/**
 * The query of one page of a table's rows in primary-key order, after the row whose key is
 * `after` (keyset paging: each page costs the same however far in it starts).
 */
function page(table: AnyTable, after: unknown[] | undefined): { where: SQL | undefined; orderBy: SQL[] } {
  const key = primaryKeyOf(table);
  const where = after && (key.length === 1 ? gt(key[0] as Column, after[0]) : sql`(${sql.join(key, sql`, `)}) > (${sql.join(after.map((v) => sql`${v}`), sql`, `)})`);
  return { where, orderBy: key.map((c) => asc(c)) };
}

/** The key of a row as `page` takes it. */
function keyOf(table: AnyTable, row: Record<string, unknown>): unknown[] {
  const fields = Object.entries(getTableColumns(table));
  return primaryKeyOf(table).map((column) => row[(fields.find(([, c]) => c === column) as [string, Column])[0]]);
}

/** Every row of a table, a page at a time, as `read` gives each page. */
async function* rowsOf(table: AnyTable, read: (where: SQL | undefined, orderBy: SQL[]) => Promise<Record<string, unknown>[]>): AsyncGenerator<Record<string, unknown>[]> {
  let after: unknown[] | undefined;
  for (;;) {
    const { where, orderBy } = page(table, after);
    const rows = await read(where, orderBy);
    if (rows.length > 0) yield rows;
    if (rows.length < PAGE) return;
    after = keyOf(table, rows.at(-1) as Record<string, unknown>);
  }
}

/**
 * Copies every table of `source` into `target` (migrated, and holding nothing but what its
 * migrations made) in one PostgreSQL transaction, then reads each table back and compares its
 * count and checksum with the source's. It commits only when every table agrees; otherwise
 * nothing is kept. Full-text entries are copied as rows: PostgreSQL indexes them anew.
 */
export async function copyIntoPostgres(source: Database, target: PostgresDatabase): Promise<TableCopy[]> {
  const pairs = tablePairs();
  const client = await target.$client.connect();
  // One read transaction on SQLite: every table is read from the same moment, even if a process
  // still writes to it (it should not: the copy is for a stopped installation).
  source.$client.prepare('begin').run();
  try {
    await client.query('begin isolation level serializable');
    for (const { name } of pairs) {
      const { rows } = await client.query<{ n: string }>(`select count(*) as n from "${name}"`);
      const found = Number(rows[0]?.n ?? 0);
      if (found > (MADE_BY_MIGRATIONS[name] ?? 0)) throw new CopyRefused(`the target database is not empty: table ${name} has ${found} rows. db:copy moves an installation into a new database only.`);
    }
    for (const name of Object.keys(MADE_BY_MIGRATIONS)) await client.query(`delete from "${name}"`);
    const tx = drizzle({ client, schema: pgSchema });
    const results: TableCopy[] = [];
    for (const { name, sqlite, pg } of pairs) {
      // The rows are history as it was (a day booked beyond seats since taken away): the rules that
      // guard new writes do not judge them. Turned back on before the commit.
      for (const trigger of GUARDS_OF_NEW_WRITES[name] ?? []) await client.query(`alter table "${name}" disable trigger "${trigger}"`);
      const sourceSum = new Checksum();
      // PostgreSQL takes at most 65,535 parameters in one statement.
      const batch = Math.max(1, Math.floor(60_000 / Object.keys(getTableColumns(pg)).length));
      const fromSqlite = async (where: SQL | undefined, orderBy: SQL[]) => source.select().from(sqlite).where(where).orderBy(...orderBy).limit(PAGE).all() as Record<string, unknown>[];
      for await (const rows of rowsOf(sqlite, fromSqlite)) {
        for (const row of rows) sourceSum.add(row);
        for (let i = 0; i < rows.length; i += batch) await tx.insert(pg).values(rows.slice(i, i + batch));
      }
      const targetSum = new Checksum();
      const fromPostgres = async (where: SQL | undefined, orderBy: SQL[]) => (await tx.select().from(pg).where(where).orderBy(...orderBy).limit(PAGE)) as Record<string, unknown>[];
      for await (const rows of rowsOf(pg, fromPostgres)) for (const row of rows) targetSum.add(row);
      results.push({ table: name, rows: sourceSum.rows, checksum: sourceSum.hex, same: sourceSum.rows === targetSum.rows && sourceSum.hex === targetSum.hex });
      for (const trigger of GUARDS_OF_NEW_WRITES[name] ?? []) await client.query(`alter table "${name}" enable trigger "${trigger}"`);
      // Ids given by the copy: the next row made on PostgreSQL takes the next number.
      if (getTableConfig(pg).columns.some((c) => c.name === 'id' && c.generatedIdentity)) {
        await client.query(`select setval(pg_get_serial_sequence('"${name}"', 'id'), coalesce((select max(id) from "${name}"), 0) + 1, false)`);
      }
    }
    results.push(await copySearchEntries(source, client));
    if (results.every((r) => r.same)) await client.query('commit');
    else await client.query('rollback');
    return results;
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    if (source.$client.inTransaction) source.$client.prepare('rollback').run();
    client.release();
  }
}

interface SearchEntry {
  entry: number;
  title: string;
  abstract: string | null;
  componentId: number | null;
}

/**
 * The full-text entries (an FTS5 table on SQLite, outside the drizzle schema): their text, copied
 * by entry a page at a time; PostgreSQL makes its own index of them.
 */
async function copySearchEntries(source: Database, client: PoolClient): Promise<TableCopy> {
  const sourceSum = new Checksum();
  const read = source.$client.prepare<[number, number]>('select rowid as entry, title, abstract, component_id as componentId from search_entries where rowid > ? order by rowid limit ?');
  for (let after = -1; ; ) {
    const rows = read.all(after, PAGE) as SearchEntry[];
    if (rows.length === 0) break;
    for (const row of rows) sourceSum.add({ ...row });
    await client.query(
      'insert into search_entries (entry, title, abstract, component_id) select * from unnest($1::bigint[], $2::text[], $3::text[], $4::integer[])',
      [rows.map((r) => String(r.entry)), rows.map((r) => r.title), rows.map((r) => r.abstract), rows.map((r) => r.componentId)],
    );
    after = (rows.at(-1) as SearchEntry).entry;
  }
  const targetSum = new Checksum();
  for (let after = '-1'; ; ) {
    const { rows } = await client.query<SearchEntry & { entry: string }>(
      'select entry, title, abstract, component_id as "componentId" from search_entries where entry > $1 order by entry limit $2',
      [after, PAGE],
    );
    if (rows.length === 0) break;
    for (const row of rows) targetSum.add({ ...row, entry: Number(row.entry) });
    after = (rows.at(-1) as { entry: string }).entry;
  }
  return { table: 'search_entries', rows: sourceSum.rows, checksum: sourceSum.hex, same: sourceSum.rows === targetSum.rows && sourceSum.hex === targetSum.hex };
}
