import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Job } from 'bullmq';
import { count, eq } from 'drizzle-orm';
import { closeDatabase, openConfiguredDatabase, type Database } from '../../db/client.ts';
import { statement } from '../../db/statements.ts';
import { containers } from '../../db/tables.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import { maintenanceProcessor } from '../../workers/maintenance/processor.ts';
import { schedules } from '../../workers/schedules.ts';
import { fixturesMissing, startOaiServer, type OaiServer } from '../helpers/oai-server.ts';
import { testDatabase } from '../helpers/postgres.ts';
import { rowCount } from '../helpers/stored-rows.ts';

// The nightly harvest: the maintenance queue's processor, run as BullMQ would run it, against the
// test OAI-PMH repository and a temporary database.

describe('the nightly OAI-PMH harvest', { timeout: 120_000 }, () => {
  it('is scheduled at 02:00 when OAI_URL is set, and not otherwise', () => {
    const harvest = (config: Config) => schedules(config).filter((s) => s.id === 'oai-harvest');
    assert.deepEqual(harvest(loadConfig({})), []);
    assert.deepEqual(harvest(loadConfig({ OAI_URL: 'https://archives.example.edu/oai' })), [{ queue: 'maintenance', id: 'oai-harvest', pattern: '0 2 * * *' }]);
  });

  describe('the job', { skip: fixturesMissing }, () => {
    let folder: string;
    let oai: OaiServer;
    let database: Awaited<ReturnType<typeof testDatabase>>;
    let db: Database;
    let now = new Date('2025-01-15T07:00:00Z');
    const warnings: unknown[] = [];
    const run = (oaiUrl: string) => {
      const config = loadConfig({ ...database.env, OAI_URL: oaiUrl, OAI_SET: 'ead' });
      const process = maintenanceProcessor({ db, clock: () => now, log: { warn: (fields: unknown) => warnings.push(fields) }, config });
      return process({ name: 'oai-harvest' } as Job);
    };
    const harvests = () => statement(db, 'select "from", records, deleted, failures, error from oai_harvests order by id').rows();
    const counts = async () => ({ collections: await rowCount(db, 'collections'), containers: await rowCount(db, 'containers') });

    before(async () => {
      folder = mkdtempSync(join(tmpdir(), 'reading-room-nightly-'));
      oai = await startOaiServer(4);
      database = await testDatabase(folder);
      db = await openConfiguredDatabase(loadConfig(database.env));
    });
    after(async () => {
      if (db) await closeDatabase(db);
      await database?.drop();
      await oai?.close();
      rmSync(folder, { recursive: true, force: true });
    });

    it('harvests everything the first night and records it', async () => {
      const outcome = await run(oai.url);
      assert.deepEqual(outcome, { from: null, imported: oai.files.length, deleted: 1, failed: 0 });
      assert.deepEqual(Object.fromEntries(oai.requests[0] ?? []), { verb: 'ListRecords', metadataPrefix: 'oai_ead', set: 'ead' });
      assert.deepEqual(await counts(), { collections: oai.files.length, containers: 1697 });
      assert.deepEqual(warnings, []);
    });

    it('run again the same day, asks from that day and imports nothing new', async () => {
      oai.requests.length = 0;
      now = new Date('2025-02-01T08:00:00Z');
      const before = await counts();
      // The last success started on 2025-01-15; the repository's newer records are read again.
      assert.deepEqual(await run(oai.url), { from: '2025-01-15', imported: 11, deleted: 1, failed: 0 });
      assert.equal(oai.requests[0]?.get('from'), '2025-01-15');
      assert.deepEqual(await run(oai.url), { from: '2025-02-01', imported: 11, deleted: 1, failed: 0 });
      assert.deepEqual(await counts(), before);
      const [withdrawn] = await db.select({ n: count() }).from(containers).where(eq(containers.withdrawn, true));
      assert.deepEqual(withdrawn, { n: 0 }, 'no container withdrawn by a document read again');
    });

    it('fails on a repository error, recorded, without moving the next harvest’s day', async () => {
      await assert.rejects(run(`${oai.url}/500`), { name: 'OaiError', code: 'http' });
      now = new Date('2025-02-03T08:00:00Z');
      oai.requests.length = 0;
      const outcome = await run(oai.url);
      assert.deepEqual(outcome, { from: '2025-02-01', imported: 11, deleted: 1, failed: 0 });
      const recorded = await harvests();
      assert.equal(recorded.length, 5);
      assert.match(String((recorded[3] as { error: string }).error), /^http: .* answered HTTP 500/);
    });
  });
});
