import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from '../../db/schema.ts';
import { REFERENCE_COPY, RESTRICTION_NOTE, victorSergeContainers, victorSergePapers, victorSergeSeries } from '../../db/seed/victor-serge-papers.ts';
import { entryId } from '../../src/finding-aids/search-entries.ts';

// A database as the last release before reading rooms (v1 and the finding aids, migrations up
// to 0006_oai_harvests) left it: the project's own migrations, stopped there, and the seed the
// release ran. Its rows are then written as that release wrote them, in its own columns.

const MIGRATIONS = join(import.meta.dirname, '../../db/migrations');
const LAST_V1_MIGRATION = '0006_oai_harvests';

/** GEN MSS 238 and its 29 containers, in the columns the tables had then (no reading room). */
function seedV1(sqlite: Sqlite.Database): void {
  const p = victorSergePapers;
  const collectionId = Number(
    sqlite
      .prepare('insert into collections (call_number, title, dates, bulk_dates, extent, repository, access_note, abstract) values (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(p.callNumber, p.title, p.dates, p.bulkDates, p.extent, p.repository, p.accessNote, p.abstract).lastInsertRowid,
  );
  const series = sqlite.prepare('insert into series (collection_id, position, title) values (?, ?, ?)');
  victorSergeSeries.forEach((title, i) => series.run(collectionId, i + 1, title));
  sqlite.prepare('insert into search_entries (rowid, title, abstract, component_id) values (?, ?, ?, null)').run(entryId(collectionId, 0), p.title, p.abstract);
  const insert = sqlite.prepare(
    'insert into containers (collection_id, type, indicator, label, location, position, restricted, restriction_note, surrogate_kind, surrogate_note) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  victorSergeContainers().forEach((c, i) =>
    insert.run(collectionId, c.type, c.indicator, c.label, c.location, i + 1, c.restricted ? 1 : 0, c.restricted ? RESTRICTION_NOTE : null, c.restricted ? REFERENCE_COPY.surrogateKind : null, c.restricted ? REFERENCE_COPY.surrogateNote : null),
  );
}

/** Migrates a new SQLite file at `path` up to the last v1 migration and seeds GEN MSS 238 into it, as v1's first start did. */
export function makeV1Database(path: string): Sqlite.Database {
  const folder = mkdtempSync(join(tmpdir(), 'reading-room-v1-migrations-'));
  try {
    const journal = JSON.parse(readFileSync(join(MIGRATIONS, 'meta/_journal.json'), 'utf8')) as { entries: { idx: number; tag: string }[] };
    const last = journal.entries.findIndex((e) => e.tag === LAST_V1_MIGRATION);
    if (last < 0) throw new Error(`no migration ${LAST_V1_MIGRATION}`);
    const entries = journal.entries.slice(0, last + 1);
    mkdirSync(join(folder, 'meta'));
    writeFileSync(join(folder, 'meta/_journal.json'), JSON.stringify({ ...journal, entries }));
    for (const { tag } of entries) copyFileSync(join(MIGRATIONS, `${tag}.sql`), join(folder, `${tag}.sql`));
    const sqlite = new Sqlite(path);
    sqlite.pragma('journal_mode = WAL');
    const db = drizzle({ client: sqlite, schema });
    sqlite.pragma('foreign_keys = OFF');
    migrate(db, { migrationsFolder: folder });
    sqlite.pragma('foreign_keys = ON');
    seedV1(sqlite);
    return sqlite;
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
