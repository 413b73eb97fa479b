import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Database } from '../../db/client.ts';
import { closures, outbox } from '../../db/tables.ts';
import { enqueue } from '../../src/outbox/store.ts';
import { commit, commitTogether, type Writer } from '../../db/transactions.ts';
import { twoConnectionsMaker } from '../helpers/two-connections.ts';

// Transactions that await (db/transactions.ts): while one is open, no other of the process starts
// on the connection. Group commit: the operations asked for in one turn of the event loop share
// one transaction, yet each stands alone. One that throws takes back only its own writes (and its
// outbox rows); no caller hears of success before the COMMIT.

/** `db` for the code under test, `elsewhere` as another process would hold the same file. */
const twoConnections = twoConnectionsMaker('group-commit');

/** Closes a day and queues its notice, as a domain operation would. */
const closeDay = (date: string) => async (tx: Writer) => {
  tx.insert(closures).values({ date, reason: `Closed on ${date}` }).run();
  await enqueue(tx, { queue: 'notifications', jobName: 'closure', payload: { date } });
  return date;
};

const closedDays = (connection: Database) =>
  connection
    .select({ date: closures.date })
    .from(closures)
    .all()
    .map((c) => c.date)
    .sort();
const queuedDays = (connection: Database) =>
  connection
    .select({ payload: outbox.payload })
    .from(outbox)
    .all()
    .map((r) => (r.payload as { date: string }).date)
    .sort();

describe('operations committed together', () => {
  it('one that throws after writing takes back only its own writes and outbox rows; the others commit', async () => {
    const { db, elsewhere } = twoConnections();
    const failure = new Error('refused after writing');
    const outcomes = await Promise.allSettled([
      commitTogether(db, closeDay('2026-12-21')),
      commitTogether(db, async (tx) => {
        await closeDay('2026-12-22')(tx);
        throw failure;
      }),
      commitTogether(db, closeDay('2026-12-23')),
    ]);
    assert.deepEqual(outcomes, [
      { status: 'fulfilled', value: '2026-12-21' },
      { status: 'rejected', reason: failure },
      { status: 'fulfilled', value: '2026-12-23' },
    ]);
    assert.deepEqual(closedDays(elsewhere), ['2026-12-21', '2026-12-23']);
    assert.deepEqual(queuedDays(elsewhere), ['2026-12-21', '2026-12-23']);
  });

  it('one refused before writing anything leaves the others untouched', async () => {
    const { db, elsewhere } = twoConnections();
    const outcomes = await Promise.allSettled([
      commitTogether(db, () => {
        throw new Error('refused at once');
      }),
      commitTogether(db, closeDay('2026-12-24')),
    ]);
    assert.equal(outcomes[0]?.status, 'rejected');
    assert.deepEqual(outcomes[1], { status: 'fulfilled', value: '2026-12-24' });
    assert.deepEqual(closedDays(elsewhere), ['2026-12-24']);
  });

  it('answers no caller before the whole group has committed: another connection already sees every write', async () => {
    const { db, elsewhere } = twoConnections();
    const seenByTheFirstCaller = commitTogether(db, closeDay('2026-12-28')).then(() => closedDays(elsewhere));
    const others = [commitTogether(db, closeDay('2026-12-29')), commitTogether(db, closeDay('2026-12-30'))];
    assert.deepEqual(await seenByTheFirstCaller, ['2026-12-28', '2026-12-29', '2026-12-30']);
    await Promise.all(others);
  });

  it('an operation that awaits stands alone too, and the others wait for it', async () => {
    const { db, elsewhere } = twoConnections();
    const failure = new Error('refused after awaiting');
    const outcomes = await Promise.allSettled([
      commitTogether(db, async (tx) => {
        await closeDay('2027-01-04')(tx);
        await new Promise((resolve) => setTimeout(resolve, 20));
        throw failure;
      }),
      commitTogether(db, async (tx) => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        return closeDay('2027-01-05')(tx);
      }),
      commitTogether(db, closeDay('2027-01-06')),
    ]);
    assert.deepEqual(outcomes, [
      { status: 'rejected', reason: failure },
      { status: 'fulfilled', value: '2027-01-05' },
      { status: 'fulfilled', value: '2027-01-06' },
    ]);
    assert.deepEqual(closedDays(elsewhere), ['2027-01-05', '2027-01-06']);
  });
});

describe('a transaction whose work awaits', () => {
  it('is not joined by another operation of the process: that one starts after the COMMIT and sees its writes', async () => {
    const { db, elsewhere } = twoConnections();
    const order: string[] = [];
    let release: () => void = () => undefined;
    const slow = commit(db, async (tx) => {
      await closeDay('2027-02-01')(tx);
      await new Promise<void>((resolve) => (release = resolve));
      order.push('slow committing');
      return closeDay('2027-02-02')(tx);
    });
    const quick = commit(db, (tx) => {
      order.push('quick working');
      return closedDays(tx as Database);
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.deepEqual(order, [], 'the second waits while the first is open');
    assert.deepEqual(closedDays(elsewhere), [], 'nothing of the open transaction is visible outside');
    release();
    assert.equal(await slow, '2027-02-02');
    assert.deepEqual(await quick, ['2027-02-01', '2027-02-02']);
    assert.deepEqual(order, ['slow committing', 'quick working']);
  });

  it('that throws after awaiting leaves nothing, and the next one goes on', async () => {
    const { db, elsewhere } = twoConnections();
    const failure = new Error('refused after awaiting');
    const failing = commit(db, async (tx) => {
      await closeDay('2027-03-01')(tx);
      await new Promise((resolve) => setTimeout(resolve, 5));
      throw failure;
    });
    const next = commit(db, closeDay('2027-03-02'));
    await assert.rejects(failing, failure);
    assert.equal(await next, '2027-03-02');
    assert.deepEqual(closedDays(elsewhere), ['2027-03-02']);
    assert.deepEqual(queuedDays(elsewhere), ['2027-03-02']);
  });

  it('is not seen, before its COMMIT, by reads of the same database outside it', async () => {
    const { db } = twoConnections();
    let release: () => void = () => undefined;
    const open = commit(db, async (tx) => {
      await closeDay('2027-04-01')(tx);
      await new Promise<void>((resolve) => (release = resolve));
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    assert.deepEqual(closedDays(db), [], 'a read of this process, between two statements of the open transaction');
    release();
    await open;
    assert.deepEqual(closedDays(db), ['2027-04-01']);
  });
});

describe('a write outside commit', () => {
  it('is refused: the connection that reads outside transactions only reads', async () => {
    const { db } = twoConnections();
    await assert.rejects(async () => await db.insert(closures).values({ date: '2027-05-03', reason: 'not through commit' }), /readonly/);
  });
});

describe('work that hands back a query without awaiting it', () => {
  it('has it run inside the transaction: when it fails, the writes before it are taken back too', async () => {
    const { db, elsewhere } = twoConnections();
    const christmasEve = { date: '2026-12-24', reason: 'Closed on Christmas Eve' };
    // Work that is not async: an async function's promise would itself wait for the query.
    await assert.rejects(
      commit(db, (tx) => {
        tx.insert(closures).values(christmasEve).run();
        // The same day again breaks the closures' unique date, but only once it runs.
        return tx.insert(closures).values(christmasEve);
      }),
    );
    assert.deepEqual(closedDays(elsewhere), []);
    await commit(db, (tx) => tx.insert(closures).values(christmasEve));
    assert.deepEqual(closedDays(elsewhere), ['2026-12-24']);
  });
});
