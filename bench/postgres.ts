import pg from 'pg';
import { closeDatabase, openDatabase } from '../db/client.ts';
import { copyIntoPostgres } from '../db/copy.ts';
import { openPostgres } from '../db/postgres/client.ts';
import { OwnPostgresDatabase } from '../test/helpers/postgres.ts';
import type { Fixture } from './fixtures.ts';
import { CONNECTIONS } from './http.ts';
import { summarise } from './stats.ts';

// The PostgreSQL scenarios (issue 18), on the server the tests use (TEST_POSTGRES_URL, else
// 127.0.0.1:5432 as user postgres), each in a database of its own, dropped afterwards.

/**
 * `postgres.durable-insert`: PostgreSQL's own ceiling for one-row durable commits on this machine.
 * CONNECTIONS clients at once (as many as the HTTP scenarios' connections), each committing one
 * row at a time (autocommit, synchronous_commit on: each commit waits for its WAL to be flushed,
 * a flush PostgreSQL shares among the commits that arrive together).
 */
export async function postgresDurableInsert(seconds: number) {
  const database = await OwnPostgresDatabase.create();
  const clients: pg.Client[] = [];
  try {
    await database.query('create table rows (id bigint generated always as identity primary key, payload text not null, created_at timestamptz not null)');
    for (let i = 0; i < CONNECTIONS; i++) {
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      clients.push(client);
    }
    const latencies: number[] = [];
    let n = 0;
    const started = performance.now();
    const until = started + seconds * 1000;
    await Promise.all(
      clients.map(async (client) => {
        for (let at = performance.now(); at < until; n++) {
          await client.query({ name: 'insert', text: 'insert into rows (payload, created_at) values ($1, now())', values: [`row ${n}`] });
          const done = performance.now();
          latencies.push(done - at);
          at = done;
        }
      }),
    );
    return summarise('postgres.durable-insert', latencies, n, performance.now() - started, 'postgres.durable-insert');
  } finally {
    await Promise.all(clients.map((client) => client.end()));
    await database.drop();
  }
}

/** A bench database moved onto PostgreSQL with db:copy's own code: its env for the servers, and its drop. */
export async function copiedToPostgres(fixture: Fixture): Promise<Fixture & { drop(): Promise<void> }> {
  const database = await OwnPostgresDatabase.create();
  const target = await openPostgres(database.url);
  const source = openDatabase(fixture.databasePath);
  try {
    const tables = await copyIntoPostgres(source, target);
    const differing = tables.filter((t) => !t.same).map((t) => t.table);
    if (differing.length > 0) throw new Error(`the copy into PostgreSQL differs in ${differing.join(', ')}`);
  } finally {
    await closeDatabase(source);
    await target.$client.end();
  }
  return { ...fixture, env: { ...fixture.env, DATABASE_URL: database.url }, drop: () => database.drop() };
}
