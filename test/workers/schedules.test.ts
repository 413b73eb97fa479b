import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startPipeline, type TestPipeline } from '../helpers/workers.ts';

// The timed work of workers/schedules.ts, as BullMQ job schedulers of the real worker runtime.

describe('the schedules in BullMQ', { timeout: 20_000 }, () => {
  let pipeline: TestPipeline;
  before(async () => {
    pipeline = await startPipeline();
  });
  after(async () => {
    await pipeline?.close();
  });

  /** The weekday, hour and minute of an instant in a time zone. */
  const localParts = (instant: number, timeZone: string) => {
    const parts = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(instant));
    const part = (type: string) => parts.find((p) => p.type === type)?.value;
    return { weekday: part('weekday'), time: `${part('hour')}:${part('minute')}` };
  };
  const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'];

  it("paging runs are scheduled at the configured pull times (09:00 and 14:00) on weekdays, in the reading room's time zone", async () => {
    const { timezone, pagingTimes } = pipeline.config;
    assert.equal(timezone, 'America/New_York');
    assert.deepEqual(pagingTimes, ['09:00', '14:00']);
    const runtime = pipeline.runtime;
    assert.ok(runtime?.queues.paging);
    const found = (await runtime.queues.paging.getJobSchedulers()).sort((a, b) => a.key.localeCompare(b.key));
    assert.deepEqual(
      found.map((s) => ({ key: s.key, pattern: s.pattern, tz: s.tz, data: s.template?.data })),
      [
        { key: 'paging-run-0900', pattern: '0 9 * * 1-5', tz: 'America/New_York', data: { pullTime: '09:00' } },
        { key: 'paging-run-1400', pattern: '0 14 * * 1-5', tz: 'America/New_York', data: { pullTime: '14:00' } },
      ],
    );
    for (const [i, s] of found.entries()) {
      assert.ok(typeof s.next === 'number');
      const local = localParts(s.next, timezone);
      assert.equal(local.time, pagingTimes[i], `${s.key} next runs at its pull time, New York time`);
      assert.ok(WEEKDAYS.includes(local.weekday ?? ''), `${s.key} next runs on a weekday, not ${local.weekday}`);
    }
  });

  it('visit reminders (09:00) and closing time (17:00) are scheduled on weekdays in the maintenance queue, in the same time zone', async () => {
    const runtime = pipeline.runtime;
    assert.ok(runtime?.queues.maintenance);
    const found = await runtime.queues.maintenance.getJobSchedulers();
    const byKey = new Map(found.map((s) => [s.key, s]));
    assert.equal(pipeline.config.reminderTime, '09:00');
    assert.equal(pipeline.config.closingTime, '17:00');
    for (const [key, pattern, time] of [
      ['visit-reminders', '0 9 * * 1-5', '09:00'],
      ['closing-time', '0 17 * * 1-5', '17:00'],
    ] as const) {
      const s = byKey.get(key);
      assert.ok(s, `${key} is scheduled`);
      assert.equal(s.pattern, pattern);
      assert.equal(s.tz, 'America/New_York');
      assert.ok(typeof s.next === 'number');
      const local = localParts(s.next, pipeline.config.timezone);
      assert.equal(local.time, time);
      assert.ok(WEEKDAYS.includes(local.weekday ?? ''));
    }
    assert.ok(found.every((s) => s.tz === 'America/New_York'), 'every maintenance schedule in the reading room’s time zone');
  });
});
