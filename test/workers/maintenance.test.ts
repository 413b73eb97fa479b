import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Job } from 'bullmq';
import { accountTokens, closures, holidaySeedings } from '../../db/tables.ts';
import { maintenanceProcessor } from '../../workers/maintenance/processor.ts';
import { makeAccount } from '../helpers/people.ts';
import { startReadingRoom, THANKSGIVING_MORNING, type TestReadingRoom } from '../helpers/reading-room.ts';

// The nightly upkeep's jobs (workers/maintenance/processor.ts) against a real database, as the
// worker runs them: they write through transactions, and answer what they did.

const DAY_MS = 24 * 3600_000;

describe('the nightly upkeep', () => {
  let room: TestReadingRoom;
  let run: (name: string) => Promise<unknown>;
  before(async () => {
    room = await startReadingRoom({ now: THANKSGIVING_MORNING });
    const processor = maintenanceProcessor({ db: room.db, clock: () => THANKSGIVING_MORNING, log: { warn: () => undefined }, config: room.config });
    run = (name) => processor({ name } as Job);
  });
  after(async () => {
    await room?.close();
  });

  it('expire-tokens removes the links expired more than a week ago, and only those', async () => {
    const { user } = await makeAccount(room.db, 'researcher');
    const expiredDaysAgo = (days: number, tokenHash: string) => ({
      userId: user.id,
      purpose: 'verify-email' as const,
      tokenHash,
      expiresAt: new Date(THANKSGIVING_MORNING.getTime() - days * DAY_MS),
    });
    await room.db.$writer.insert(accountTokens).values([expiredDaysAgo(8, 'long-gone'), expiredDaysAgo(6, 'recent'), expiredDaysAgo(-1, 'still-good')]);
    assert.deepEqual(await run('expire-tokens'), { removed: 1 });
    const left = await room.db.select({ tokenHash: accountTokens.tokenHash }).from(accountTokens);
    assert.deepEqual(left.map((t) => t.tokenHash).filter((h) => ['long-gone', 'recent', 'still-good'].includes(h)).sort(), ['recent', 'still-good']);
  });

  it('seed-holidays closes the federal holidays of the years not yet seeded, and says which', async () => {
    await room.db.$writer.delete(holidaySeedings);
    await room.db.$writer.delete(closures);
    assert.deepEqual(await run('seed-holidays'), { seeded: [2026, 2027, 2028] });
    const days = (await room.db.select({ date: closures.date }).from(closures)).map((c) => c.date);
    assert.ok(days.includes('2026-12-25') && days.includes('2028-07-04'), 'Christmas 2026 and the Fourth of July 2028 are closed');
    assert.deepEqual(await run('seed-holidays'), { seeded: [] }, 'a second run finds every year seeded');
  });
});
