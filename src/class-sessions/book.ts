import { eq } from 'drizzle-orm';
import { classSessions, type RequestStatus } from '../../db/tables.ts';
import { commit, type Writer } from '../../db/transactions.ts';
import type { UserRow } from '../accounts/users.ts';
import { roomDay } from '../calendar/store.ts';
import type { Clock, IsoDate } from '../domain/calendar.ts';
import { classDateRefusal, classItemLimitRefusal, classTimesRefusal, otherRoomRefusal } from '../domain/class-sessions.ts';
import { withdrawnRefusal } from '../domain/booking-rules.ts';
import { notFound, Refusal } from '../domain/refusal.ts';
import { cancelledWithVisit, initialStatus, isHolding } from '../domain/request-status.ts';
import { restrictedOn } from '../domain/restrictions.ts';
import { pageLinks } from '../links.ts';
import { queueMail } from '../mail/queue-mail.ts';
import { roomOrFirst } from '../reading-rooms/store.ts';
import { holdersOn } from '../requests/holders.ts';
import { mailContainer } from '../requests/mail.ts';
import { promoteFromWaitlist, reviewers, type RequestsContext } from '../requests/moves.ts';
import { changeStatus, recordNewRequest } from '../requests/status-door.ts';
import { containerDetails, requestsOfClassSession, writtenRequest, type RequestRow } from '../requests/store.ts';
import { instructorOf, mailClassSession } from './mail.ts';
import { findClassSession, type ClassSessionRow } from './store.ts';

export interface ClassBooking {
  readingRoomId: number;
  date: IsoDate;
  startTime: string;
  endTime: string;
  title: string;
  instructorName: string;
  instructorEmail: string;
  headcount: number;
  containerIds: number[];
}

/**
 * Staff or a curator books a class session: the room's class rules answer in the order of a
 * researcher's request (times, the date with the class's notice, unknown boxes, withdrawn ones,
 * boxes of another room, the number of boxes), then each box gets a request for the session under
 * the status machine. The instructor is told what is booked; curators, of restricted boxes.
 */
export function bookClassSession(ctx: RequestsContext, booker: UserRow, booking: ClassBooking, clock: Clock): Promise<ClassSessionRow> {
  return commit(ctx.db, async (tx) => {
    const now = clock();
    const timesRefusal = classTimesRefusal(booking.startTime, booking.endTime);
    if (timesRefusal) throw timesRefusal;
    const day = await roomDay(tx, await roomOrFirst(tx, booking.readingRoomId), now);
    const { room } = day;
    const dateRefusal = classDateRefusal(booking.date, { today: day.today, closures: day.closures, maxAdvanceDays: room.maxAdvanceDays, classLeadBusinessDays: room.classLeadBusinessDays, classItemLimit: room.classItemLimit });
    if (dateRefusal) throw dateRefusal;

    const known = await containerDetails(tx, booking.containerIds);
    const missing = booking.containerIds.filter((id) => !known.has(id));
    if (missing.length > 0) throw notFound(`There is no ${missing.map((id) => `container ${id}`).join(', ')}.`);
    const wanted = [...booking.containerIds].sort((a, b) => a - b).map((id) => known.get(id)!);
    const withdrawn = withdrawnRefusal(wanted.filter((c) => c.withdrawn).map((c) => c.containerLabel));
    if (withdrawn) throw withdrawn;
    const elsewhere = otherRoomRefusal(wanted.filter((c) => c.readingRoomId !== room.id).map((c) => c.containerLabel), room.name);
    if (elsewhere) throw elsewhere;
    const tooMany = classItemLimitRefusal(wanted.length, room.classItemLimit);
    if (tooMany) throw tooMany;

    const [session] = (await tx
      .insert(classSessions)
      .values({
        readingRoomId: room.id,
        date: booking.date,
        startTime: booking.startTime,
        endTime: booking.endTime,
        title: booking.title,
        instructorName: booking.instructorName,
        instructorEmail: booking.instructorEmail,
        headcount: booking.headcount,
        status: 'booked',
        bookedBy: booker.id,
        createdAt: now,
        updatedAt: now,
      })
      .returning()) as [ClassSessionRow];
    const held = await holdersOn(tx, booking.containerIds, booking.date);
    const created: RequestRow[] = [];
    for (const containerId of booking.containerIds) {
      const c = known.get(containerId)!;
      const status = initialStatus({ restricted: restrictedOn({ restricted: c.restricted, until: c.restrictedUntil }, booking.date) }, held.has(containerId));
      const request = { researcherId: null, classSessionId: session.id, containerId, visitDate: booking.date, readingRoomId: room.id, appointmentId: null, note: null, originalReason: null };
      created.push(await writtenRequest(tx, await recordNewRequest(tx, request, status, booker, now, `Booked for the class session "${booking.title}".`)));
    }

    const classSession = await mailClassSession(tx, session);
    await queueMail(tx, { kind: 'class-session-booked', to: instructorOf(session), data: { classSession, containers: created.map(mailContainer) } });
    const restricted = created.filter((r) => r.status === 'awaiting_approval');
    if (restricted.length > 0) {
      const reviewUrl = pageLinks(ctx.publicUrl).review;
      await queueMail(
        tx,
        ...(await reviewers(tx)).map((curator) => ({
          kind: 'restricted-review' as const,
          to: { email: curator.email, name: curator.name },
          data: { visitDate: booking.date, researcher: null, classSession, containers: restricted.map(mailContainer), reviewUrl },
        })),
      );
    }
    return session;
  });
}

/**
 * Cancels a class session before its day is over: its boxes not yet paged are cancelled, the boxes
 * they held go to the waiting lists, and the instructor is told.
 */
export function cancelClassSession(ctx: RequestsContext, id: number, person: UserRow, clock: Clock): Promise<ClassSessionRow> {
  return commit(ctx.db, async (tx) => {
    const session = await findClassSession(tx, id);
    if (!session) throw notFound(`There is no class session ${id}.`);
    if (session.status === 'cancelled') throw new Refusal('INVALID_TRANSITION', 'The class session is already cancelled.');
    return endClassSession(ctx, tx, session, person, clock(), 'The reading room cancelled it.');
  });
}

/** A session ended early, by a person or by a forced closure of its day: its boxes, the waiting lists, the instructor. */
export async function endClassSession(ctx: RequestsContext, tx: Writer, session: ClassSessionRow, person: UserRow, now: Date, reason: string): Promise<ClassSessionRow> {
  await tx.update(classSessions).set({ status: 'cancelled', updatedAt: now }).where(eq(classSessions.id, session.id));
  const notPaged = (await requestsOfClassSession(tx, session.id)).filter((r) => (cancelledWithVisit as readonly RequestStatus[]).includes(r.status));
  for (const r of notPaged) await changeStatus(tx, r, 'cancelled', person, 'cancel', now, { note: 'The class session was cancelled.' });
  await promoteFromWaitlist(ctx, tx, notPaged.filter((r) => isHolding(r.status)).map((r) => ({ containerId: r.containerId, date: r.visitDate })), now);
  const cancelled = { ...session, status: 'cancelled' as const, updatedAt: now };
  await queueMail(tx, { kind: 'class-session-cancelled', to: instructorOf(session), data: { classSession: await mailClassSession(tx, cancelled), reason } });
  return cancelled;
}
