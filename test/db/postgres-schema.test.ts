import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { getTableColumns, getTableName } from 'drizzle-orm';
import { getTableConfig } from 'drizzle-orm/pg-core';
import { getTableConfig as getSqliteTableConfig } from 'drizzle-orm/sqlite-core';
import { closeDatabase, openDatabase, type Database } from '../../db/client.ts';
import { tablePairs } from '../../db/copy.ts';
import { openPostgres } from '../../db/postgres/client.ts';
import { OwnPostgresDatabase } from '../helpers/postgres.ts';

// Not under test:postgres: it compares the two schemas, on a PostgreSQL database of its own, under npm test.

// The PostgreSQL schema (db/postgres/) against the SQLite one (db/schema.ts and its migrations):
// the same tables and columns, read back as the same values, with the same guarantees made by
// PostgreSQL's own means.

describe('the PostgreSQL schema', { timeout: 60_000 }, () => {
  let postgres: OwnPostgresDatabase;
  let folder: string;
  let sqlite: Database;

  before(async () => {
    postgres = await OwnPostgresDatabase.create();
    // Two processes starting at once on a new database: the migrations are applied once.
    const [a, b] = await Promise.all([openPostgres(postgres.url), openPostgres(postgres.url)]);
    await Promise.all([a.$client.end(), b.$client.end()]);
    folder = mkdtempSync(join(tmpdir(), 'reading-room-schema-'));
    sqlite = openDatabase(join(folder, 'reading-room.sqlite'));
  });
  after(async () => {
    if (sqlite) await closeDatabase(sqlite);
    if (folder) rmSync(folder, { recursive: true, force: true });
    await postgres?.drop();
  });

  it('has every table of the SQLite schema, with the same columns, types as read, nullability and defaults', async () => {
    const pairs = tablePairs();
    assert.equal(pairs.length, 23, 'every table of db/schema.ts');
    type Described = { name: string; dataType: string; notNull: boolean; hasDefault: boolean; primary: boolean; enumValues?: string[] | undefined };
    // SQLite numbers every INTEGER PRIMARY KEY by itself; whether a key is numbered is compared below.
    const describe = (columns: Record<string, Described>) =>
      Object.entries(columns).map(([key, c]) => ({ key, name: c.name, dataType: c.dataType, notNull: c.notNull, hasDefault: c.primary ? 'key' : c.hasDefault, enumValues: c.enumValues ?? [] }));
    for (const { name, sqlite: sqliteTable, pg } of pairs) {
      assert.deepEqual(describe(getTableColumns(pg)), describe(getTableColumns(sqliteTable)), `the columns of ${name}`);
      const numbered = (table: typeof sqliteTable | typeof pg) =>
        Object.values(getTableColumns(table))
          .filter((c) => (c as { autoIncrement?: boolean }).autoIncrement || c.generatedIdentity)
          .map((c) => c.name);
      assert.deepEqual(numbered(pg), numbered(sqliteTable), `the ids ${name} numbers by itself`);
    }
  });

  it('made the tables, indexes and checks the drizzle schemas declare, on both engines', async () => {
    const pgColumns = await postgres.query<{ table_name: string; column_name: string; is_nullable: string }>(
      `select table_name, column_name, is_nullable from information_schema.columns where table_schema = 'public' and table_name <> 'search_entries' order by table_name, column_name`,
    );
    const sqliteColumns = tablePairs()
      .flatMap(({ name }) =>
        (sqlite.$client.pragma(`table_info(${name})`) as { name: string; notnull: number; pk: number }[]).map((c) => ({
          table_name: name,
          column_name: c.name,
          // An INTEGER PRIMARY KEY of SQLite is never null, whatever table_info says.
          is_nullable: c.notnull || c.pk ? 'NO' : 'YES',
        })),
      )
      .sort((a, b) => (a.table_name + ' ' + a.column_name < b.table_name + ' ' + b.column_name ? -1 : 1));
    assert.deepEqual(pgColumns.map((c) => ({ ...c })), sqliteColumns);

    const pgIndexes = (
      await postgres.query<{ name: string }>(
        `select c.relname as name from pg_index i join pg_class c on c.oid = i.indexrelid where c.relnamespace = 'public'::regnamespace and not i.indisprimary`,
      )
    )
      .map((r) => r.name)
      .filter((name) => name !== 'search_entries_words')
      .sort();
    const sqliteIndexes = (sqlite.$client.prepare(`select name from sqlite_master where type = 'index' and name not like 'sqlite_autoindex_%'`).pluck().all() as string[]).sort();
    assert.deepEqual(pgIndexes, sqliteIndexes);

    const pgChecks = (await postgres.query<{ conname: string }>(`select conname from pg_constraint where contype = 'c' and connamespace = 'public'::regnamespace`)).map((r) => r.conname).sort();
    const declared = tablePairs()
      .flatMap(({ sqlite: table }) => getSqliteTableConfig(table).checks.map((c) => c.name))
      .sort();
    assert.deepEqual(pgChecks, declared);
    assert.deepEqual(
      tablePairs().flatMap(({ pg }) => getTableConfig(pg).checks.map((c) => `${getTableName(pg)}.${c.name}`)).sort(),
      tablePairs().flatMap(({ sqlite: table }) => getSqliteTableConfig(table).checks.map((c) => `${getTableName(table)}.${c.name}`)).sort(),
    );
  });

  it('keeps request events and notes append-only', async () => {
    const [room] = await postgres.query<{ id: number }>(`select id from reading_rooms`);
    assert.ok(room);
    await postgres.query(
      `with u as (insert into users (email, name, password_hash) values ('reader@example.org', 'Reader', 'x') returning id),
            col as (insert into collections (call_number, title, dates, extent, repository) values ('MS 1', 'Papers', '1900', '1 box', 'Library') returning id),
            box as (insert into containers (collection_id, type, indicator, label, position) select id, 'box', '1', 'Box 1', 1 from col returning id),
            r as (insert into requests (researcher_id, container_id, visit_date, reading_room_id, status) select u.id, box.id, '2026-12-07', 1, 'scheduled' from u, box returning id, researcher_id),
            e as (insert into request_events (request_id, at, actor_id, actor_role, to_status) select id, now(), researcher_id, 'researcher', 'scheduled' from r)
       insert into request_notes (request_id, author_id, visibility, text) select id, researcher_id, 'staff', 'Fragile' from r`,
    );
    await assert.rejects(postgres.query(`update request_events set note = 'changed'`), /request events are append-only/);
    await assert.rejects(postgres.query(`delete from request_events`), /request events are append-only/);
    await assert.rejects(postgres.query(`truncate request_events cascade`), /append-only/);
    await assert.rejects(postgres.query(`update request_notes set text = 'changed'`), /request notes are append-only/);
    await assert.rejects(postgres.query(`delete from request_notes`), /request notes are append-only/);
    assert.deepEqual(await postgres.query(`select count(*)::int as n from request_events`), [{ n: 1 }]);
  });

  it('holds a box for one researcher a day, whatever the connections: the one-holder index', async () => {
    // Two connections insert the same box for the same day as `scheduled` at once: one wins.
    const insert = () =>
      postgres.query(
        `insert into requests (researcher_id, container_id, visit_date, reading_room_id, status) select u.id, c.id, '2026-12-08', 1, 'scheduled' from users u, containers c limit 1`,
      );
    const outcomes = await Promise.allSettled([insert(), insert(), insert()]);
    assert.equal(outcomes.filter((o) => o.status === 'fulfilled').length, 1);
    assert.match(String((outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult).reason), /requests_one_holder/);
    // Waitlisted requests for the same box and day are not holders.
    await postgres.query(
      `insert into requests (researcher_id, container_id, visit_date, reading_room_id, status) select u.id, c.id, '2026-12-08', 1, 'waitlisted' from users u, containers c limit 1`,
    );
  });

  it('has one installation, of 12 random hex digits, and refuses a second', async () => {
    const rows = await postgres.query<{ id: string }>(`select id from installation`);
    assert.equal(rows.length, 1);
    assert.match(rows[0]?.id ?? '', /^[0-9a-f]{12}$/);
    await assert.rejects(postgres.query(`insert into installation (id) values ('0123456789ab')`), /a database has one installation/);
    const other = await OwnPostgresDatabase.create();
    try {
      const db = await openPostgres(other.url);
      await db.$client.end();
      const [theirs] = await other.query<{ id: string }>(`select id from installation`);
      assert.notEqual(theirs?.id, rows[0]?.id, 'each new database is an installation of its own');
    } finally {
      await other.drop();
    }
  });

  it('finds words in titles and abstracts with accents and case folded', async () => {
    await postgres.query(
      `insert into search_entries (entry, title, abstract) values (4294967296, 'Correspondance de Victor Serge', 'Lettres écrites à Mexico'), (4294967297, 'Éditions et traductions', null)`,
    );
    const find = (words: string) =>
      postgres.query<{ entry: string }>(`select entry from search_entries where words @@ plainto_tsquery('simple', folded($1)) order by entry`, [words]);
    assert.deepEqual(await find('mexico ECRITES'), [{ entry: '4294967296' }]);
    assert.deepEqual(await find('editions'), [{ entry: '4294967297' }]);
    assert.deepEqual(await find('serge'), [{ entry: '4294967296' }]);
    assert.deepEqual(await find('trotsky'), []);
  });
});
