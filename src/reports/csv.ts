import { pipeline, Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { Database } from '../../db/client.ts';
import { streamedUsageRows, usageColumns, type UsageQuery, type UsageRow } from './usage.ts';

/**
 * A CSV cell is RFC 4180's (quoted when it holds a comma, a quote or a line break; lines end in
 * CRLF), and a cell a spreadsheet would run as a formula (=, +, -, @, tab, carriage return first)
 * starts with `'` (csv-stringify's escape_formulas).
 */
const csvOptions = { header: true, columns: [...usageColumns], escape_formulas: true, record_delimiter: 'windows', quoted_match: /[\r\n]/ } as const;

/**
 * Usage rows as CSV, written as they are read; a client gone halfway stops the reading too (the
 * rows' generator is returned, which gives its connection back). Errors end the stream, which
 * Fastify reports.
 */
export function csvOf(rows: Iterable<UsageRow> | AsyncIterable<UsageRow>): Readable {
  return pipeline(Readable.from(rows), stringify(csvOptions), () => {});
}

/** Whether the client asks for CSV (`Accept: text/csv`, alone or first among what it takes). */
export function wantsCsv(accept: string | undefined): boolean {
  const first = (accept ?? '').split(',')[0]?.split(';')[0]?.trim().toLowerCase();
  return first === 'text/csv';
}

/**
 * The usage rows as CSV, read row by row as the client takes them: a year of a busy room's boxes is
 * never held in memory, and the app's connection stays free for everyone else meanwhile.
 */
export function usageCsv(db: Database, query: UsageQuery): Readable {
  return csvOf(streamedUsageRows(db, query));
}
