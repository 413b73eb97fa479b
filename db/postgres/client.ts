import { fileURLToPath } from 'node:url';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import * as schema from './schema.ts';

export type PostgresDatabase = NodePgDatabase<typeof schema> & { $client: pg.Pool };

const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));

/**
 * Connects to the PostgreSQL database at `url` (a pool) and applies its pending migrations, as
 * openDatabase does for SQLite. Several processes may start at once: drizzle's migrator runs in
 * one transaction, and a lock held for it keeps a second process from applying the same migrations.
 */
export async function openPostgres(url: string): Promise<PostgresDatabase> {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle connection the server drops (a restart, a failover) is an event, not a crash.
  pool.on('error', () => {});
  const db = drizzle({ client: pool, schema });
  const client = await pool.connect();
  try {
    await client.query('select pg_advisory_lock(hashtext($1))', ['reading-room migrations']);
    await migrate(drizzle({ client }), { migrationsFolder });
  } finally {
    await client.query('select pg_advisory_unlock(hashtext($1))', ['reading-room migrations']).catch(() => undefined);
    client.release();
  }
  return db;
}
