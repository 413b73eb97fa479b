import type { UserRow } from '../accounts/users.ts';
import type { Writer } from '../../db/transactions.ts';
import { clientOf, prepared } from '../caches.ts';
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
 */
const insertIfSeatLeft = (tx: Writer) =>
  clientOf(tx).prepare(`
    insert into appointments (researcher_id, reading_room_id, date, status, created_at, updated_at)
    select @researcherId, r.id, @date, 'booked', @now, @now
    from reading_rooms r
    where r.id = @roomId
      and case when r.seats is null then 1
          else r.seats > (select count(*) from appointments where reading_room_id = r.id and date = @date and status in ('booked', 'attended'))
          end`);

/** A seat for the researcher on `date`, or READING_ROOM_FULL naming the next open day with one. */
function takeSeat(tx: Writer, day: RoomDay, researcher: UserRow, date: IsoDate, now: Date): AppointmentRow {
  const made = prepared(tx, 'insertIfSeatLeft', () => insertIfSeatLeft(tx)).run({ researcherId: researcher.id, roomId: day.room.id, date, now: now.getTime() });
  if (made.changes === 0) {
    const horizon = horizonOf(day);
    const next = nextDayWithSeat(date, horizon, day.closures, day.room.seats ?? 0, seatsTaken(tx, day.room.id, date, horizon));
    throw roomFullRefusal(day.room.name, date, next);
  }
  // The row as written, not read back.
  const at = new Date(now);
  return { id: Number(made.lastInsertRowid), researcherId: researcher.id, readingRoomId: day.room.id, date, status: 'booked', checkedInAt: null, checkedOutAt: null, createdAt: at, updatedAt: at };
}

/** An appointment asked for on its own: one per researcher, room and day, then a seat. */
export function bookAppointment(tx: Writer, day: RoomDay, researcher: UserRow, date: IsoDate, now: Date): AppointmentRow {
  if (seatOf(tx, researcher.id, day.room.id, date)) throw duplicateAppointmentRefusal(day.room.name, date);
  return takeSeat(tx, day, researcher, date, now);
}

/** The appointment a request joins: the researcher's in that room that day, else a new one. */
export function appointmentFor(tx: Writer, day: RoomDay, researcher: UserRow, date: IsoDate, now: Date): AppointmentRow {
  return seatOf(tx, researcher.id, day.room.id, date) ?? takeSeat(tx, day, researcher, date, now);
}
