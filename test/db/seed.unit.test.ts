import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { count, eq } from 'drizzle-orm';
import { closeDatabase, openDatabase } from '../../db/client.ts';
import { closures, collections, containers } from '../../db/tables.ts';
import { federalHolidays, seedFederalHolidays } from '../../db/seed/federal-holidays.ts';
import { seedDatabase } from '../../db/seed/index.ts';
import { loadConfig } from '../../src/config.ts';

const folder = mkdtempSync(join(tmpdir(), 'reading-room-seed-'));
after(() => rmSync(folder, { recursive: true, force: true }));
let files = 0;
const freshDatabase = () => openDatabase(join(folder, `seed-${++files}.sqlite`));

describe('the federal holidays', () => {
  it('of 2026 are the eleven US federal holidays, Independence Day observed on Friday 3 July', () => {
    assert.deepEqual(federalHolidays(2026), [
      { date: '2026-01-01', name: "New Year's Day" },
      { date: '2026-01-19', name: 'Martin Luther King Jr. Day' },
      { date: '2026-02-16', name: "Washington's Birthday" },
      { date: '2026-05-25', name: 'Memorial Day' },
      { date: '2026-06-19', name: 'Juneteenth' },
      { date: '2026-07-03', name: 'Independence Day (substitute day)' },
      { date: '2026-09-07', name: 'Labor Day' },
      { date: '2026-10-12', name: 'Columbus Day' },
      { date: '2026-11-11', name: 'Veterans Day' },
      { date: '2026-11-26', name: 'Thanksgiving Day' },
      { date: '2026-12-25', name: 'Christmas Day' },
    ]);
  });

  it('are seeded once a year: a holiday an admin reopened stays open, and an admin’s own reason stays', async () => {
    const db = freshDatabase();
    (await db.$writer.insert(closures).values({ date: '2026-12-25', reason: 'Library closed for the winter break' }));
    assert.deepEqual(await seedFederalHolidays(db, [2026]), [2026]);
    (await db.$writer.delete(closures).where(eq(closures.date, '2026-10-12')));

    assert.deepEqual(await seedFederalHolidays(db, [2026, 2029]), [2029]);
    const reasons = new Map((await db.select().from(closures)).map((c) => [c.date, c.reason]));
    assert.equal(reasons.has('2026-10-12'), false);
    assert.equal(reasons.get('2026-12-25'), 'Library closed for the winter break');
    assert.equal(reasons.get('2029-11-22'), 'Thanksgiving Day');
    await closeDatabase(db);
  });
});

describe('seeding at start-up', () => {
  it('adds GEN MSS 238 to an empty database once, however often the server starts', async () => {
    const path = join(folder, 'restarts.sqlite');
    for (let start = 0; start < 3; start++) {
      const db = openDatabase(path);
      await seedDatabase(db, loadConfig({}), '2026-11-26');
      await closeDatabase(db);
    }
    const db = openDatabase(path);
    assert.equal((await db.select({ n: count() }).from(collections))[0]?.n, 1);
    assert.equal((await db.select({ n: count() }).from(containers))[0]?.n, 29);
    assert.deepEqual(db.$client.pragma('integrity_check'), [{ integrity_check: 'ok' }]);
    await closeDatabase(db);
  });

  it('opens the file with WAL, full synchronous writes, foreign keys and a busy timeout; reads outside transactions only read', async () => {
    const db = freshDatabase();
    assert.equal(db.$client.readonly, true);
    assert.equal(db.$writer.$client.readonly, false);
    const pragma = (name: string) => db.$writer.$client.pragma(name, { simple: true });
    assert.equal(pragma('journal_mode'), 'wal');
    assert.equal(pragma('synchronous'), 2); // FULL
    assert.equal(pragma('foreign_keys'), 1);
    assert.ok(Number(pragma('busy_timeout')) >= 1000);
    await closeDatabase(db);
  });

  it('refuses to lift a restriction while the restriction note remains', async () => {
    const db = freshDatabase();
    await seedDatabase(db, loadConfig({}), '2026-11-26');
    await assert.rejects(
      async () => await db.$writer.update(containers).set({ restricted: false }).where(eq(containers.label, 'Box 23')),
      /CHECK constraint failed/,
    );
    await closeDatabase(db);
  });
});
