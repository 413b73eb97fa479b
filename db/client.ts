import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import Sqlite from 'better-sqlite3';
import type pg from 'pg';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { narrow, privateFile, privateFolder } from '../src/private-files.ts';
import { onPostgres } from './engine.ts';
import { openPostgres } from './postgres/client.ts';
import * as schema from './schema.ts';

/** One SQLite connection under drizzle. */
export type Connection = BetterSQLite3Database<typeof schema> & { $client: Sqlite.Database };

/**
 * The database as the code holds it: reads outside a transaction go through this connection, which
 * only reads; `commit` (db/transactions.ts) writes through `$writer`, whose transactions take turns.
 * Two connections, because a transaction that awaits would otherwise let another request's read,
 * run between two of its statements on the same connection, see rows it has not committed.
 */
export type Database = Connection & { $writer: Connection };

const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));

/**
 * Opens the SQLite file (creating it and its folder, owner-only), sets the pragmas ARCHITECTURE.md asks for and
 * applies pending migrations. synchronous=FULL: a researcher's confirmed request must survive a
 * power cut, which WAL with NORMAL does not promise.
 */
export function openDatabase(path: string): Database {
  if (path !== ':memory:') {
    // Owner-only before SQLite opens it: SQLite makes its -wal and -shm files with the database's mode.
    privateFolder(dirname(path));
    privateFile(path);
    narrow(`${path}-wal`);
    narrow(`${path}-shm`);
  }
  const sqlite = new Sqlite(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('synchronous = FULL');
  const writer = drizzle({ client: sqlite, schema });
  // Foreign keys are off while migrating: a migration that makes a table anew (SQLite's only way to
  // change a column) drops the old one, which the rows of other tables still point at; inside the
  // migrations' transaction the pragma cannot be changed, so it is set around it, and the keys are
  // checked once all is done.
  sqlite.pragma('foreign_keys = OFF');
  migrate(writer, { migrationsFolder });
  sqlite.pragma('foreign_keys = ON');
  const broken = sqlite.pragma('foreign_key_check') as unknown[];
  if (broken.length > 0) throw new Error(`The database has ${broken.length} rows pointing at rows that are not there.`);
  // A database in memory cannot be opened twice: there, reads share the writer's connection.
  const reader = path === ':memory:' ? sqlite : new Sqlite(path, { readonly: true, fileMustExist: true });
  if (reader !== sqlite) reader.pragma('busy_timeout = 5000');
  return Object.assign(drizzle({ client: reader, schema }), { $writer: writer });
}

/**
 * The database the configuration names: PostgreSQL at DATABASE_URL (its pool serves reads and
 * transactions alike: the server keeps a transaction's writes to itself), else the SQLite file.
 * The queries are built on db/tables.ts, whose engine db/engine.ts chose from this process's own
 * environment as it started; a configuration that names the other engine is refused.
 */
export async function openConfiguredDatabase(config: { databasePath: string; databaseUrl: string | undefined }): Promise<Database> {
  if ((config.databaseUrl !== undefined) !== onPostgres) {
    throw new Error(`This process was started for ${onPostgres ? 'PostgreSQL' : 'SQLite'} (DATABASE_URL ${onPostgres ? 'set' : 'unset'} in its environment), but its configuration names the other engine.`);
  }
  if (config.databaseUrl === undefined) return openDatabase(config.databasePath);
  const postgres = await openPostgres(config.databaseUrl);
  return Object.assign(postgres, { $writer: postgres }) as unknown as Database;
}

/** Closes both connections (PostgreSQL's pool once its queries are done). */
export async function closeDatabase(db: Database): Promise<void> {
  if (onPostgres) {
    const pool = db.$client as unknown as pg.Pool;
    if (!pool.ended) await pool.end().catch(() => undefined);
    return;
  }
  if (db.$client.open) db.$client.close();
  if (db.$writer.$client.open) db.$writer.$client.close();
}
