import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { dailyLimitRefusal, duplicateRefusal, visitDateRefusal } from '../../src/domain/booking-rules.ts';
import { addDays, earliestVisitDate, isBusinessDay, type Closures } from '../../src/domain/calendar.ts';
import type { Refusal } from '../../src/domain/refusal.ts';

const thanksgiving: Closures = new Map([
  ['2026-11-26', 'Thanksgiving Day'],
  ['2026-11-27', 'Day after Thanksgiving'],
  ['2026-12-25', 'Christmas Day'],
]);
/** A refusal as the researcher meets it: its code and its message. */
const said = (refusal: Refusal | null) => refusal && { code: refusal.code, message: refusal.message };

const onThanksgiving = { today: '2026-11-26', closures: thanksgiving, maxAdvanceDays: 90 };

describe('visit date rules', () => {
  it('refuse a date before the earliest visit date, and name the earliest', () => {
    const refusal = visitDateRefusal('2026-11-30', onThanksgiving);
    assert.deepEqual(said(refusal), {
      code: 'VISIT_TOO_SOON',
      message: 'Requests must be made at least two business days ahead; the earliest visit date is 2026-12-01.',
    });
  });

  it('accept the earliest visit date itself', () => {
    assert.equal(visitDateRefusal('2026-12-01', onThanksgiving), null);
  });

  it('refuse a date past the horizon, and name the last date open for requests', () => {
    const refusal = visitDateRefusal('2027-02-25', onThanksgiving);
    assert.equal(refusal?.code, 'VISIT_TOO_FAR');
    assert.match(refusal?.message ?? '', /at most 90 days ahead; the last date open for requests is 2027-02-24/);
    assert.equal(visitDateRefusal('2027-02-24', onThanksgiving), null); // a Wednesday, the horizon itself
  });

  it('refuse a closure or a weekend, with the reason and the next open day', () => {
    assert.deepEqual(said(visitDateRefusal('2026-12-25', onThanksgiving)), {
      code: 'VISIT_DAY_CLOSED',
      message: 'The reading room is closed on 2026-12-25 (Christmas Day); the next open day is 2026-12-28.',
    });
    assert.equal(visitDateRefusal('2026-12-05', onThanksgiving)?.code, 'VISIT_DAY_CLOSED');
  });

  it('answer with the first failing rule in the order of docs/api.md', () => {
    // A Saturday before the earliest date: too soon before closed.
    assert.equal(visitDateRefusal('2026-11-28', onThanksgiving)?.code, 'VISIT_TOO_SOON');
    // A Saturday past the horizon: too far before closed.
    assert.equal(visitDateRefusal('2027-02-27', onThanksgiving)?.code, 'VISIT_TOO_FAR');
  });

  it('accept exactly the business days from the earliest visit date to the horizon', () => {
    fc.assert(
      fc.property(fc.integer({ min: -10, max: 120 }), fc.integer({ min: 5, max: 120 }), (offset, maxAdvanceDays) => {
        const context = { ...onThanksgiving, maxAdvanceDays };
        const visitDate = addDays(context.today, offset);
        const allowed =
          visitDate >= earliestVisitDate(context.today, thanksgiving) &&
          visitDate <= addDays(context.today, maxAdvanceDays) &&
          isBusinessDay(visitDate, thanksgiving);
        assert.equal(visitDateRefusal(visitDate, context) === null, allowed);
      }),
      { numRuns: 500 },
    );
  });
});

describe('the daily limit', () => {
  it('allows up to the limit of active requests for one visit date', () => {
    assert.equal(dailyLimitRefusal('2026-12-01', 7, 3, 10), null);
  });

  it('refuses past it, and says how many more may be added', () => {
    assert.deepEqual(said(dailyLimitRefusal('2026-12-01', 8, 3, 10)), {
      code: 'REQUEST_LIMIT_EXCEEDED',
      message: 'At most 10 containers can be requested for one visit date; you can add 2 more for 2026-12-01.',
    });
  });
});

