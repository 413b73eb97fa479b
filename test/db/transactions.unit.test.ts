import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Database } from '../../db/client.ts';
import { closures, outbox } from '../../db/schema.ts';
import { enqueue } from '../../src/outbox/store.ts';
import { commitTogether, type Writer } from '../../db/transactions.ts';
import { twoConnectionsMaker } from '../helpers/two-connections.ts';

// Group commit (src/outbox/store.ts): the operations asked for in one turn of the event loop
// share one transaction, yet each stands alone. One that throws takes back only its own writes
// (and its outbox rows); no caller hears of success before the COMMIT.

/** `db` for the code under test, `elsewhere` as another process would hold the same file. */
const twoConnections = twoConnectionsMaker('group-commit');

/** Closes a day and queues its notice, as a domain operation would. */
const closeDay = (date: string) => (tx: Writer) => {
  tx.insert(closures).values({ date, reason: `Closed on ${date}` }).run();
  enqueue(tx, { queue: 'notifications', jobName: 'closure', payload: { date } });
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
      commitTogether(db, (tx) => {
        closeDay('2026-12-22')(tx);
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
});
