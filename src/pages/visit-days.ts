import type { Database } from '../../db/client.ts';
import { roomDay } from '../calendar/store.ts';
import { calendarDays, weekdayName, type IsoDate } from '../domain/calendar.ts';
import { earliestVisitIn, horizonOf } from '../domain/reading-rooms.ts';
import { restrictedOn } from '../domain/restrictions.ts';
import type { VisitDayVerdict } from '../domain/visit-plan.ts';
import { roomOrFirst } from '../reading-rooms/store.ts';
import { holdersOn } from '../requests/holders.ts';
import { readableDate } from '../wording.ts';

// What the researcher's pages say of visit days and of boxes on them, the same on the collection
// page (the researcher's, and the desk's for a researcher), the visit planner and the saved list:
// the days a visit can be requested for, why a day can or cannot be booked, and how a box stands on
// a day.

/** The days a visit to a room can be requested for, and the earliest visit date its lead time gives. */
export interface OpenVisitDays {
  days: IsoDate[];
  earliest: IsoDate;
}

/**
 * The days a visit to a room (the first when none is named) may be requested for now: open days
 * from its earliest visit date to its horizon; `overridable`, where staff may override the lead
 * time for a researcher, from today. `earliest` is the lead time's earliest visit date either way.
 */
export async function openVisitDays(db: Database, roomId: number | undefined, now: Date, { overridable = false } = {}): Promise<OpenVisitDays> {
  const day = await roomDay(db, await roomOrFirst(db, roomId), now);
  const first = earliestVisitIn(day, overridable);
  const horizon = horizonOf(day);
  const days =
    first > horizon
      ? []
      : calendarDays(first, horizon, day.closures)
          .filter((d) => d.open)
          .map((d) => d.date);
  return { days, earliest: earliestVisitIn(day) };
}

/** Why a day cannot be booked, or that it can, in words. */
export function dayWords(date: IsoDate, verdict: VisitDayVerdict): string {
  switch (verdict.kind) {
    case 'bookable':
      return verdict.seatsLeft === null ? 'Open: seats unlimited' : `Open: ${verdict.seatsLeft} ${verdict.seatsLeft === 1 ? 'seat' : 'seats'} left`;
    case 'full':
      return 'Full: every seat is taken';
    case 'past':
      return 'Past';
    case 'closed':
      return verdict.closure === null ? `Closed on ${weekdayName(date)}s` : `Closed: ${verdict.closure}`;
    case 'too-soon':
      return `Too soon: the earliest visit date is ${readableDate(verdict.earliest)}`;
    case 'too-far':
      return `Past the booking horizon: the last day that can be booked is ${readableDate(verdict.horizon)}`;
  }
}

/** A box on a day it could be read. */
export type BoxOnDay = 'available' | 'yours' | 'held' | 'restricted';

export const boxWords: Record<BoxOnDay, string> = {
  available: 'available',
  yours: 'yours that day',
  held: 'held by another reader: you would join the waiting list',
  restricted: 'restricted: a curator must approve it',
};

/**
 * How each box stands on a day for a researcher: the holders of src/requests/holders.ts (theirs, or
 * another reader's), then its restriction that day.
 */
export async function boxesOn(
  db: Database,
  researcherId: number,
  boxes: readonly { id: number; restricted: boolean; restrictedUntil: IsoDate | null }[],
  date: IsoDate,
): Promise<Map<number, BoxOnDay>> {
  const holders = await holdersOn(db, boxes.map((b) => b.id), date);
  return new Map(
    boxes.map((box) => {
      const holder = holders.get(box.id);
      const standing: BoxOnDay = holder
        ? holder.researcherId === researcherId
          ? 'yours'
          : 'held'
        : restrictedOn({ restricted: box.restricted, until: box.restrictedUntil }, date)
          ? 'restricted'
          : 'available';
      return [box.id, standing];
    }),
  );
}
