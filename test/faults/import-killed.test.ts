import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { describe, it } from 'node:test';
import { resolveJwtSecret } from '../../src/accounts/jwt-secret.ts';
import { todayIn } from '../../src/domain/calendar.ts';
import { importFindingAid } from '../../src/finding-aids/import.ts';
import { closeDatabase, openDatabase } from '../../db/client.ts';
import { eadDocument, fileComponent, seriesComponent } from '../helpers/ead-documents.ts';
import { checkFile, freshDatabase, signToken, sleep, startServer } from '../helpers/fault-kit.ts';
import { makeAccount } from '../helpers/people.ts';
import { CATALOGUE_TABLES, tablesChecksum } from '../helpers/stored-rows.ts';

// Not under test:postgres yet: it starts processes on a SQLite file, or reads SQLite itself.

// Issue 14: `kill -9` of the API in the middle of a large import. One import is one transaction,
// so the next process finds the previous version of the finding aid, every row as it was.

/** A finding aid of `series` series of 500 files each, its titles and boxes marked with `edition`. */
function largeFindingAid(edition: string, series: number): string {
  let dsc = '';
  for (let s = 1; s <= series; s++) {
    let files = '';
    for (let f = 1; f <= 500; f++) {
      const box = (s - 1) * 25 + Math.ceil(f / 20);
      files += fileComponent(`s${s}f${f}`, `${edition} correspondence ${s}.${f}`, `<container type="Box">${box}</container><container type="Folder">${f}</container>`);
    }
    dsc += seriesComponent(`s${s}`, `${edition} series ${s}`, files);
  }
  return eadDocument({ callNumber: 'MS 4000', eadId: 'ms-4000', title: `${edition} papers`, dsc });
}

const walSize = (path: string) => {
  try {
    return statSync(`${path}-wal`).size;
  } catch {
    return 0;
  }
};

describe('kill -9 of the API during a large import', () => {
  it('leaves the previous version of the finding aid intact, row for row', { timeout: 120_000 }, async () => {
    const file = await freshDatabase();
    try {
      const { user } = await makeAccount(file.db, 'admin');
      const token = signToken(resolveJwtSecret(file.config), user);
      await importFindingAid(file.db, largeFindingAid('First', 4), todayIn(file.config.timezone, new Date()));
      const before = await tablesChecksum(file.db, CATALOGUE_TABLES);
      await closeDatabase(file.db);

      const server = await startServer({ DATABASE_PATH: file.path, QUEUE_PREFIX: file.config.queuePrefix });
      const walAtStart = walSize(file.path);
      // The second edition: every title and most boxes changed, 40 series (20,000 components).
      const answer = fetch(`${server.url}/api/v1/collections/import`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/xml' },
        body: largeFindingAid('Second', 40),
      }).then(
        (r) => r.status,
        () => 'no answer' as const,
      );
      // The transaction has begun writing once its pages spill into the WAL: kill it then.
      const deadline = Date.now() + 60_000;
      while (walSize(file.path) < walAtStart + 1024 * 1024 && Date.now() < deadline) await sleep(2);
      const exit = await server.kill();
      assert.equal(exit.signal, 'SIGKILL');
      assert.equal(await answer, 'no answer', 'the kill came before the import answered');

      assert.deepEqual(checkFile(file.path), { integrity: 'ok', foreignKeyViolations: 0 });
      const reopened = openDatabase(file.path);
      try {
        assert.equal(await tablesChecksum(reopened, CATALOGUE_TABLES), before, 'the first edition, every row as it was');
        const title = reopened.$client.prepare("select title from collections where call_number = 'MS 4000'").pluck().get();
        assert.equal(title, 'First papers');
      } finally {
        await closeDatabase(reopened);
      }
    } finally {
      await file.remove();
    }
  });
});
