import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  addDays,
  calendarDays,
  daysBetween,
  earliestVisitDate,
  isBusinessDay,
  isIsoDate,
  isWeekend,
  todayIn,
  type Closures,
  type IsoDate,
} from '../../src/domain/calendar.ts';

const NEW_YORK = 'America/New_York';
const noClosures: Closures = new Map();

// Dates from 1990 to 2090 as fast-check values.
const isoDate = fc
  .integer({ min: 0, max: 36_500 })
  .map((offset) => addDays('1990-01-01', offset));

/** A date and a random set of closures in the weeks after it. */
const dateWithClosures = isoDate.chain((today) =>
  fc
    .uniqueArray(fc.integer({ min: 0, max: 40 }), { maxLength: 12 })
    .map((offsets) => ({ today, closures: new Map(offsets.map((o) => [addDays(today, o), 'Closed for a test'])) as Closures })),
);

describe('business days', () => {
  it('are Monday to Friday: Saturday 28 and Sunday 29 November 2026 are not', () => {
    assert.equal(isBusinessDay('2026-11-27', noClosures), true);
    assert.equal(isBusinessDay('2026-11-28', noClosures), false);
    assert.equal(isBusinessDay('2026-11-29', noClosures), false);
    assert.equal(isBusinessDay('2026-11-30', noClosures), true);
  });

  it('never include a weekend day or a closure', () => {
    fc.assert(
      fc.property(dateWithClosures, fc.integer({ min: 0, max: 40 }), ({ today, closures }, offset) => {
        const date = addDays(today, offset);
        if (isWeekend(date) || closures.has(date)) assert.equal(isBusinessDay(date, closures), false);
        else assert.equal(isBusinessDay(date, closures), true);
      }),
      { numRuns: 500 },
    );
  });
});

describe('the earliest visit date', () => {
  it('asked on Thursday 2026-11-26 with 2026-11-27 closed, is Tuesday 2026-12-01', () => {
    const closures: Closures = new Map([
      ['2026-11-26', 'Thanksgiving Day'],
      ['2026-11-27', 'Day after Thanksgiving'],
    ]);
    assert.equal(earliestVisitDate('2026-11-26', closures), '2026-12-01');
  });

  it('asked on a Friday, is the Tuesday after', () => {
    assert.equal(earliestVisitDate('2026-12-04', noClosures), '2026-12-08');
  });

  it('asked on a Saturday or a Sunday, is the Tuesday after', () => {
    assert.equal(earliestVisitDate('2026-12-05', noClosures), '2026-12-08');
    assert.equal(earliestVisitDate('2026-12-06', noClosures), '2026-12-08');
  });

  it('asked on a Monday, is the Wednesday of the same week', () => {
    assert.equal(earliestVisitDate('2026-12-07', noClosures), '2026-12-09');
  });

  it('counts days as the Gregorian calendar does, by property against Date (years 1600 to 2400)', () => {
    const DAY_MS = 86_400_000;
    const viaDate = (epochDay: number) => new Date(epochDay * DAY_MS).toISOString().slice(0, 10);
    fc.assert(
      fc.property(fc.integer({ min: -135_000, max: 157_000 }), fc.integer({ min: -800, max: 800 }), (epochDay, days) => {
        const date = viaDate(epochDay);
        assert.equal(addDays(date, days), viaDate(epochDay + days));
        assert.equal(daysBetween(date, viaDate(epochDay + days)), days);
        const weekday = new Date(epochDay * DAY_MS).getUTCDay();
        assert.equal(isWeekend(date), weekday === 0 || weekday === 6);
      }),
      { numRuns: 5_000 },
    );
    assert.equal(addDays('2000-02-28', 1), '2000-02-29', '2000 is a leap year');
    assert.equal(addDays('2100-02-28', 1), '2100-03-01', '2100 is not');
    assert.equal(daysBetween('1970-01-01', '1969-12-31'), -1);
  });

  it('crosses a year end and a New Year closure without losing a day', () => {
    const closures: Closures = new Map([['2027-01-01', "New Year's Day"]]);
    assert.equal(earliestVisitDate('2026-12-30', closures), '2027-01-04');
    assert.equal(addDays('2026-12-31', 1), '2027-01-01');
    assert.equal(daysBetween('2026-12-31', '2027-01-01'), 1);
  });

  it('is not shifted by a daylight-saving change (8 March and 1 November 2026 in New York)', () => {
    assert.equal(earliestVisitDate('2026-03-06', noClosures), '2026-03-10');
    assert.equal(earliestVisitDate('2026-10-30', noClosures), '2026-11-03');
    assert.deepEqual(
      calendarDays('2026-03-07', '2026-03-09', noClosures).map((d) => d.date),
      ['2026-03-07', '2026-03-08', '2026-03-09'],
    );
    assert.equal(todayIn(NEW_YORK, new Date('2026-03-08T06:59:00Z')), '2026-03-08'); // 01:59 EST
    assert.equal(todayIn(NEW_YORK, new Date('2026-03-09T03:59:00Z')), '2026-03-08'); // 23:59 EDT
    assert.equal(todayIn(NEW_YORK, new Date('2026-11-02T04:59:00Z')), '2026-11-01'); // 23:59 EST
  });

  it('is a business day, with exactly two business days after today up to and including it', () => {
    fc.assert(
      fc.property(dateWithClosures, ({ today, closures }) => {
        const earliest = earliestVisitDate(today, closures);
        assert.equal(isBusinessDay(earliest, closures), true);
        let businessDays = 0;
        for (let day = addDays(today, 1); day <= earliest; day = addDays(day, 1)) {
          if (isBusinessDay(day, closures)) businessDays += 1;
        }
        assert.equal(businessDays, 2);
      }),
      { numRuns: 500 },
    );
  });
});

