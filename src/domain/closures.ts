import type { IsoDate } from './calendar.ts';
import { Refusal } from './refusal.ts';
import { bookedStatuses } from './request-status.ts';

/** What a forced closure cancels: everything booked that day that has not left the stacks for a reader. */
export const cancelledByClosure = bookedStatuses;

export interface DayToClose {
  date: IsoDate;
  alreadyClosed: boolean;
  /** Requests whose material is out that day (src/domain/request-status.ts outStatuses). */
  out: number;
  /** Active requests booked that day. */
  active: number;
  force: boolean;
}

/**
 * A day can be closed unless it is closed already or material is still out that day; a day with
 * active requests only with `force`, which cancels them.
 */
export function closureRefusal({ date, alreadyClosed, out, active, force }: DayToClose): Refusal | null {
  if (alreadyClosed) return new Refusal('CLOSURE_EXISTS', `The reading room is already closed on ${date}.`);
  if (out > 0) {
    return new Refusal('CLOSURE_HAS_REQUESTS', `${out} container(s) are still out on ${date}; they must be reshelved before the day can be closed.`);
  }
  if (active > 0 && !force) {
    return new Refusal(
      'CLOSURE_HAS_REQUESTS',
      `${active} active request(s) are booked for ${date}; close it with "force": true to cancel them and tell their researchers.`,
    );
  }
  return null;
}
