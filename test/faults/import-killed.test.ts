import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { resolveJwtSecret } from '../../src/accounts/jwt-secret.ts';
import { todayIn } from '../../src/domain/calendar.ts';
import { importFindingAid } from '../../src/finding-aids/import.ts';
import { closeDatabase, openConfiguredDatabase } from '../../db/client.ts';
import { onPostgres } from '../../db/engine.ts';
import { statement } from '../../db/statements.ts';
import { collections } from '../../db/tables.ts';
import { eadDocument, fileComponent, seriesComponent } from '../helpers/ead-documents.ts';
import { checkFile, freshDatabase, signToken, sleep, startServer, type FaultDatabase } from '../helpers/fault-kit.ts';
import { makeAccount } from '../helpers/people.ts';
import { CATALOGUE_TABLES, tablesChecksum } from '../helpers/stored-rows.ts';

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

/**
 * Resolves once another process's import transaction has begun writing, each engine seen its own
 * way: on SQLite, its pages spilling into the WAL (a megabyte past the size at the start); on
 * PostgreSQL, a session of the database other than this one holding a transaction id (given at its
 * first write) for 300 ms, so that it is well into its rows.
 */
async function importWriting(file: FaultDatabase, deadline: number): Promise<void> {
  if (!onPostgres) {
    const walAtStart = walSize(file.path);
    while (walSize(file.path) < walAtStart + 1024 * 1024 && Date.now() < deadline) await sleep(2);
    return;
  }
  const writing = statement<{ since: number | null }>(
    file.db,
    `select extract(epoch from now() - min(xact_start)) * 1000 as since from pg_stat_activity
      where datname = current_database() and pid <> pg_backend_pid() and backend_xid is not null`,
  );
  for (;;) {
    const { since } = (await writing.first())!;
    if ((since !== null && Number(since) >= 300) || Date.now() > deadline) return;
    await sleep(5);
  }
}

describe('kill -9 of the API during a large import', () => {
  it('leaves the previous version of the finding aid intact, row for row', { timeout: 120_000 }, async () => {
    const file = await freshDatabase();
    try {
      const { user } = await makeAccount(file.db, 'admin');
      const token = signToken(resolveJwtSecret(file.config), user);
      await importFindingAid(file.db, largeFindingAid('First', 4), todayIn(file.config.timezone, new Date()));
      const before = await tablesChecksum(file.db, CATALOGUE_TABLES);
      // On SQLite the file is left to the server alone; on PostgreSQL this connection watches its session.
      if (!onPostgres) await closeDatabase(file.db);

      const server = await startServer(file.env);
      const writing = importWriting(file, Date.now() + 60_000);
      // The second edition: every title and most boxes changed, 40 series (20,000 components).
      const answer = fetch(`${server.url}/api/v1/collections/import`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/xml' },
        body: largeFindingAid('Second', 40),
      }).then(
        (r) => r.status,
        () => 'no answer' as const,
      );
      await writing;
      const exit = await server.kill();
      assert.equal(exit.signal, 'SIGKILL');
      assert.equal(await answer, 'no answer', 'the kill came before the import answered');

      if (!onPostgres) assert.deepEqual(checkFile(file.path), { integrity: 'ok', foreignKeyViolations: 0 });
      const reopened = await openConfiguredDatabase(file.config);
      try {
        assert.equal(await tablesChecksum(reopened, CATALOGUE_TABLES), before, 'the first edition, every row as it was');
        const [collection] = await reopened.select({ title: collections.title }).from(collections).where(eq(collections.callNumber, 'MS 4000'));
        assert.equal(collection?.title, 'First papers');
      } finally {
        await closeDatabase(reopened);
      }
    } finally {
      await file.remove();
    }
  });
});