describe("the reading room's today", () => {
  it('is the date in the reading room: 23:30 in New York is already tomorrow in UTC', () => {
    const halfPastElevenInNewYork = new Date('2026-11-27T04:30:00Z');
    assert.equal(todayIn(NEW_YORK, halfPastElevenInNewYork), '2026-11-26');
    assert.equal(todayIn('UTC', halfPastElevenInNewYork), '2026-11-27');
  });

  it('is never more than a day from the UTC date, whatever the instant and zone', () => {
    const zones = ['America/New_York', 'America/Los_Angeles', 'Europe/London', 'Asia/Tokyo', 'Pacific/Kiritimati', 'Pacific/Pago_Pago'];
    fc.assert(
      fc.property(fc.date({ min: new Date('1990-01-01'), max: new Date('2090-01-01'), noInvalidDate: true }), fc.constantFrom(...zones), (instant, zone) => {
        const utcDate: IsoDate = instant.toISOString().slice(0, 10);
        assert.ok(Math.abs(daysBetween(utcDate, todayIn(zone, instant))) <= 1);
      }),
      { numRuns: 300 },
    );
  });
});

describe('calendar arithmetic', () => {
  it('counts days back to where it started, across leap years and daylight-saving changes', () => {
    fc.assert(
      fc.property(isoDate, fc.integer({ min: -800, max: 800 }), (date, days) => {
        const moved = addDays(date, days);
        assert.match(moved, /^\d{4}-\d{2}-\d{2}$/);
        assert.equal(daysBetween(date, moved), days);
      }),
      { numRuns: 500 },
    );
  });

  it('lists every day of a range once, in order, with why it is closed', () => {
    const closures: Closures = new Map([['2026-12-25', 'Christmas Day']]);
    assert.deepEqual(calendarDays('2026-12-24', '2026-12-27', closures), [
      { date: '2026-12-24', open: true },
      { date: '2026-12-25', open: false, reason: 'Christmas Day' },
      { date: '2026-12-26', open: false, reason: 'Closed on Saturdays' },
      { date: '2026-12-27', open: false, reason: 'Closed on Sundays' },
    ]);
  });
});

describe('dates as people type them', () => {
  it('knows a real calendar date from one that only looks like it', () => {
    for (const real of ['2026-12-01', '2028-02-29', '2000-02-29', '0001-01-01', '9999-12-31']) assert.ok(isIsoDate(real), real);
    for (const unreal of ['2026-13-01', '2026-02-29', '1900-02-29', '2026-04-31', '2026-00-10', '2026-01-00', '2026-1-01', ' 2026-01-01', '2026-01-01T00:00', '']) {
      assert.ok(!isIsoDate(unreal), unreal);
    }
  });

  it('agrees with the Gregorian calendar of Date for every day of years 1000 to 9999', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1000, max: 9999 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 }), (year, month, day) => {
        const text = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
        const viaDate = new Date(`${text}T00:00:00Z`);
        const real = !Number.isNaN(viaDate.getTime()) && viaDate.toISOString().startsWith(text);
        assert.equal(isIsoDate(text), real, text);
      }),
      { numRuns: 5_000 },
    );
  });
});
