import { and, asc, eq, gte, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import { prepared } from '../../db/statements.ts';
import type { Writer } from '../../db/transactions.ts';
import { closures } from '../../db/tables.ts';
import { bookingHorizon, earliestVisitDate, todayIn, type Closures, type IsoDate } from '../domain/calendar.ts';
import type { ReadingRoom, RoomDay } from '../domain/reading-rooms.ts';

/** A room's own closures and those of every room. */
const inRoom = (roomId: SQL | number) => or(isNull(closures.readingRoomId), eq(closures.readingRoomId, roomId));

/**
 * Closures in a range: a room's (its own and every room's) when `readingRoomId` is given, else
 * all of them.
 */
export async function listClosures(db: Writer, range: { from?: IsoDate | undefined; to?: IsoDate | undefined; readingRoomId?: number | undefined } = {}) {
  return await db
    .select({ date: closures.date, reason: closures.reason, readingRoomId: closures.readingRoomId })
    .from(closures)
    .where(
      and(
        range.from === undefined ? undefined : gte(closures.date, range.from),
        range.to === undefined ? undefined : lte(closures.date, range.to),
        range.readingRoomId === undefined ? undefined : inRoom(range.readingRoomId),
      ),
    )
    .orderBy(asc(closures.date), asc(closures.id));
}

const toClosures = (rows: { date: IsoDate; reason: string }[]): Closures => {
  const map = new Map<IsoDate, string>();
  // A day closed for every room and for this one keeps the first reason read.
  for (const c of rows) if (!map.has(c.date)) map.set(c.date, c.reason);
  return map;
};

/** A room's closures from `from` on, as the calendar rules take them. */
export async function closuresFrom(db: Writer, roomId: number, from: IsoDate): Promise<Closures> {
  const query = prepared(db, 'closuresFrom', () =>
    db
      .select({ date: closures.date, reason: closures.reason })
      .from(closures)
      .where(and(gte(closures.date, sql.placeholder('from')), inRoom(sql`${sql.placeholder('roomId')}`)))
      .orderBy(asc(closures.date), asc(closures.id)),
  );
  return toClosures(await query.rows({ from, roomId }));
}

/**
 * A room's closures from `from` to `to`: what the booking rules need when `to` is the booking
 * horizon (a handful of rows instead of every future closure).
 */
export async function closuresBetween(db: Writer, roomId: number, from: IsoDate, to: IsoDate): Promise<Closures> {
  const query = prepared(db, 'closuresBetween', () =>
    db
      .select({ date: closures.date, reason: closures.reason })
      .from(closures)
      .where(and(gte(closures.date, sql.placeholder('from')), lte(closures.date, sql.placeholder('to')), inRoom(sql`${sql.placeholder('roomId')}`)))
      .orderBy(asc(closures.date), asc(closures.id)),
  );
  return toClosures(await query.rows({ from, to, roomId }));
}

/**
 * A room's day at the instant `now`, in its time zone, with the closures the booking rules read:
 * up to the horizon, and past it only when the earliest visit date itself lies beyond (then,
 * rarely, every closure ahead).
 */
export async function roomDay(db: Writer, room: ReadingRoom, now: Date): Promise<RoomDay> {
  const today = todayIn(room.timezone, now);
  const horizon = bookingHorizon(today, room.maxAdvanceDays);
  let found = await closuresBetween(db, room.id, today, horizon);
  if (earliestVisitDate(today, found, room.leadBusinessDays) > horizon) found = await closuresFrom(db, room.id, today);
  return { room, today, closures: found };
}
