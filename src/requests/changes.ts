import { and, asc, between, eq } from 'drizzle-orm';
import { requests, type RequestStatus } from '../../db/tables.ts';
import { findRoom } from '../reading-rooms/store.ts';
import { findUser, type UserRow } from '../accounts/users.ts';
import { todayIn, type Clock, type IsoDate } from '../domain/calendar.ts';
import { approvedStatus, isHolding } from '../domain/request-status.ts';
import { heldByAnother } from './holders.ts';
import { queueMail } from '../mail/queue-mail.ts';
import type { MailJob } from '../mail/catalogue.ts';
import { tellInstructorWhenDecided } from '../class-sessions/mail.ts';
import { commit, type Writer } from '../../db/transactions.ts';
import { mailContainer } from './mail.ts';
import { pageLinks } from '../links.ts';
import { promoteFromWaitlist, visibleRequest, type RequestsContext } from './moves.ts';
import { changeStatus } from './status-door.ts';
import type { RequestRow } from './store.ts';


/** Mails a request's researcher; a class session's request has none (its instructor hears of the class as a whole). */
async function tellResearcher(tx: Writer, row: RequestRow, mail: (researcher: UserRow) => MailJob): Promise<void> {
  const researcher = await findUser(tx, row.researcherId);
  if (researcher) await queueMail(tx, mail(researcher));
}

/**
 * A curator's approval of restricted material: scheduled, or waitlisted when another researcher
 * holds the container by then. The researcher is told, with the curator's note.
 */
export function approveRequest(ctx: RequestsContext, id: number, curator: UserRow, note: string | undefined, clock: Clock): Promise<RequestRow> {
  return commit(ctx.db, async (tx) => {
    const now = clock();
    const row = await visibleRequest(tx, id, curator);
    const approved = await changeStatus(tx, row, approvedStatus(await heldByAnother(tx, row.containerId, row.visitDate, row.id)), curator, 'approve', now, { note, decisionNote: note ?? null });
    await tellResearcher(tx, row, (researcher) => ({
      kind: 'request-approved',
      to: { email: researcher.email, name: researcher.name },
      data: { visitDate: row.visitDate, container: mailContainer(approved), note: note ?? null, requestsUrl: pageLinks(ctx.publicUrl).requests },
    }));
    await tellInstructorWhenDecided(tx, approved);
    return approved;
  });
}

/** A curator's refusal; the reason is required and shown to the researcher. */
export function denyRequest(ctx: RequestsContext, id: number, curator: UserRow, reason: string, clock: Clock): Promise<RequestRow> {
  return commit(ctx.db, async (tx) => {
    const now = clock();
    const row = await visibleRequest(tx, id, curator);
    const denied = await changeStatus(tx, row, 'denied', curator, 'deny', now, { note: reason, decisionNote: reason });
    await tellResearcher(tx, row, (researcher) => ({
      kind: 'request-denied',
      to: { email: researcher.email, name: researcher.name },
      data: { visitDate: row.visitDate, container: mailContainer(denied), reason, requestsUrl: pageLinks(ctx.publicUrl).requests },
    }));
    await tellInstructorWhenDecided(tx, denied);
    return denied;
  });
}

/**
 * Cancels a request: its researcher may until the box is paged, staff at any point before it is
 * delivered. A freed box goes to the waiting list; staff cancellations are mailed with the reason
 * (a researcher's own is confirmed on the page).
 */
export function cancelRequest(ctx: RequestsContext, id: number, person: UserRow, reason: string | undefined, clock: Clock): Promise<RequestRow> {
  return commit(ctx.db, async (tx) => {
    const now = clock();
    const row = await visibleRequest(tx, id, person);
    const cancelled = await changeStatus(tx, row, 'cancelled', person, 'cancel', now, { note: reason });
    if (isHolding(row.status)) await promoteFromWaitlist(ctx, tx, [{ containerId: row.containerId, date: row.visitDate }], now);
    if (person.role !== 'researcher') {
      await tellResearcher(tx, row, (researcher) => ({
        kind: 'request-cancelled',
        to: { email: researcher.email, name: researcher.name },
        data: {
          visitDate: row.visitDate,
          containers: [mailContainer(cancelled)],
          reason: reason ?? 'The reading room staff cancelled it.',
          requestsUrl: pageLinks(ctx.publicUrl).requests,
        },
      }));
    }
    return cancelled;
  });
}

/**
 * Staff moves at the desk and in the stacks: paged, delivered (only to a researcher whose photo
 * ID was checked), returned, on hold (to `holdUntil`), reshelved, no-show. A hold placed is
 * mailed to the researcher; a hold ended early frees the box for the waiting lists of its days.
 */
export function transitionRequest(
  ctx: RequestsContext,
  id: number,
  staff: UserRow,
  to: RequestStatus,
  details: { note?: string | undefined; holdUntil?: IsoDate | undefined },
  clock: Clock,
): Promise<RequestRow> {
  return commit(ctx.db, async (tx) => {
    const now = clock();
    const row = await visibleRequest(tx, id, staff);
    const moved = await changeStatus(tx, row, to, staff, 'transition', now, details);
    if (to === 'on_hold') {
      await tellResearcher(tx, row, (researcher) => ({
        kind: 'hold-placed',
        to: { email: researcher.email, name: researcher.name },
        data: { container: mailContainer(moved), holdUntil: moved.holdUntil as IsoDate, requestsUrl: pageLinks(ctx.publicUrl).requests },
      }));
    }
    if (to === 'reshelved') await freeHeldDays(ctx, tx, row, now);
    return moved;
  });
}

/** The researcher ends their own hold: the box goes back to the stacks, and its days come free. */
export function releaseHold(ctx: RequestsContext, id: number, researcher: UserRow, clock: Clock): Promise<RequestRow> {
  return commit(ctx.db, async (tx) => {
    const now = clock();
    const row = await visibleRequest(tx, id, researcher);
    const released = await changeStatus(tx, row, 'reshelved', researcher, 'release', now, { note: 'Released by the researcher.' });
    await freeHeldDays(ctx, tx, row, now);
    return released;
  });
}

/**
 * A hold ended before `holdUntil`: each day left of it, today included, goes to the request
 * waitlisted longest for the box that day.
 */
async function freeHeldDays(ctx: RequestsContext, tx: Writer, row: RequestRow, now: Date): Promise<void> {
  if (row.holdUntil === null) return;
  const room = await findRoom(tx, row.readingRoomId);
  const today = room ? todayIn(room.timezone, now) : row.visitDate;
  const from = today > row.visitDate ? today : row.visitDate;
  if (row.holdUntil < from) return;
  const waiting = await tx
    .select({ date: requests.visitDate })
    .from(requests)
    .where(and(eq(requests.containerId, row.containerId), eq(requests.status, 'waitlisted'), between(requests.visitDate, from, row.holdUntil)))
    .orderBy(asc(requests.visitDate));
  const days = [...new Set(waiting.map((w) => w.date))];
  await promoteFromWaitlist(ctx, tx, days.map((date) => ({ containerId: row.containerId, date })), now);
}
