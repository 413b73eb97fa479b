import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { closeDatabase, openConfiguredDatabase, type Database } from '../../db/client.ts';
import { statement } from '../../db/statements.ts';
import { loadConfig } from '../../src/config.ts';
import { runScript } from '../helpers/child.ts';
import { DELETED_ID, fixturesMissing, NEW_DAY, startOaiServer, type OaiServer } from '../helpers/oai-server.ts';
import { testDatabase } from '../helpers/postgres.ts';
import { rowCount } from '../helpers/stored-rows.ts';

// `npm run cli -- collections:harvest`, as a child process on temporary databases (SQLite files,
// or under test:postgres PostgreSQL databases of its own), against an OAI-PMH repository of the
// test's own serving the shared EAD fixtures, three records a page.

describe('collections:harvest', { timeout: 180_000, skip: fixturesMissing }, () => {
  let folder: string;
  let oai: OaiServer;
  const databases: Awaited<ReturnType<typeof testDatabase>>[] = [];
  /** A harvest into a database of its own, named by its environment. */
  const harvest = async (args: string[]) => {
    const database = await testDatabase(mkdtempSync(join(folder, 'harvest-')));
    databases.push(database);
    const env = { ...database.env, NODE_ENV: 'test' };
    const child = runScript('src/cli.ts', env, ['collections:harvest', ...args]);
    const exit = await child.exit;
    return { ...exit, database: env, lines: child.stdout().trimEnd().split('\n') };
  };
  /** What `read` finds in a harvest's database, through a connection of the test's own. */
  const inDatabase = async <T>(database: Record<string, string>, read: (db: Database) => Promise<T>) => {
    const db = await openConfiguredDatabase(loadConfig(database));
    try {
      return await read(db);
    } finally {
      await closeDatabase(db);
    }
  };
  const rows = <T>(database: Record<string, string>, query: string) => inDatabase(database, (db) => statement<T>(db, query).rows());
  const countOf = (database: Record<string, string>, table: string) => inDatabase(database, (db) => rowCount(db, table));

  before(async () => {
    folder = mkdtempSync(join(tmpdir(), 'reading-room-harvest-'));
    oai = await startOaiServer(3);
  });
  after(async () => {
    await oai?.close();
    for (const database of databases) await database.drop();
    rmSync(folder, { recursive: true, force: true });
  });

  it('follows every resumption token, sending only the token with it, imports every record and reports the deleted one', async () => {
    const { code, lines, stderr, database } = await harvest(['--oai', oai.url]);
    assert.equal(code, 0, stderr);
    const records = oai.files.length + 1;
    const pages = Math.ceil(records / 3);
    assert.equal(oai.requests.length, pages);
    assert.deepEqual(Object.fromEntries(oai.requests[0] ?? []), { verb: 'ListRecords', metadataPrefix: 'oai_ead' });
    for (const [i, query] of oai.requests.slice(1).entries()) assert.deepEqual(Object.fromEntries(query), { verb: 'ListRecords', resumptionToken: `${(i + 1) * 3}||` });
    assert.equal(lines[0], 'oai:test:afcu: MC 20 created, 5 components, containers 2 added, 0 updated, 0 unchanged, 0 withdrawn');
    assert.ok(lines.includes(`${DELETED_ID}: deleted in the repository, skipped`));
    assert.match(lines.at(-1) ?? '', new RegExp(`^${oai.files.length} records imported, 0 failed, 1 deleted \\(skipped\\); 28233 components; containers 1697 added, 0 updated, 0 unchanged, 0 withdrawn;`));
    assert.equal(await countOf(database, 'collections'), oai.files.length);
    assert.equal(await countOf(database, 'components'), 28233);
    assert.deepEqual(await rows(database, 'select url, "set", "from", records, deleted, failures, error from oai_harvests'), [
      { url: oai.url, set: null, from: null, records: oai.files.length, deleted: 1, failures: 0, error: null },
    ]);
  });

  it('sends --from and --set, and imports what changed since that day', async () => {
    oai.requests.length = 0;
    const { code, stderr, database } = await harvest(['--oai', oai.url, '--set', 'ead', '--from', NEW_DAY]);
    assert.equal(code, 0, stderr);
    assert.deepEqual(Object.fromEntries(oai.requests[0] ?? []), { verb: 'ListRecords', metadataPrefix: 'oai_ead', set: 'ead', from: NEW_DAY });
    assert.equal(await countOf(database, 'collections'), 11);
  });

  it('takes noRecordsMatch for nothing new, not a failure', async () => {
    const { code, lines, stderr, database } = await harvest(['--oai', oai.url, '--from', '2030-01-01']);
    assert.equal(code, 0, stderr);
    assert.match(lines.at(-1) ?? '', /^0 records imported, 0 failed; 0 components;/);
    assert.equal((await rows<{ error: string | null }>(database, 'select error from oai_harvests'))[0]?.error, null);
  });

  it('stops on badResumptionToken with the message, keeps the first page, records the failure and exits 1', async () => {
    const { code, stderr, database } = await harvest(['--oai', `${oai.url}/expired`]);
    assert.equal(code, 1);
    assert.match(stderr, /^The harvest stopped after 2 pages: The repository answered badResumptionToken: The resumption token has expired\.$/m);
    assert.equal(await countOf(database, 'collections'), 3);
    assert.deepEqual(await rows(database, 'select records, error from oai_harvests'), [
      { records: 3, error: 'badResumptionToken: The repository answered badResumptionToken: The resumption token has expired.' },
    ]);
  });

  it('reports an HTTP error and exits 1', async () => {
    const { code, stderr } = await harvest(['--oai', `${oai.url}/500`]);
    assert.equal(code, 1);
    assert.match(stderr, new RegExp(`The harvest stopped after 0 pages: ${oai.url}/500 answered HTTP 500 Internal Server Error`));
  });

  it('gives up on a repository that does not answer within --timeout, and exits 1', async () => {
    const { code, stderr, seconds } = await harvest(['--oai', `${oai.url}/hang`, '--timeout', '1']);
    assert.equal(code, 1);
    assert.match(stderr, new RegExp(`The harvest stopped after 0 pages: ${oai.url}/hang did not answer within 1 s`));
    assert.ok(seconds < 30, `gave up after ${seconds} s`);
  });

  it('refuses a --from that is not a day', async () => {
    const { code, stderr } = await harvest(['--oai', oai.url, '--from', '2025-02-30']);
    assert.equal(code, 1);
    assert.match(stderr, /--from must be a day, YYYY-MM-DD \(got "2025-02-30"\)/);
  });
});
