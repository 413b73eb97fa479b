import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { visitDateRefusal } from '../../src/domain/booking-rules.ts';
import { addDays, type Closures } from '../../src/domain/calendar.ts';
import { roomDefaults, type ReadingRoom, type RoomDay } from '../../src/domain/reading-rooms.ts';
import { addMonths, daysOfMonth, visitDays } from '../../src/domain/visit-plan.ts';

// Planning a visit: each day of a month says whether it can be booked, and if not, why.

const thanksgiving: Closures = new Map([
  ['2026-11-26', 'Thanksgiving Day'],
  ['2026-11-27', 'Day after Thanksgiving'],
  ['2026-12-25', 'Christmas Day'],
]);
const room: ReadingRoom = { id: 1, code: 'mss', name: 'Manuscripts Room', timezone: 'America/New_York', ...roomDefaults, seats: 2 };
const onThanksgiving: RoomDay = { room, today: '2026-11-26', closures: thanksgiving };
const verdicts = (day: RoomDay, month: string, taken = new Map<string, number>()) => new Map(visitDays(day, month, taken).map((d) => [d.date, d.verdict]));

describe('the months of a plan', () => {
  it('count their own days, a leap February included, and follow one another across a year', () => {
    assert.equal(daysOfMonth('2028-02').length, 29);
    assert.equal(daysOfMonth('2026-02').length, 28);
    assert.deepEqual([daysOfMonth('2026-12')[0], daysOfMonth('2026-12').at(-1)], ['2026-12-01', '2026-12-31']);
    assert.equal(addMonths('2026-12', 1), '2027-01');
    assert.equal(addMonths('2027-01', -1), '2026-12');
    assert.equal(addMonths('2026-11', 14), '2028-01');
  });
});

describe('the days of a plan, asked on Thanksgiving 2026 (earliest visit Tuesday 1 December, horizon 24 February 2027)', () => {
  it('says why each day of late November cannot be booked: past, the closure and its reason, the weekend, too soon', () => {
    const november = verdicts(onThanksgiving, '2026-11');
    assert.equal(november.size, 30);
    assert.deepEqual(november.get('2026-11-25'), { kind: 'past' });
    assert.deepEqual(november.get('2026-11-26'), { kind: 'closed', closure: 'Thanksgiving Day' });
    assert.deepEqual(november.get('2026-11-27'), { kind: 'closed', closure: 'Day after Thanksgiving' });
    assert.deepEqual(november.get('2026-11-28'), { kind: 'closed', closure: null });
    assert.deepEqual(november.get('2026-11-30'), { kind: 'too-soon', earliest: '2026-12-01' });
  });

  it('gives the seats left on a bookable day, says a day with every seat taken is full, and a closure stays closed', () => {
    const december = verdicts(onThanksgiving, '2026-12', new Map([['2026-12-01', 1], ['2026-12-02', 2], ['2026-12-03', 5]]));
    assert.deepEqual(december.get('2026-12-01'), { kind: 'bookable', seatsLeft: 1 });
    assert.deepEqual(december.get('2026-12-02'), { kind: 'full' });
    assert.deepEqual(december.get('2026-12-03'), { kind: 'full' }, 'seats lowered below the bookings: full, never negative');
    assert.deepEqual(december.get('2026-12-04'), { kind: 'bookable', seatsLeft: 2 });
    assert.deepEqual(december.get('2026-12-25'), { kind: 'closed', closure: 'Christmas Day' });
  });

  it('says "unlimited" (null) in a room without a seat count, and past the horizon, too far', () => {
    const unlimited = { ...onThanksgiving, room: { ...room, seats: null } };
    const february = verdicts(unlimited, '2027-02');
    assert.deepEqual(february.get('2027-02-24'), { kind: 'bookable', seatsLeft: null });
    assert.deepEqual(february.get('2027-02-25'), { kind: 'too-far', horizon: '2027-02-24' });
  });

  it('calls a day bookable exactly when the booking rules and the seats would give it (any day, closures, notice and seats)', () => {
    const day = fc.integer({ min: 0, max: 400 }).map((n) => addDays('2026-01-01', n));
    fc.assert(
      fc.property(
        day,
        fc.uniqueArray(day, { maxLength: 12 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 2, max: 120 }),
        fc.option(fc.integer({ min: 0, max: 3 })),
        fc.integer({ min: 0, max: 13 }),
        (today, closed, leadBusinessDays, maxAdvanceDays, seats, month) => {
          const closures: Closures = new Map(closed.map((d) => [d, 'Closed']));
          const roomDay: RoomDay = { room: { ...room, seats, leadBusinessDays, maxAdvanceDays }, today, closures };
          const taken = new Map(closed.map((d, i) => [addDays(d, 1), i % 4]));
          for (const { date, verdict } of visitDays(roomDay, addMonths(today.slice(0, 7), month), taken)) {
            const rulesAllow = visitDateRefusal(date, { today, closures, maxAdvanceDays, leadBusinessDays }) === null;
            const seatLeft = seats === null || (taken.get(date) ?? 0) < seats;
            assert.equal(verdict.kind === 'bookable', rulesAllow && seatLeft, `${date}: ${JSON.stringify(verdict)}`);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
