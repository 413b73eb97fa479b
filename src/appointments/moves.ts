import { appointments, type RequestStatus } from '../../db/tables.ts';
import { eq } from 'drizzle-orm';
import { findUser, type UserRow } from '../accounts/users.ts';
import { roomDay } from '../calendar/store.ts';
import { deskMove, type DeskAction } from '../domain/appointments.ts';
import { todayIn, type Clock, type IsoDate } from '../domain/calendar.ts';
import { visitDateRefusal } from '../domain/booking-rules.ts';
import { cancelledWithVisit, isHolding } from '../domain/request-status.ts';
import { notFound } from '../domain/refusal.ts';
import type { ReadingRoom } from '../domain/reading-rooms.ts';
import { pageLinks } from '../links.ts';
import { queueMail } from '../mail/queue-mail.ts';
import type { MailAppointment } from '../mail/catalogue.ts';
import { commit, type Writer } from '../../db/transactions.ts';
import { findRoom, roomOrFirst } from '../reading-rooms/store.ts';
import { mailContainer } from '../requests/mail.ts';
import { promoteFromWaitlist, type RequestsContext } from '../requests/moves.ts';
import { changeStatus } from '../requests/status-door.ts';
import { requestsOfAppointment, type RequestRow } from '../requests/store.ts';
import { bookAppointment } from './seats.ts';
import { findAppointment, type AppointmentRow } from './store.ts';

/** Cancelled with their appointment: booked and not yet fetched from the stacks. */

const mailAppointment = (row: AppointmentRow, room: ReadingRoom): MailAppointment => ({ id: row.id, date: row.date, roomName: room.name, timezone: room.timezone });

async function roomOf(tx: Writer, row: AppointmentRow): Promise<ReadingRoom> {
  const room = await findRoom(tx, row.readingRoomId);
  if (!room) throw new Error(`appointment ${row.id} is in no reading room`);
  return room;
}

/** An appointment a person may see: their own, or any for staff. Another's is a 404. */
export async function visibleAppointment(tx: Writer, id: number, viewer: UserRow): Promise<AppointmentRow> {
  const row = await findAppointment(tx, id);
  if (!row || (viewer.role === 'researcher' && row.researcherId !== viewer.id)) throw notFound(`There is no appointment ${id}.`);
  return row;
}

/**
 * A researcher books a day in a room: the v1 visit-date rules first, then one appointment per
 * room and day, then a seat. They get a mail with the visit as a calendar entry.
 */
export function makeAppointment(ctx: RequestsContext, researcher: UserRow, readingRoomId: number, date: IsoDate, clock: Clock): Promise<AppointmentRow> {
  return commit(ctx.db, async (tx) => {
    const now = clock();
    const day = await roomDay(tx, await roomOrFirst(tx, readingRoomId), now);
    const refusal = visitDateRefusal(date, { today: day.today, closures: day.closures, maxAdvanceDays: day.room.maxAdvanceDays, leadBusinessDays: day.room.leadBusinessDays });
    if (refusal) throw refusal;
    const booked = await bookAppointment(tx, day, researcher, date, now);
    await queueMail(tx, {
      kind: 'appointment-booked',
      to: { email: researcher.email, name: researcher.name },
      data: { appointment: mailAppointment(booked, day.room), containers: [], appointmentsUrl: pageLinks(ctx.publicUrl).appointments },
    });
    return booked;
  });
}

/**
 * Cancels an appointment, by its researcher or staff: its requests not yet paged are cancelled
 * with it (paged and later ones are the desk's to settle), the boxes they held go to the waiting
 * lists, and the researcher hears once, in one mail naming them all.
 */
export function cancelAppointment(ctx: RequestsContext, id: number, person: UserRow, clock: Clock): Promise<AppointmentRow> {
  return commit(ctx.db, async (tx) => {
    const now = clock();
    const row = await visibleAppointment(tx, id, person);
    const room = await roomOf(tx, row);
    const status = deskMove(row, 'cancel', todayIn(room.timezone, now));
    await tx.update(appointments).set({ status, updatedAt: now }).where(eq(appointments.id, row.id));
    const notPaged = (await requestsOfAppointment(tx, row.id)).filter((r) => (cancelledWithVisit as readonly RequestStatus[]).includes(r.status));
    const cancelled: RequestRow[] = [];
    for (const r of notPaged) cancelled.push(await changeStatus(tx, r, 'cancelled', person, 'cancel', now, { note: 'The appointment was cancelled.' }));
    await promoteFromWaitlist(ctx, tx, notPaged.filter((r) => isHolding(r.status)).map((r) => ({ containerId: r.containerId, date: r.visitDate })), now);
    const researcher = await findUser(tx, row.researcherId);
    if (researcher) {
      await queueMail(tx, {
        kind: 'appointment-cancelled',
        to: { email: researcher.email, name: researcher.name },
        data: {
          appointment: mailAppointment(row, room),
          containers: cancelled.map(mailContainer),
          reason: person.id === researcher.id ? 'You cancelled it.' : 'The reading room staff cancelled it.',
          appointmentsUrl: pageLinks(ctx.publicUrl).appointments,
        },
      });
    }
    return { ...row, status, updatedAt: now };
  });
}

/** The desk checks a researcher in (the appointment is attended) or out, on its day only; again answers the same. */
export function deskAppointment(ctx: RequestsContext, id: number, staff: UserRow, action: Exclude<DeskAction, 'cancel'>, clock: Clock): Promise<AppointmentRow> {
  return commit(ctx.db, async (tx) => {
    const now = clock();
    const row = await visibleAppointment(tx, id, staff);
    const status = deskMove(row, action, todayIn((await roomOf(tx, row)).timezone, now));
    const stamp = action === 'check-in' ? { checkedInAt: row.checkedInAt ?? now } : { checkedOutAt: row.checkedOutAt ?? now };
    if (row.status === status && (action === 'check-in' ? row.checkedInAt : row.checkedOutAt)) return row;
    await tx.update(appointments).set({ status, updatedAt: now, ...stamp }).where(eq(appointments.id, row.id));
    return { ...row, status, updatedAt: now, ...stamp };
  });
}
