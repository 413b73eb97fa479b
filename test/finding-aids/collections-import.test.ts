import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { closeDatabase, openConfiguredDatabase, type Database } from '../../db/client.ts';
import { instantValue, statement } from '../../db/statements.ts';
import { loadConfig } from '../../src/config.ts';
import { runScript } from '../helpers/child.ts';
import { testDatabase } from '../helpers/postgres.ts';
import { rowCount } from '../helpers/stored-rows.ts';

// `npm run cli -- collections:import`, as a child process on a temporary database (a SQLite file,
// or under test:postgres a PostgreSQL database of its own), over small finding aids of this
// test's own: good ones, and each way a file can fail.

const ead = (callNumber: string, eadId: string, boxes: number[], padding = '') => `<?xml version="1.0" encoding="UTF-8"?>
<ead xmlns="urn:isbn:1-931666-22-9"><eadheader><eadid>${eadId}</eadid></eadheader>${padding}
<archdesc level="collection"><did><unitid>${callNumber}</unitid><unittitle>Papers ${callNumber}</unittitle></did>
<dsc>${boxes.map((b) => `<c01 id="c${b}"><did><unittitle>Folder ${b}</unittitle><container type="Box">${b}</container></did></c01>`).join('')}</dsc>
</archdesc></ead>`;

describe('collections:import', { timeout: 60_000 }, () => {
  let folder: string;
  let documents: string;
  let database: Awaited<ReturnType<typeof testDatabase>>;
  /** The test's own look at the database the CLI writes, opened once the CLI has made it. */
  let db: Database | undefined;
  const env = () => ({ ...database.env, IMPORT_MAX_BYTES: '2048', NODE_ENV: 'test' });
  const cli = async (...args: string[]) => {
    const child = runScript('src/cli.ts', env(), args);
    const exit = await child.exit;
    return { ...exit, lines: child.stdout().trimEnd().split('\n') };
  };
  const opened = async () => (db ??= await openConfiguredDatabase(loadConfig(env())));
  const count = async (table: string) => rowCount(await opened(), table);

  before(async () => {
    folder = mkdtempSync(join(tmpdir(), 'reading-room-import-'));
    database = await testDatabase(folder);
    documents = join(folder, 'finding-aids');
    mkdirSync(join(documents, 'more'), { recursive: true });
    writeFileSync(join(documents, 'a-good.xml'), ead('MSS 1', 'mss1', [1, 2]));
    writeFileSync(join(documents, 'more', 'b-good.xml'), ead('MSS 2', 'mss2', [1]));
    writeFileSync(join(documents, 'c-broken.xml'), '<ead><eadheader>');
    writeFileSync(join(documents, 'd-taken.xml'), ead('MSS 1', 'another-aid', [9]));
    writeFileSync(join(documents, 'e-large.xml'), ead('MSS 3', 'mss3', [1], `<!--${'x'.repeat(3000)}-->`));
    writeFileSync(join(documents, 'notes.txt'), 'not a finding aid');
  });
  after(async () => {
    if (db) await closeDatabase(db);
    await database.drop();
    rmSync(folder, { recursive: true, force: true });
  });

  it('imports the good files of a folder, recursively in sorted order, reports each bad one, sums up, and exits 1', async () => {
    const { code, lines, stderr } = await cli('collections:import', documents, join(folder, 'missing.xml'));
    assert.equal(code, 1, stderr);
    assert.deepEqual(lines, [
      `${join(documents, 'a-good.xml')}: MSS 1 created, 2 components, containers 2 added, 0 updated, 0 unchanged, 0 withdrawn`,
      `${join(documents, 'c-broken.xml')}: failed: INVALID_EAD: Not well-formed XML at line 1, column 17: unclosed tag: eadheader.`,
      `${join(documents, 'd-taken.xml')}: failed: CALL_NUMBER_TAKEN: The call number MSS 1 belongs to the collection imported from the finding aid mss1, not another-aid.`,
      `${join(documents, 'e-large.xml')}: failed: TOO_LARGE: 3348 bytes, more than IMPORT_MAX_BYTES (2048)`,
      `${join(documents, 'more', 'b-good.xml')}: MSS 2 created, 1 component, containers 1 added, 0 updated, 0 unchanged, 0 withdrawn`,
      `${join(folder, 'missing.xml')}: failed: UNREADABLE: ENOENT: no such file or directory, stat '${join(folder, 'missing.xml')}'`,
      lines.at(-1) ?? '',
    ]);
    assert.match(lines.at(-1) ?? '', /^2 files imported, 4 failed; 3 components; containers 3 added, 0 updated, 0 unchanged, 0 withdrawn; \d+\.\d s, \d+\.\d files\/s$/);
    assert.equal(await count('containers'), 3);
  });

  it('imports the same files again as updated, every container unchanged, and exits 0', async () => {
    const { code, lines, stderr } = await cli('collections:import', join(documents, 'a-good.xml'), join(documents, 'more'));
    assert.equal(code, 0, stderr);
    assert.equal(lines[0], `${join(documents, 'a-good.xml')}: MSS 1 updated, 2 components, containers 0 added, 0 updated, 2 unchanged, 0 withdrawn`);
    assert.match(lines.at(-1) ?? '', /^2 files imported, 0 failed; 3 components; containers 0 added, 0 updated, 3 unchanged, 0 withdrawn;/);
    assert.equal(await count('containers'), 3);
  });

  it('puts the collections in the reading room --room names; an unknown room stops before any import', async () => {
    const writer = (await opened()).$writer;
    await statement(writer, "insert into reading_rooms (code, name, timezone, settings_seeded_at) values ('east', 'East', 'America/New_York', ?)").write(instantValue(new Date(0)));
    const unknown = await cli('collections:import', '--room', '99', join(documents, 'a-good.xml'));
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /--room: there is no reading room 99/);
    const { code, stderr } = await cli('collections:import', '--room', '2', join(documents, 'a-good.xml'));
    assert.equal(code, 0, stderr);
    const rooms = await statement(await opened(), 'select call_number, reading_room_id from collections order by call_number').rows();
    assert.deepEqual(rooms, [
      { call_number: 'MSS 1', reading_room_id: 2 },
      { call_number: 'MSS 2', reading_room_id: 1 },
    ]);
  });

  it('asks for a path when given none', async () => {
    const { code, stderr } = await cli('collections:import');
    assert.equal(code, 1);
    assert.match(stderr, /collections:import needs files or folders/);
  });
});
