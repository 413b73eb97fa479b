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
