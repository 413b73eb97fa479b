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
  const names =
    tables ??
    (db.$client.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%'").all() as { name: string }[]).map((t) => t.name);
  return JSON.stringify(Object.fromEntries(names.map((name) => [name, db.$client.prepare(`select * from "${name}"`).all()])));
}

/**
 * A checksum of every row of every table (shadow tables of full-text search included), in rowid
 * order: equal before and after a refused call when nothing was written.
 */
export function tablesChecksum(db: Database, tables?: readonly string[]): string {
  const names =
    tables ?? (db.$client.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name").all() as { name: string }[]).map((t) => t.name);
  const hash = createHash('sha256');
  for (const name of names) {
    const withoutRowid = /without\s+rowid/i.test((db.$client.prepare('select sql from sqlite_master where name = ?').pluck().get(name) as string | null) ?? '');
    hash.update(name);
    hash.update(JSON.stringify(db.$client.prepare(`select * from "${name}"${withoutRowid ? '' : ' order by rowid'}`).raw().all()));
  }
  return hash.digest('hex');
}

/** The tables an import writes: the catalogue of collections, their finding aids and containers. */
export const CATALOGUE_TABLES = ['catalogue', 'collections', 'series', 'containers', 'components', 'component_containers', 'search_entries'] as const;
