import type { Database } from '../../db/client.ts';

// Many rows into one table through multi-row INSERTs: better-sqlite3 pays a call into SQLite, the
// binding of each value and a statement reset per run, so one run of ROWS rows costs far less than
// ROWS runs of one row. The values go as arguments, not as one array: better-sqlite3 reads an
// array's elements one by one through V8's API, which costs more.

/** Rows per statement: its parameters stay well under SQLite's limit (32,766) for any table here. */
const ROWS = 64;

export interface RowBatch {
  /** One row's values, in the columns' order. */
  add(...values: unknown[]): void;
  /** Writes the rows still held. */
  flush(): void;
}

/** `insert into <table> (<columns>) values …`, ROWS rows a statement; the last run has what is left. */
export function rowBatch(sqlite: Database['$client'], table: string, columns: readonly string[]): RowBatch {
  const row = `(${columns.map(() => '?').join(', ')})`;
  const insertOf = (rows: number) => sqlite.prepare(`insert into ${table} (${columns.join(', ')}) values ${Array.from({ length: rows }, () => row).join(', ')}`);
  const full = insertOf(ROWS);
  const values: unknown[] = [];
  const size = ROWS * columns.length;
  return {
    add(...row) {
      for (const value of row) values.push(value);
      if (values.length === size) {
        full.run(...values);
        values.length = 0;
      }
    },
    flush() {
      if (values.length > 0) insertOf(values.length / columns.length).run(...values);
      values.length = 0;
    },
  };
}