describe('duplicates', () => {
  it('refuse a container the researcher already has an active request for that day, naming it', () => {
    assert.equal(duplicateRefusal('2026-12-01', []), null);
    assert.deepEqual(said(duplicateRefusal('2026-12-01', ['Box 3'])), {
      code: 'DUPLICATE_REQUEST',
      message: 'You already have an active request for Box 3 on 2026-12-01.',
    });
  });
});

// The rule of visit dates as a property, checked against an expectation computed by hand here:
// weekdays from Date's UTC calendar, business days counted one by one.
describe('visitDateRefusal over generated calendars', () => {
  const DAY_MS = 86_400_000;
  const epochDay = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / DAY_MS;
  const isoOf = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);
  const firstDay = epochDay('2000-01-01');
  const lastDay = epochDay('2090-12-31');

  const calendars = fc
    .record({
      today: fc.integer({ min: firstDay, max: lastDay }),
      maxAdvanceDays: fc.integer({ min: 2, max: 730 }),
      // Closures both bunched right after today (where they move the earliest date) and anywhere.
      nearClosures: fc.uniqueArray(fc.integer({ min: -3, max: 12 }), { maxLength: 12 }),
      farClosures: fc.uniqueArray(fc.integer({ min: -30, max: 760 }), { maxLength: 40 }),
      visit: fc.oneof(
        fc.record({ from: fc.constant('today' as const), offset: fc.integer({ min: -10, max: 20 }) }),
        fc.record({ from: fc.constant('horizon' as const), offset: fc.integer({ min: -10, max: 10 }) }),
        fc.record({ from: fc.constant('today' as const), offset: fc.integer({ min: -30, max: 760 }) }),
      ),
    })
    .map(({ today, maxAdvanceDays, nearClosures, farClosures, visit }) => ({
      today,
      maxAdvanceDays,
      closed: new Set([...nearClosures, ...farClosures].map((offset) => today + offset)),
      visitDay: today + visit.offset + (visit.from === 'horizon' ? maxAdvanceDays : 0),
    }));

  it('accepts a visit date exactly when it is an open day from the earliest visit date to the horizon, and refuses in docs/api.md order', () => {
    fc.assert(
      fc.property(calendars, ({ today, maxAdvanceDays, closed, visitDay }) => {
        const open = (day: number) => {
          const weekday = new Date(day * DAY_MS).getUTCDay();
          return weekday !== 0 && weekday !== 6 && !closed.has(day);
        };
        // The second business day strictly after today, counted by hand.
        let earliest = today;
        for (let found = 0; found < 2; ) {
          earliest += 1;
          if (open(earliest)) found += 1;
        }
        const horizon = today + maxAdvanceDays;
        const expected =
          visitDay < earliest ? 'VISIT_TOO_SOON' : visitDay > horizon ? 'VISIT_TOO_FAR' : !open(visitDay) ? 'VISIT_DAY_CLOSED' : null;

        const closures = new Map([...closed].map((day) => [isoOf(day), `Closure ${isoOf(day)}`]));
        const refusal = visitDateRefusal(isoOf(visitDay), { today: isoOf(today), closures, maxAdvanceDays });
        assert.equal(refusal?.code ?? null, expected, `today ${isoOf(today)}, visit ${isoOf(visitDay)}, earliest ${isoOf(earliest)}`);
        assert.equal(refusal === null, open(visitDay) && visitDay >= earliest && visitDay <= horizon);
        if (expected === 'VISIT_TOO_SOON') assert.ok(refusal?.message.includes(isoOf(earliest)), refusal?.message);
        if (expected === 'VISIT_TOO_FAR') assert.ok(refusal?.message.includes(isoOf(horizon)), refusal?.message);
      }),
      { numRuns: 2000 },
    );
  });
});
