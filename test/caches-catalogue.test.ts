import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { commit } from '../db/transactions.ts';
import { catalogueChanged, whileCatalogueUnchanged } from '../src/caches.ts';
import { freshDatabase, type FaultDatabase } from './helpers/fault-kit.ts';

// src/caches.ts: what is kept while the catalogue is unchanged, inside one transaction. On
// PostgreSQL a transaction reads the catalogue's version once; one that raises it (an import, a
// container edit) must then see its own change, as on SQLite.

describe("the catalogue's version inside a transaction", () => {
  let file: FaultDatabase;
  before(async () => {
    file = await freshDatabase();
  });
  after(() => file.remove());

  it('keeps a value while the version stands, and makes it again once the transaction has raised it', async () => {
    let made = 0;
    const kept = whileCatalogueUnchanged(() => ++made);
    await commit(file.db, async (tx) => {
      assert.equal(await kept(tx), 1);
      assert.equal(await kept(tx), 1, 'kept while the catalogue stands');
      await catalogueChanged(tx);
      assert.equal(await kept(tx), 2, 'made again: the transaction raised the version itself');
    });
    assert.equal(await kept(file.db), 3, 'and outside it, made on its own connection');
  });
});
