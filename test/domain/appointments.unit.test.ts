import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deskActionsFor, deskAllows } from '../../src/domain/appointments.ts';

// The desk's buttons for an appointment: what deskMove allows today, and would change something.

const TODAY = '2026-12-01';
const at = new Date('2026-12-01T14:00:00Z');
const appointment = (status: 'booked' | 'attended' | 'no_show' | 'cancelled', more: { date?: string; checkedInAt?: Date | null; checkedOutAt?: Date | null } = {}) => ({
  status,
  date: more.date ?? TODAY,
  checkedInAt: more.checkedInAt ?? null,
  checkedOutAt: more.checkedOutAt ?? null,
});

describe("the desk's buttons for an appointment", () => {
  it('offer a check-in to a researcher booked for today, and nothing on another day', () => {
    assert.deepEqual(deskActionsFor(appointment('booked'), TODAY), ['check-in']);
    assert.deepEqual(deskActionsFor(appointment('booked', { date: '2026-12-02' }), TODAY), []);
  });

  it('offer a check-out once checked in, and nothing more once checked out', () => {
    assert.deepEqual(deskActionsFor(appointment('attended', { checkedInAt: at }), TODAY), ['check-out']);
    assert.deepEqual(deskActionsFor(appointment('attended', { checkedInAt: at, checkedOutAt: at }), TODAY), []);
  });

  it('offer nothing for a cancelled appointment or a no-show', () => {
    assert.deepEqual(deskActionsFor(appointment('cancelled'), TODAY), []);
    assert.deepEqual(deskActionsFor(appointment('no_show'), TODAY), []);
  });

  it('let only a booked appointment be cancelled', () => {
    assert.equal(deskAllows(appointment('booked', { date: '2027-01-05' }), 'cancel', TODAY), true);
    assert.equal(deskAllows(appointment('attended', { checkedInAt: at }), 'cancel', TODAY), false);
    assert.equal(deskAllows(appointment('cancelled'), 'cancel', TODAY), false);
  });
});
