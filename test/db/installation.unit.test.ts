import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Sqlite from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { closeDatabase, openDatabase } from '../../db/client.ts';
import { installationId, renewInstallationId } from '../../db/installation.ts';
import { outbox } from '../../db/tables.ts';

const folder = mkdtempSync(join(tmpdir(), 'reading-room-installation-'));
after(() => rmSync(folder, { recursive: true, force: true }));

describe('the installation id', () => {
  it('is made with the database: 12 hex digits, one per database, different for every new database', async () => {
    const first = openDatabase(join(folder, 'first.sqlite'));
    const second = openDatabase(join(folder, 'second.sqlite'));
    assert.match(await installationId(first), /^[0-9a-f]{12}$/);
    assert.notEqual(await installationId(first), await installationId(second));
    assert.throws(() => first.$writer.$client.prepare("insert into installation (id) values ('0123456789ab')").run(), /a database has one installation/);
    await closeDatabase(first);
    await closeDatabase(second);
  });

  it('is kept by a copy of the file, and changed only when asked', async () => {
    const original = openDatabase(join(folder, 'original.sqlite'));
    const id = await installationId(original);
    await closeDatabase(original);
    copyFileSync(join(folder, 'original.sqlite'), join(folder, 'copy.sqlite'));
    const copy = openDatabase(join(folder, 'copy.sqlite'));
    assert.equal(await installationId(copy), id);
    const renewed = await renewInstallationId(copy);
    assert.match(renewed, /^[0-9a-f]{12}$/);
    assert.notEqual(renewed, id);
    assert.equal(await installationId(copy), renewed);
    await closeDatabase(copy);
  });

  it('is given to a database made before installations existed, whose waiting mail gets row keys', async () => {
    // The migrations as they stood before installations: 0000 and 0001 only.
    const v1 = join(folder, 'v1-migrations');
    mkdirSync(join(v1, 'meta'), { recursive: true });
    const migrations = new URL('../../db/migrations/', import.meta.url);
    const journal = JSON.parse(readFileSync(new URL('meta/_journal.json', migrations), 'utf8')) as { entries: { tag: string }[] };
    const before = journal.entries.filter((e) => e.tag.startsWith('0000') || e.tag.startsWith('0001'));
    assert.equal(before.length, 2);
    writeFileSync(join(v1, 'meta', '_journal.json'), JSON.stringify({ ...journal, entries: before }));
    for (const { tag } of before) copyFileSync(new URL(`${tag}.sql`, migrations), join(v1, `${tag}.sql`));

    const path = join(folder, 'v1.sqlite');
    const sqlite = new Sqlite(path);
    migrate(drizzle({ client: sqlite }), { migrationsFolder: v1 });
    const insert = sqlite.prepare("insert into outbox (queue, job_name, payload) values ('notifications', 'verify-email', '{}')");
    insert.run();
    insert.run();
    sqlite.close();

    const db = openDatabase(path);
    assert.match(await installationId(db), /^[0-9a-f]{12}$/);
    const keys = (await db.select({ key: outbox.key }).from(outbox)).map((r) => r.key);
    assert.equal(keys.length, 2);
    for (const key of keys) assert.match(key ?? '', /^[0-9a-f]{8}$/);
    assert.notEqual(keys[0], keys[1], 'each row a key of its own');
    await closeDatabase(db);
  });
});
