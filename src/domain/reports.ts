import { addDays, calendarDays, rangeRefusal, type Closures, type IsoDate } from './calendar.ts';
import type { Refusal } from './refusal.ts';

/**
 * The reports' definitions (docs/reports.md), as pure rules: the figures are about requests whose
 * visit date is in the range, and people's days are their reading room's local days.
 */

export const reportGroupings = ['collection', 'container', 'month', 'readingRoom'] as const;
export type ReportGrouping = (typeof reportGroupings)[number];

/** The longest range one report may cover: three years and a little, for a year-on-year look. */
export const REPORT_MAX_DAYS = 1100;

export const reportRangeRefusal = (from: IsoDate, to: IsoDate): Refusal | null => rangeRefusal(from, to, REPORT_MAX_DAYS, 'A report');

/** A report's range when none is asked for: the twelve months up to today. */
export const defaultReportRange = (today: IsoDate) => ({ from: addDays(today, -364), to: today });

/** The middle value (the mean of the two middle ones for an even count), or null for none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** No-shows among the visits that were due: attended and no-show appointments. Null when there were none. */
export const noShowRate = (attended: number, noShows: number): number | null => (attended + noShows === 0 ? null : noShows / (attended + noShows));

/**
 * The share of the seats offered that were used: attended appointments over seats times open days,
 * room by room. Null when a room in view has unlimited seats, or nothing was offered.
 */
export function seatsUsed(attended: number, rooms: readonly { seats: number | null; openDays: number }[]): number | null {
  if (rooms.some((r) => r.seats === null)) return null;
  const offered = rooms.reduce((sum, r) => sum + (r.seats ?? 0) * r.openDays, 0);
  return offered === 0 ? null : attended / offered;
}

/** The business days from `from` to `to`, both included: the calendar's open days. */
export const businessDaysIn = (from: IsoDate, to: IsoDate, closures: Closures): number => calendarDays(from, to, closures).filter((day) => day.open).length;

/**
 * The business days a hold kept a box at the desk: those after its visit date up to its last day,
 * `holdUntil`, or the day it went back to the stacks when that was sooner.
 */
export function heldBusinessDays(visitDate: IsoDate, holdUntil: IsoDate, endedOn: IsoDate | null, closures: Closures): number {
  const last = endedOn !== null && endedOn < holdUntil ? endedOn : holdUntil;
  return last <= visitDate ? 0 : businessDaysIn(addDays(visitDate, 1), last, closures);
}
