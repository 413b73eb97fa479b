import { addDays, isWeekend, type IsoDate } from './calendar.ts';
import { earliestVisitIn, horizonOf, seatsLeft, type RoomDay } from './reading-rooms.ts';

// Planning a visit: a month of a room's days, each with what the booking rules say of it, so a
// researcher sees before booking which days can be had and, for the others, why not.

/** A month, `YYYY-MM`. */
export type IsoMonth = string;

export const monthOf = (date: IsoDate): IsoMonth => date.slice(0, 7);

export const isIsoMonth = (text: string) => /^[0-9]{4}-(0[1-9]|1[0-2])$/.test(text);

/** The month `count` months after `month` (before it when negative). */
export function addMonths(month: IsoMonth, count: number): IsoMonth {
  const index = Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1 + count;
  const year = Math.floor(index / 12);
  const number = index - year * 12 + 1;
  return `${String(year).padStart(4, '0')}-${number < 10 ? '0' : ''}${number}`;
}

/** The days of a month, the 1st first. */
export function daysOfMonth(month: IsoMonth): IsoDate[] {
  const days: IsoDate[] = [];
  for (let day = `${month}-01`; monthOf(day) === month; day = addDays(day, 1)) days.push(day);
  return days;
}

/** What the booking rules say of a day: it can be booked (with the seats left, null: unlimited), or why not. */
export type VisitDayVerdict =
  | { kind: 'bookable'; seatsLeft: number | null }
  | { kind: 'full' }
  | { kind: 'past' }
  /** `closure`: the reason of the room's or every room's closure; null on a weekend. */
  | { kind: 'closed'; closure: string | null }
  | { kind: 'too-soon'; earliest: IsoDate }
  | { kind: 'too-far'; horizon: IsoDate };

export interface VisitDay {
  date: IsoDate;
  verdict: VisitDayVerdict;
}

/**
 * Each day of `month` in the room, as of its `today`: the visit-date rules of a booking
 * (src/domain/booking-rules.ts visitDateRefusal) and then the seats, so a day is bookable exactly
 * when makeAppointment would give it a seat. A closed day is said to be closed before it is said to
 * be too soon or too far: that is what stays true of it. `seatsTaken` counts each day's seats
 * taken (days without an entry have none taken).
 */
export function visitDays(roomDay: RoomDay, month: IsoMonth, seatsTaken: ReadonlyMap<IsoDate, number>): VisitDay[] {
  const earliest = earliestVisitIn(roomDay);
  const horizon = horizonOf(roomDay);
  const verdictOn = (date: IsoDate): VisitDayVerdict => {
    if (date < roomDay.today) return { kind: 'past' };
    const closure = roomDay.closures.get(date);
    if (closure !== undefined || isWeekend(date)) return { kind: 'closed', closure: closure ?? null };
    if (date < earliest) return { kind: 'too-soon', earliest };
    if (date > horizon) return { kind: 'too-far', horizon };
    const left = seatsLeft(roomDay.room.seats, seatsTaken.get(date) ?? 0);
    return left === 0 ? { kind: 'full' } : { kind: 'bookable', seatsLeft: left };
  };
  return daysOfMonth(month).map((date) => ({ date, verdict: verdictOn(date) }));
}
