import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { onPostgres } from '../../db/engine.ts';

/**
 * The PostgreSQL server the tests use (TEST_POSTGRES_URL, else the one at 127.0.0.1:5432 as user
 * `postgres`), through its maintenance database. Each test makes a database of its own there and
 * drops it; it never touches another. (`npm run test:postgres` sets DATABASE_URL only to choose the
 * engine, naming a database no one makes: a test that forgot to make its own fails there.)
 */
const server = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A database made for one test: `url` reaches it; `drop` removes it, ending its connections. */
export class OwnPostgresDatabase {
  private constructor(readonly name: string) {}

  get url(): string {
    const url = new URL(server);
    url.pathname = `/${this.name}`;
    return url.toString();
  }

  static async create(): Promise<OwnPostgresDatabase> {
    const database = new OwnPostgresDatabase(`reading_room_test_${randomBytes(6).toString('hex')}`);
    await onServer((client) => client.query(`create database "${database.name}"`));
    return database;
  }

  /** One query on a connection of its own. */
  async query<Row extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<Row[]> {
    const client = new pg.Client({ connectionString: this.url });
    await client.connect();
    try {
      return (await client.query<Row>(text, values)).rows;
    } finally {
      await client.end();
    }
  }

  async drop(): Promise<void> {
    await onServer((client) => client.query(`drop database if exists "${this.name}" with (force)`));
  }
}

async function onServer<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: server });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Where a test's database lives, as the configuration's environment: a SQLite file in `folder`,
 * or, under `npm run test:postgres`, a PostgreSQL database of its own, which `drop` removes.
 */
export async function testDatabase(folder: string): Promise<{ env: Record<string, string>; drop(): Promise<void> }> {
  const env = { DATABASE_PATH: join(folder, 'reading-room.sqlite') };
  if (!onPostgres) return { env, drop: async () => {} };
  const own = await OwnPostgresDatabase.create();
  return { env: { ...env, DATABASE_URL: own.url }, drop: () => own.drop() };
}

/** Where a configuration's database is, as a child process's environment says it. */
export function databaseEnvOf(config: { databasePath: string; databaseUrl: string | undefined }): Record<string, string> {
  return { DATABASE_PATH: config.databasePath, ...(config.databaseUrl ? { DATABASE_URL: config.databaseUrl } : {}) };
}

/**
 * A PostgreSQL URL as libpq's environment (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE), for
 * `pg_dump` and `pg_restore`: a password in their arguments would be in the process list, which
 * every user of the machine can read.
 */
export function libpqEnvironment(url: string): Record<string, string> {
  const { hostname, port, username, password, pathname } = new URL(url);
  return {
    PGHOST: hostname,
    PGPORT: port || '5432',
    PGUSER: decodeURIComponent(username),
    PGPASSWORD: decodeURIComponent(password),
    PGDATABASE: decodeURIComponent(pathname.slice(1)),
  };
}
