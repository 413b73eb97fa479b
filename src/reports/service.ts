import { and, between, count, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import { appointments, requestEvents, requests } from '../../db/tables.ts';
import type { Writer } from '../../db/transactions.ts';
import { closuresBetween } from '../calendar/store.ts';
import { todayIn, type Closures, type IsoDate } from '../domain/calendar.ts';
import type { ReadingRoom } from '../domain/reading-rooms.ts';
import { businessDaysIn, heldBusinessDays, median, noShowRate, seatsUsed } from '../domain/reports.ts';

export interface ServiceReport {
  visits: number;
  noShowRate: number | null;
  seatsUsed: number | null;
  medianMinutesToDeliver: number | null;
  holdDays: number;
}

/**
 * How the reading rooms served their visits from `from` to `to` (docs/reports.md), in the rooms
 * given: attended visits, the share of no-shows, of seats used, the minutes from check-in to the
 * first box delivered, and the business days boxes were kept on hold. Days are each room's own.
 */
export async function serviceReport(db: Writer, rooms: readonly ReadingRoom[], from: IsoDate, to: IsoDate): Promise<ServiceReport> {
  const roomIds = rooms.map((r) => r.id);
  const byRoom = new Map(rooms.map((r) => [r.id, r]));
  const inRange = and(inArray(appointments.readingRoomId, roomIds), between(appointments.date, from, to));
  const counts = await db
    .select({ status: appointments.status, count: count() })
    .from(appointments)
    .where(and(inRange, inArray(appointments.status, ['attended', 'no_show'])))
    .groupBy(appointments.status);
  const attended = counts.find((c) => c.status === 'attended')?.count ?? 0;
  const noShows = counts.find((c) => c.status === 'no_show')?.count ?? 0;

  const closures = await closuresOf(db, rooms, from, to);
  const offered = rooms.map((r) => ({ seats: r.seats, openDays: businessDaysIn(from, to, closures.get(r.id)!) }));

  // Each attended visit's first delivery that day (the room's day), from its check-in.
  const deliveries = await db
    .select({ appointmentId: appointments.id, date: appointments.date, roomId: appointments.readingRoomId, checkedInAt: appointments.checkedInAt, at: requestEvents.at })
    .from(appointments)
    .innerJoin(requests, eq(requests.appointmentId, appointments.id))
    .innerJoin(requestEvents, and(eq(requestEvents.requestId, requests.id), eq(requestEvents.toStatus, 'delivered')))
    .where(and(inRange, eq(appointments.status, 'attended'), isNotNull(appointments.checkedInAt), sql`${requestEvents.at} >= ${appointments.checkedInAt}`));
  const firstDelivery = new Map<number, number>();
  for (const d of deliveries) {
    const room = byRoom.get(d.roomId)!;
    if (todayIn(room.timezone, d.at) !== d.date) continue;
    const minutes = (d.at.getTime() - d.checkedInAt!.getTime()) / 60_000;
    firstDelivery.set(d.appointmentId, Math.min(firstDelivery.get(d.appointmentId) ?? Infinity, minutes));
  }
  const middle = median([...firstDelivery.values()]);

  // Holds of the range's visits, each with the moment it went back to the stacks (reshelved is
  // final: one such event at most), read at once; each room's closures once, to the last hold's end.
  const holds = await db
    .select({ roomId: requests.readingRoomId, visitDate: requests.visitDate, holdUntil: requests.holdUntil, endedAt: requestEvents.at })
    .from(requests)
    .leftJoin(requestEvents, and(eq(requestEvents.requestId, requests.id), eq(requestEvents.toStatus, 'reshelved')))
    .where(and(inArray(requests.readingRoomId, roomIds), between(requests.visitDate, from, to), isNotNull(requests.holdUntil)));
  const lastHeld = holds.reduce((last, h) => (h.holdUntil! > last ? h.holdUntil! : last), to);
  const heldClosures = await closuresOf(db, rooms, from, lastHeld);
  let holdDays = 0;
  for (const hold of holds) {
    const room = byRoom.get(hold.roomId)!;
    const endedOn = hold.endedAt ? todayIn(room.timezone, hold.endedAt) : null;
    holdDays += heldBusinessDays(hold.visitDate, hold.holdUntil!, endedOn, heldClosures.get(room.id)!);
  }

  return {
    visits: attended,
    noShowRate: noShowRate(attended, noShows),
    seatsUsed: seatsUsed(attended, offered),
    medianMinutesToDeliver: middle === null ? null : Math.round(middle * 10) / 10,
    holdDays,
  };
}

/** Each room's closures from `from` to `to`, by room id. */
async function closuresOf(db: Writer, rooms: readonly ReadingRoom[], from: IsoDate, to: IsoDate): Promise<Map<number, Closures>> {
  const closures = new Map<number, Closures>();
  for (const r of rooms) closures.set(r.id, await closuresBetween(db, r.id, from, to));
  return closures;
}
