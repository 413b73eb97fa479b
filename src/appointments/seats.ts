import type { UserRow } from '../accounts/users.ts';
import type { Writer } from '../../db/transactions.ts';
import { instantValue, statement } from '../../db/statements.ts';
import { duplicateAppointmentRefusal, nextDayWithSeat, roomFullRefusal } from '../domain/appointments.ts';
import type { IsoDate } from '../domain/calendar.ts';
import { horizonOf, type RoomDay } from '../domain/reading-rooms.ts';
import { seatOf, seatsTaken, type AppointmentRow } from './store.ts';

/**
 * The seat guarantee. One statement inserts the appointment only while the room's seats that day
 * outnumber the appointments taking one, reading both the seats and the count inside the write:
 * SQLite runs it under the database's write lock, so no two processes can both see the last seat
 * free. (A read, then an insert, would let two bookings in between.) The day's appointments are
 * counted only when the room's seats are limited: `case` evaluates its branches lazily, `or` need not.
 * PostgreSQL runs writers side by side: there its seats trigger (db/postgres/migrations) refuses
 * the seat too many, and the transaction runs again (db/transactions.ts), to find the day full.
 */
const insertIfSeatLeft = (tx: Writer) =>
  statement<{ id: number }>(tx, {
    sqlite: seatSql('cast(? as integer)'),
    postgres: seatSql('cast(? as timestamptz)'),
  });

const seatSql = (instant: string) => `
    insert into appointments (researcher_id, reading_room_id, date, status, created_at, updated_at)
    select cast(? as integer), r.id, cast(? as text), 'booked', ${instant}, ${instant}
    from reading_rooms r
    where r.id = ?
      and case when r.seats is null then true
          else r.seats > (select count(*) from appointments where reading_room_id = r.id and date = ? and status in ('booked', 'attended'))
          end
    returning id`;

/** A seat for the researcher on `date`, or READING_ROOM_FULL naming the next open day with one. */
async function takeSeat(tx: Writer, day: RoomDay, researcher: UserRow, date: IsoDate, now: Date): Promise<AppointmentRow> {
  const made = await insertIfSeatLeft(tx).first(researcher.id, date, instantValue(now), instantValue(now), day.room.id, date);
  if (made === undefined) {
    const horizon = horizonOf(day);
    const next = nextDayWithSeat(date, horizon, day.closures, day.room.seats ?? 0, await seatsTaken(tx, day.room.id, date, horizon));
    throw roomFullRefusal(day.room.name, date, next);
  }
  // The row as written, not read back.
  const at = new Date(now);
  return { id: made.id, researcherId: researcher.id, readingRoomId: day.room.id, date, status: 'booked', checkedInAt: null, checkedOutAt: null, createdAt: at, updatedAt: at };
}

/** An appointment asked for on its own: one per researcher, room and day, then a seat. */
export async function bookAppointment(tx: Writer, day: RoomDay, researcher: UserRow, date: IsoDate, now: Date): Promise<AppointmentRow> {
  if (await seatOf(tx, researcher.id, day.room.id, date)) throw duplicateAppointmentRefusal(day.room.name, date);
  return takeSeat(tx, day, researcher, date, now);
}

/** The appointment a request joins: the researcher's in that room that day, else a new one. */
export async function appointmentFor(tx: Writer, day: RoomDay, researcher: UserRow, date: IsoDate, now: Date): Promise<AppointmentRow> {
  return (await seatOf(tx, researcher.id, day.room.id, date)) ?? takeSeat(tx, day, researcher, date, now);
}
