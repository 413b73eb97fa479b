import { createHash } from 'node:crypto';
import type { Database } from '../../db/client.ts';
import { onPostgres } from '../../db/engine.ts';
import { statement } from '../../db/statements.ts';

// What the database holds, read directly: to count rows, to compare before and after a refused
// call, or to look for something that must not rest there.

/** How many rows a table holds (`table` is a name the test writes, never input). */
export async function rowCount(db: Database, table: string): Promise<number> {
  return Number((await statement<{ n: number | string }>(db, `select count(*) as n from ${table}`).first())!.n);
}

/** Every row of the request tables and the outbox, to compare before and after a refused call. */
export const requestTablesSnapshot = (db: Database): Promise<string> => tablesChecksum(db, ['requests', 'request_events', 'outbox']);

/** Every row of every table, as one JSON text: to look for something that must not rest there. */
export async function everyStoredText(db: Database, tables?: string[]): Promise<string> {
  const rows: Record<string, unknown[]> = {};
  for (const name of tables ?? (await everyTable(db))) rows[name] = await statement(db, `select * from "${name}"`).rows();
  return JSON.stringify(rows);
}

/**
 * A checksum of every row of every table (on SQLite, shadow tables of full-text search included),
 * in a stable order: equal before and after a refused call when nothing was written. Each engine
 * writes a table's rows out as text itself, so no row becomes a JavaScript object: the tests that
 * compare after every call (the status machine's) spent most of their time reading rows into
 * JavaScript.
 */
export async function tablesChecksum(db: Database, tables?: readonly string[]): Promise<string> {
  const hash = createHash('sha256');
  for (const name of tables ?? (await everyTable(db))) {
    hash.update(name);
    hash.update(await tableDigest(db, name));
  }
  return hash.digest('hex');
}

/**
 * A table's row count and its rows as text in a stable order: on SQLite each column `quote()`d (so
 * NULL, numbers, text and blobs stay apart), in everyRowOf's order, which costs no sort; on
 * PostgreSQL the md5 of each row's text, ordered by that text.
 */
async function tableDigest(db: Database, table: string): Promise<string> {
  if (onPostgres) {
    const text = `select count(*) || ':' || coalesce(md5(string_agg(t::text, '|' order by t::text)), '') as digest from "${table}" t`;
    return (await statement<{ digest: string }>(db, text).first())!.digest;
  }
  const columns = await statement<{ name: string }>(db, 'select name from pragma_table_info(?)').rows(table);
  const row = columns.map((c) => `quote("${c.name}")`).join(" || ',' || ");
  const text = `select count(*) || ':' || coalesce(group_concat(r, char(30)), '') as digest from (select ${row} as r from (${await everyRowOf(db, table)}))`;
  return (await statement<{ digest: string }>(db, text).first())!.digest;
}

/**
 * The query of every row of a table in a stable order: on SQLite by rowid, or by primary key for a
 * table WITHOUT ROWID (which has no rowid, and is stored in key order); on PostgreSQL by the row's text.
 */
export async function everyRowOf(db: Database, table: string): Promise<string> {
  if (onPostgres) return `select * from "${table}" order by "${table}"::text`;
  const listed = await statement<{ wr: number }>(db, "select wr from pragma_table_list where schema = 'main' and name = ?").first(table);
  return `select * from "${table}"${listed?.wr === 1 ? '' : ' order by rowid'}`;
}

/**
 * The tables that hold rows, by name: on SQLite ordinary ones and full-text search's virtual one,
 * whose content stands for its shadow tables (SQLite's own bookkeeping, some without a rowid).
 */
export async function everyTable(db: Database): Promise<string[]> {
  const text = {
    sqlite: "select name from pragma_table_list where schema = 'main' and type in ('table', 'virtual') and name not like 'sqlite_%' order by name",
    postgres: "select tablename as name from pg_tables where schemaname = 'public' order by tablename",
  };
  return (await statement<{ name: string }>(db, text).rows()).map((r) => r.name);
}

/** The tables an import writes: the catalogue of collections, their finding aids and containers. */
export const CATALOGUE_TABLES = ['catalogue', 'collections', 'series', 'containers', 'components', 'component_containers', 'search_entries'] as const;
