import { createHash } from 'node:crypto';
import type { Database } from '../../db/client.ts';

// What the database holds, read directly: to count rows, to compare before and after a refused
// call, or to look for something that must not rest there.

/** How many rows a table holds. */
export function rowCount(db: Database, table: 'requests' | 'request_events' | 'outbox'): number {
  return (db.$client.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
}

/** Every row of the request tables and the outbox, to compare before and after a refused call. */
export function requestTablesSnapshot(db: Database): string {
  return JSON.stringify(
    ['requests', 'request_events', 'outbox'].map((t) => db.$client.prepare(`select * from ${t} order by id`).all()),
  );
}

/** Every row of every table, as one JSON text: to look for something that must not rest there. */
export function everyStoredText(db: Database, tables?: string[]): string {
  const names = tables ?? everyTable(db);
  return JSON.stringify(Object.fromEntries(names.map((name) => [name, db.$client.prepare(`select * from "${name}"`).all()])));
}

/**
 * A checksum of every row of every table (shadow tables of full-text search included), in rowid
 * order: equal before and after a refused call when nothing was written.
 */
export function tablesChecksum(db: Database, tables: readonly string[] = everyTable(db)): string {
  const hash = createHash('sha256');
  for (const name of tables) {
    hash.update(name);
    hash.update(JSON.stringify(db.$client.prepare(everyRowOf(db, name)).raw().all()));
  }
  return hash.digest('hex');
}

/**
 * The query of every row of a table in a stable order: by rowid, or by primary key for a table
 * WITHOUT ROWID (which has no rowid, and is stored in key order).
 */
export function everyRowOf(db: Database, table: string): string {
  const withoutRowid = db.$client.prepare("select wr from pragma_table_list where schema = 'main' and name = ?").pluck().get(table) === 1;
  return `select * from "${table}"${withoutRowid ? '' : ' order by rowid'}`;
}

/**
 * The tables that hold rows, by name: ordinary ones and full-text search's virtual one, whose
 * content stands for its shadow tables (SQLite's own bookkeeping, some without a rowid).
 */
export function everyTable(db: Database): string[] {
  return db.$client.prepare("select name from pragma_table_list where schema = 'main' and type in ('table', 'virtual') and name not like 'sqlite_%' order by name").pluck().all() as string[];
}

/** The tables an import writes: the catalogue of collections, their finding aids and containers. */
export const CATALOGUE_TABLES = ['catalogue', 'collections', 'series', 'containers', 'components', 'component_containers', 'search_entries'] as const;
