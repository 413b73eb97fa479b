import { statement } from '../../db/statements.ts';
import type { Writer } from '../../db/transactions.ts';

// Many rows into one table through multi-row INSERTs: better-sqlite3 pays a call into SQLite, the
// binding of each value and a statement reset per run, so one run of ROWS rows costs far less than
// ROWS runs of one row. The values go as arguments, not as one array: better-sqlite3 reads an
// array's elements one by one through V8's API, which costs more.

/** Rows per statement: its parameters stay well under SQLite's limit (32,766) for any table here. */
const ROWS = 64;

export interface RowBatch {
  /**
   * One row's values, in the columns' order. When they fill the batch, its rows are written: the
   * promise of that write, to await before anything that reads them; otherwise undefined, so
   * that a row only held costs no promise.
   */
  add(...values: unknown[]): Promise<void> | undefined;
  /** Writes the rows still held. */
  flush(): Promise<void>;
}

/** `insert into <table> (<columns>) values …`, ROWS rows a statement; the last run has what is left. */
export function rowBatch(db: Writer, table: string, columns: readonly string[]): RowBatch {
  const row = `(${columns.map(() => '?').join(', ')})`;
  // Each row count's text is a statement of its own, prepared once per connection (db/statements.ts).
  const insertOf = (rows: number) => statement(db, `insert into ${table} (${columns.join(', ')}) values ${Array.from({ length: rows }, () => row).join(', ')}`);
  const full = insertOf(ROWS);
  const values: unknown[] = [];
  const size = ROWS * columns.length;
  const write = async (rows: number) => {
    // The values are bound as the write is called: the array is free again at once.
    const written = (rows === ROWS ? full : insertOf(rows)).write(...values);
    values.length = 0;
    await written;
  };
  return {
    add(...row) {
      for (const value of row) values.push(value);
      return values.length === size ? write(ROWS) : undefined;
    },
    async flush() {
      if (values.length > 0) await write(values.length / columns.length);
    },
  };
}
