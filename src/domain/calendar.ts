import { DateTime } from 'luxon';
import { Refusal } from './refusal.ts';

/** A calendar date, `YYYY-MM-DD`, in the reading room's time zone. */
export type IsoDate = string;

/** The clock every rule reads "now" from, so tests can stand on any day. */
export type Clock = () => Date;

/** Days the reading room is closed besides weekends, with the reason shown to readers. */
export type Closures = ReadonlyMap<IsoDate, string>;

export interface CalendarDay {
  date: IsoDate;
  open: boolean;
  reason?: string;
}


// Plain dates are counted in days since 1970-01-01 of the proleptic Gregorian calendar: a
// calendar date has no time of day, so no daylight-saving change can shift it. Only "today"
// depends on the time zone. Integer arithmetic (Howard Hinnant's days_from_civil and
// civil_from_days) rather than Date and its strings: each submission counts dozens of days, and
// this costs a fraction. Like Date.parse, a day past the end of its month runs into the next.
function toEpochDay(date: IsoDate): number {
  const month = Number(date.slice(5, 7));
  const year = Number(date.slice(0, 4)) - (month <= 2 ? 1 : 0);
  const era = Math.floor(year / 400);
  const yearOfEra = year - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + Number(date.slice(8, 10)) - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

function fromEpochDay(day: number): IsoDate {
  const shifted = day + 719_468;
  const era = Math.floor(shifted / 146_097);
  const dayOfEra = shifted - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const shiftedMonth = Math.floor((5 * dayOfYear + 2) / 153);
  const dayOfMonth = dayOfYear - Math.floor((153 * shiftedMonth + 2) / 5) + 1;
  const month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return `${String(year).padStart(4, '0')}-${month < 10 ? '0' : ''}${month}-${dayOfMonth < 10 ? '0' : ''}${dayOfMonth}`;
}

/** 1 January 1970 was a Thursday (getUTCDay 4). */
const weekdayOf = (date: IsoDate) => (((toEpochDay(date) + 4) % 7) + 7) % 7;

/** The reading room's date at the instant `now`: 23:30 in New York is still today there. */
export function todayIn(timezone: string, now: Date): IsoDate {
  const instant = now.getTime();
  const known = knownDays.get(timezone);
  if (known && instant >= known.from && instant < known.until) return known.date;
  const local = DateTime.fromJSDate(now, { zone: timezone });
  const date = local.toISODate();
  if (date === null) throw new RangeError(`Unknown time zone ${timezone}`);
  const midnight = local.startOf('day');
  knownDays.set(timezone, { date, from: midnight.toMillis(), until: midnight.plus({ days: 1 }).toMillis() });
  return date;
}

/** Per time zone, the last date asked for and the instants it spans (luxon costs ~10 µs a call). */
const knownDays = new Map<string, { date: IsoDate; from: number; until: number }>();

/** Whether a text is a real calendar date written `YYYY-MM-DD` (`2026-02-30` and `2026-13-01` are not). */
export function isIsoDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  return days !== undefined && day >= 1 && day <= days;
}

/** The first and last dates written `YYYY-MM-DD`: a page's day before or after them is none. */
export const FIRST_DATE: IsoDate = '0000-01-01';
export const LAST_DATE: IsoDate = '9999-12-31';

export function addDays(date: IsoDate, days: number): IsoDate {
  return fromEpochDay(toEpochDay(date) + days);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return toEpochDay(to) - toEpochDay(from);
}

const WEEKDAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;

export function weekdayName(date: IsoDate): string {
  return WEEKDAY_NAMES[weekdayOf(date)] as string;
}

export function isWeekend(date: IsoDate): boolean {
  const day = weekdayOf(date);
  return day === 0 || day === 6;
}

/** Why the reading room is shut on `date`, or undefined on a business day. */
export function closedReason(date: IsoDate, closures: Closures): string | undefined {
  return closures.get(date) ?? (isWeekend(date) ? `Closed on ${weekdayName(date)}s` : undefined);
}

export function isBusinessDay(date: IsoDate, closures: Closures): boolean {
  return closedReason(date, closures) === undefined;
}

/** The first business day strictly after `date`. */
export function nextBusinessDay(date: IsoDate, closures: Closures): IsoDate {
  let day = addDays(date, 1);
  while (!isBusinessDay(day, closures)) day = addDays(day, 1);
  return day;
}

/** The `count`-th business day strictly after `date` (the date itself when `count` is 0). */
export function businessDaysAfter(date: IsoDate, count: number, closures: Closures): IsoDate {
  let day = date;
  for (let n = 0; n < count; n++) day = nextBusinessDay(day, closures);
  return day;
}

/**
 * Requests need the room's lead time in business days (two by default): the earliest visit date
 * is that many business days strictly after today.
 */
export function earliestVisitDate(today: IsoDate, closures: Closures, leadBusinessDays = 2): IsoDate {
  return businessDaysAfter(today, leadBusinessDays, closures);
}

/** The last date a visit may be booked for: `maxAdvanceDays` calendar days from today. */
export function bookingHorizon(today: IsoDate, maxAdvanceDays: number): IsoDate {
  return addDays(today, maxAdvanceDays);
}

export function calendarDays(from: IsoDate, to: IsoDate, closures: Closures): CalendarDay[] {
  const days: CalendarDay[] = [];
  // Counted in days, not compared as text: past 9999-12-31 the next date is no longer `YYYY-MM-DD`.
  for (let offset = 0; offset <= daysBetween(from, to); offset++) {
    const date = addDays(from, offset);
    const reason = closedReason(date, closures);
    days.push(reason === undefined ? { date, open: true } : { date, open: false, reason });
  }
  return days;
}

/** The longest stretch one calendar question (the calendar, class sessions) may cover by default. */
export const MAX_RANGE_DAYS = 366;

/** Why a range of days asked for is refused: it ends before it starts, or spans more than `maxDays` (`what` names the question). */
export function rangeRefusal(from: IsoDate, to: IsoDate, maxDays = MAX_RANGE_DAYS, what = 'A range'): Refusal | null {
  const span = daysBetween(from, to);
  if (span < 0) return new Refusal('INVALID_RANGE', `The range ends (${to}) before it starts (${from}).`);
  if (span + 1 > maxDays) return new Refusal('INVALID_RANGE', `${what} may cover at most ${maxDays} days; ${from} to ${to} covers ${span + 1}.`);
  return null;
}

/** A calendar question's range, refused as rangeRefusal says. */
export function checkRange(from: IsoDate, to: IsoDate): void {
  const refusal = rangeRefusal(from, to);
  if (refusal) throw refusal;
}
