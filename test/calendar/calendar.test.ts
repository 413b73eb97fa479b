import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { closures } from '../../db/tables.ts';
import { startReadingRoom, THANKSGIVING_MORNING, type TestReadingRoom } from '../helpers/reading-room.ts';


let room: TestReadingRoom;
before(async () => {
  room = await startReadingRoom({ now: THANKSGIVING_MORNING });
});
after(() => room.close());

async function get(url: string) {
  const response = await room.app.inject({ method: 'GET', url });
  return { status: response.statusCode, body: response.json() };
}

describe('GET /api/v1/calendar', () => {
  it('asked on Thanksgiving 2026, runs from today to the 90-day horizon in New York time', async () => {
    const { status, body } = await get('/api/v1/calendar');
    assert.equal(status, 200);
    assert.equal(body.timezone, 'America/New_York');
    assert.equal(body.days.length, 91);
    assert.equal(body.days[0].date, '2026-11-26');
    assert.equal(body.days.at(-1).date, '2027-02-24');
    assert.deepEqual(body.days[0], { date: '2026-11-26', open: false, reason: 'Thanksgiving Day' });
    // Only federal holidays are seeded, so the day after Thanksgiving is open.
    assert.equal(body.earliestVisitDate, '2026-11-30');
  });

  it('counts a closure an admin adds: with 2026-11-27 closed, the earliest visit date is 2026-12-01', async () => {
    (await room.db.$writer.insert(closures).values({ date: '2026-11-27', reason: 'Day after Thanksgiving' }));
    try {
      const { body } = await get('/api/v1/calendar?from=2026-11-27&to=2026-11-30');
      assert.equal(body.earliestVisitDate, '2026-12-01');
      assert.deepEqual(body.days, [
        { date: '2026-11-27', open: false, reason: 'Day after Thanksgiving' },
        { date: '2026-11-28', open: false, reason: 'Closed on Saturdays' },
        { date: '2026-11-29', open: false, reason: 'Closed on Sundays' },
        { date: '2026-11-30', open: true, seatsLeft: null },
      ]);
    } finally {
      await room.db.$writer.delete(closures).where(eq(closures.date, '2026-11-27'));
    }
  });

  it("takes today from the reading room's clock, not the server's: 23:30 in New York is still Thursday", async () => {
    room.setNow(new Date('2026-11-27T04:30:00Z'));
    try {
      const { body } = await get('/api/v1/calendar');
      assert.equal(body.days[0].date, '2026-11-26');
    } finally {
      room.setNow(THANKSGIVING_MORNING);
    }
  });

  it('answers a range of up to 366 days, and refuses a longer or reversed one with INVALID_RANGE', async () => {
    assert.equal((await get('/api/v1/calendar?from=2027-01-01&to=2027-12-31')).body.days.length, 365);
    assert.equal((await get('/api/v1/calendar?from=2028-01-01&to=2028-12-31')).body.days.length, 366);
    for (const query of ['from=2027-01-01&to=2028-01-02', 'from=2026-12-10&to=2026-12-09']) {
      const { status, body } = await get(`/api/v1/calendar?${query}`);
      assert.equal(status, 400, query);
      assert.equal(body.code, 'INVALID_RANGE', query);
    }
  });

  it('refuses impossible dates with 400', async () => {
    for (const query of ['from=2026-02-30', 'to=2026-02-29', 'from=yesterday']) {
      const { status, body } = await get(`/api/v1/calendar?${query}`);
      assert.equal(status, 400, query);
      assert.equal(body.code, 'FST_ERR_VALIDATION', query);
    }
  });
});

describe('GET /api/v1/closures', () => {
  it('lists the US federal holidays of this year and the next two, each named, oldest first', async () => {
    const { status, body } = await get('/api/v1/closures');
    assert.equal(status, 200);
    const dates = body.items.map((c: { date: string }) => c.date);
    assert.deepEqual(dates, [...dates].sort());
    assert.equal(dates[0].slice(0, 4), '2026');
    assert.equal(dates.at(-1).slice(0, 4), '2028');
    const byDate = new Map(body.items.map((c: { date: string; reason: string }) => [c.date, c.reason]));
    assert.equal(byDate.get('2026-11-26'), 'Thanksgiving Day');
    assert.equal(byDate.get('2026-12-25'), 'Christmas Day');
    assert.equal(byDate.get('2027-01-18'), 'Martin Luther King Jr. Day');
    assert.equal(byDate.get('2027-06-18'), 'Juneteenth (substitute day)');
    assert.equal(byDate.get('2028-11-23'), 'Thanksgiving Day');
  });

  it('filters by from and to', async () => {
    const { body } = await get('/api/v1/closures?from=2026-12-01&to=2027-01-31');
    assert.deepEqual(body.items, [
      { date: '2026-12-25', reason: 'Christmas Day', readingRoomId: null },
      { date: '2027-01-01', reason: "New Year's Day", readingRoomId: null },
      { date: '2027-01-18', reason: 'Martin Luther King Jr. Day', readingRoomId: null },
    ]);
  });
});
