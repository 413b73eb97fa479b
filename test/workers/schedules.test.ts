import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startPipeline, type TestPipeline } from '../helpers/workers.ts';

// The timed work of workers/schedules.ts, as BullMQ job schedulers of the real worker runtime: the
// rooms' clock every minute (each room's own times are read from the database at each tick,
// src/paging/runs.ts roomClock), and the nightly upkeep.

describe('the schedules in BullMQ', { timeout: 20_000 }, () => {
  let pipeline: TestPipeline;
  before(async () => {
    pipeline = await startPipeline();
  });
  after(async () => {
    await pipeline?.close();
  });

  it("the rooms' clock ticks every minute in the paging queue, and nothing else is scheduled there", async () => {
    const runtime = pipeline.runtime;
    assert.ok(runtime?.queues.paging);
    const found = await runtime.queues.paging.getJobSchedulers();
    assert.deepEqual(
      found.map((s) => ({ key: s.key, pattern: s.pattern })),
      [{ key: 'reading-room-clock', pattern: '* * * * *' }],
    );
    assert.deepEqual(found[0]?.template?.opts?.removeOnComplete, { count: 1440 }, 'a day of ticks is kept, not a week');
    const next = found[0]?.next;
    assert.ok(typeof next === 'number');
    assert.ok(next - Date.now() <= 60_000 && next % 60_000 === 0, 'the next tick is at the top of a coming minute');
  });

  it('the nightly upkeep (holidays at 03:00, old links at 03:30) is in the maintenance queue, in READING_ROOM_TZ', async () => {
    const runtime = pipeline.runtime;
    assert.ok(runtime?.queues.maintenance);
    const found = await runtime.queues.maintenance.getJobSchedulers();
    assert.deepEqual(
      found.map((s) => [s.key, s.pattern, s.tz]).sort(),
      [
        ['expire-tokens', '30 3 * * *', 'America/New_York'],
        ['seed-holidays', '0 3 * * *', 'America/New_York'],
      ],
    );
  });
});
