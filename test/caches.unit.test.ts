import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Database } from '../db/client.ts';
import { closures } from '../db/tables.ts';
import { commit } from '../db/transactions.ts';
import { requestStarted, whileUnchanged } from '../src/caches.ts';
import { twoConnectionsMaker } from './helpers/two-connections.ts';

// src/caches.ts: an answer is read again as soon as the database has changed, whoever changed
// it: this process, or another one (another API process, the workers) on the same file.

/** `db` for the code under test, `elsewhere` as another process would hold the same file. */
const twoConnections = twoConnectionsMaker('unchanged');

let closed = 0;
/** A day closed by this process, through commit. */
const closeOn = (connection: Database, date: string) => commit(connection, (tx) => tx.insert(closures).values({ date, reason: `Closed ${++closed}` }).run());
/** A day closed as another process would close it: on its own connection, unknown to this one's commits. */
const closeElsewhere = (elsewhere: Database, date: string) =>
  elsewhere.$writer.$client.prepare('insert into closures (date, reason) values (?, ?)').run(date, `Closed ${++closed}`);

/** A read that counts how often it really reads, and answers the closures it finds. */
function countingRead(db: Database) {
  let reads = 0;
  return {
    read: () =>
      whileUnchanged(db, 'closures', async () => {
        reads += 1;
        return (await db.select().from(closures)).map((c) => c.date);
      }),
    reads: () => reads,
  };
}

const endOfTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('an answer kept while the database is unchanged', () => {
  it('is read once while nothing changes', async () => {
    const { db } = twoConnections();
    const closuresRead = countingRead(db);
    assert.deepEqual(await closuresRead.read(), []);
    await closuresRead.read();
    await closuresRead.read();
    assert.equal(closuresRead.reads(), 1);
  });

  it('is read again after a commit of this process', async () => {
    const { db } = twoConnections();
    const closuresRead = countingRead(db);
    await closuresRead.read();
    await closeOn(db, '2026-12-24');
    assert.deepEqual(await closuresRead.read(), ['2026-12-24']);
    assert.equal(closuresRead.reads(), 2);
  });

  it('is read again after a commit through another connection to the same file', async () => {
    const { db, elsewhere } = twoConnections();
    const closuresRead = countingRead(db);
    await closuresRead.read();
    closeElsewhere(elsewhere, '2026-12-24');
    assert.deepEqual(await closuresRead.read(), ['2026-12-24']);
    assert.equal(closuresRead.reads(), 2);
  });

  it('is neither served nor kept inside a transaction, which may see its own uncommitted writes', async () => {
    const { db } = twoConnections();
    const outside = countingRead(db);
    await outside.read();
    let inside: ReturnType<typeof countingRead> | undefined;
    const seen: string[][] = [];
    // Only the transaction's own refusal may end it: an assertion failing inside would be taken
    // for it, so what the transaction saw is checked once it is over.
    await assert.rejects(
      commit(db, async (tx) => {
        await tx.insert(closures).values({ date: '2026-12-31', reason: 'Closed inside' });
        inside = countingRead(tx as Database);
        // Read twice: a cache that kept answers inside transactions would answer the second.
        seen.push(await inside.read(), await inside.read());
        throw new Error('rolled back');
      }),
      { message: 'rolled back' },
    );
    assert.deepEqual(seen, [['2026-12-31'], ['2026-12-31']], 'inside, the transaction’s own write is seen');
    assert.equal(inside?.reads(), 2, 'and nothing was kept');
    assert.deepEqual(await outside.read(), [], 'after the rollback, the uncommitted closure is gone');
  });

  it('is read once for callers asking while it is being read', async () => {
    const { db } = twoConnections();
    const closuresRead = countingRead(db);
    assert.deepEqual(await Promise.all([closuresRead.read(), closuresRead.read(), closuresRead.read()]), [[], [], []]);
    assert.equal(closuresRead.reads(), 1);
  });

  it('is not kept when the read fails (a refusal): the next caller reads again', async () => {
    const { db } = twoConnections();
    let reads = 0;
    const refused = () =>
      whileUnchanged(db, 'refused', async () => {
        reads += 1;
        throw new Error('refused');
      });
    await assert.rejects(refused(), { message: 'refused' });
    await assert.rejects(refused(), { message: 'refused' });
    assert.equal(reads, 2);
  });

  it('is not kept past 32 MB of answers kept as bytes', async () => {
    const { db } = twoConnections();
    let reads = 0;
    const big = (key: string) =>
      whileUnchanged(db, key, async () => {
        reads += 1;
        return Buffer.alloc(17 * 1024 * 1024);
      });
    await big('first');
    await big('second');
    await big('first');
    assert.equal(reads, 3, 'the first answer was dropped once 34 MB were kept');
  });
});

describe('within the turn of the event loop in which an HTTP request started', () => {
  it('the version read for the request stands until the next request starts or the turn ends', async () => {
    const { db, elsewhere } = twoConnections();
    const closuresRead = countingRead(db);
    requestStarted();
    await closuresRead.read();
    closeElsewhere(elsewhere, '2026-12-24');
    assert.deepEqual(await closuresRead.read(), [], 'the same request still sees the database as it first read it');
    requestStarted();
    assert.deepEqual(await closuresRead.read(), ['2026-12-24'], 'a request that starts after the commit sees it');

    closeElsewhere(elsewhere, '2026-12-31');
    await endOfTurn();
    assert.deepEqual(await closuresRead.read(), ['2026-12-24', '2026-12-31'], 'after the turn, with no request, every read looks again');
    assert.equal(closuresRead.reads(), 3);
  });

  it('a commit of this process is seen at once', async () => {
    const { db } = twoConnections();
    const closuresRead = countingRead(db);
    requestStarted();
    await closuresRead.read();
    await closeOn(db, '2026-12-24');
    assert.deepEqual(await closuresRead.read(), ['2026-12-24']);
  });
});
