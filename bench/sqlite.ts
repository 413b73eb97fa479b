import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import { summarise } from './stats.ts';

/**
 * `sqlite.durable-insert`: raw better-sqlite3, one-row `BEGIN IMMEDIATE` transactions one after
 * another for `seconds`, with db/client.ts's pragmas (WAL, synchronous=FULL) on a file in `folder`,
 * the disk the servers' databases are on: the durable-write ceiling (one fsync per commit).
 */
export function durableInsert(folder: string, seconds: number) {
  const sqlite = new Sqlite(join(folder, 'durable-insert.sqlite'));
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('synchronous = FULL');
  sqlite.exec(`create table rows (id integer primary key autoincrement, payload text not null, created_at integer not null)`);
  const insert = sqlite.prepare('insert into rows (payload, created_at) values (?, ?)');
  const once = sqlite.transaction((n: number) => insert.run(`row ${n}`, Date.now()));

  const latencies: number[] = [];
  const started = performance.now();
  const until = started + seconds * 1000;
  let n = 0;
  for (let at = started; at < until; n++) {
    once.immediate(n);
    const done = performance.now();
    latencies.push(done - at);
    at = done;
  }
  const elapsed = performance.now() - started;
  sqlite.close();
  return summarise('sqlite.durable-insert', latencies, n, elapsed, 'sqlite.durable-insert');
}
