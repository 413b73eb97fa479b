import { pipeline, Readable } from 'node:stream';
import Sqlite from 'better-sqlite3';
import { stringify } from 'csv-stringify';
import type { Database } from '../../db/client.ts';
import { streamedUsageRows, usageColumns, usageRows, type UsageQuery, type UsageRow } from './usage.ts';

/**
 * A CSV cell is RFC 4180's (quoted when it holds a comma, a quote or a line break; lines end in
 * CRLF), and a cell a spreadsheet would run as a formula (=, +, -, @, tab, carriage return first)
 * starts with `'` (csv-stringify's escape_formulas).
 */
const csvOptions = { header: true, columns: [...usageColumns], escape_formulas: true, record_delimiter: 'windows', quoted_match: /[\r\n]/ } as const;

/**
 * Usage rows as CSV, written as they are read; `finished` is called once every part is done or
 * destroyed (a client gone halfway stops the reading too).
 */
export function csvOf(rows: Iterable<UsageRow> | AsyncIterable<UsageRow>, finished: () => void = () => {}): Readable {
  return pipeline(Readable.from(rows), stringify(csvOptions), finished);
}

/** Whether the client asks for CSV (`Accept: text/csv`, alone or first among what it takes). */
export function wantsCsv(accept: string | undefined): boolean {
  const first = (accept ?? '').split(',')[0]?.split(';')[0]?.trim().toLowerCase();
  return first === 'text/csv';
}

/**
 * The usage rows as CSV, read row by row as the client takes them, from a read-only connection of
 * the report's own: a year of a busy room's boxes is never held in memory, and the app's
 * connection stays free for everyone else meanwhile.
 */
export async function usageCsv(db: Database, query: UsageQuery): Promise<Readable> {
  // An in-memory database (some tests) has no file for a second connection: its rows are read at once.
  if (db.$client.memory) return csvOf(await usageRows(db, query));
  const reader = new Sqlite(db.$client.name, { readonly: true, fileMustExist: true });
  reader.pragma('busy_timeout = 5000');
  return csvOf(streamedUsageRows(reader, query), () => reader.close());
}
