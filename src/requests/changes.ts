import { and, eq, inArray } from 'drizzle-orm';
import { requests, type RequestStatus } from '../../db/schema.ts';
import { findUser, type UserRow } from '../accounts/users.ts';
import type { Clock } from '../domain/calendar.ts';
import { approvedStatus, holdingStatuses, isHolding } from '../domain/request-status.ts';
import { queueMail } from '../mail/queue-mail.ts';
import { commit, type Writer } from '../../db/transactions.ts';
import { mailContainer } from './mail.ts';
import { pageLinks } from '../links.ts';
import { promoteFromWaitlist, visibleRequest, type RequestsContext } from './moves.ts';
import { changeStatus } from './status-door.ts';
import type { RequestRow } from './store.ts';

const heldByAnother = (tx: Writer, row: RequestRow) =>
  tx
    .select({ id: requests.id })
    .from(requests)
    .where(and(eq(requests.containerId, row.containerId), eq(requests.visitDate, row.visitDate), inArray(requests.status, [...holdingStatuses])))
    .get() !== undefined;

function researcherOf(tx: Writer, row: RequestRow): UserRow {
  const researcher = findUser(tx, row.researcherId);
  if (!researcher) throw new Error(`request ${row.id} has no researcher`);
  return researcher;
}

/**
 * A curator's approval of restricted material: scheduled, or waitlisted when another researcher
 * holds the container by then. The researcher is told, with the curator's note.
 */
export function approveRequest(ctx: RequestsContext, id: number, curator: UserRow, note: string | undefined, clock: Clock): RequestRow {
  return commit(ctx.db, (tx) => {
    const now = clock();
    const row = visibleRequest(tx, id, curator);
    const approved = changeStatus(tx, row, approvedStatus(heldByAnother(tx, row)), curator, 'approve', now, { note, decisionNote: note ?? null });
    const researcher = researcherOf(tx, row);
    queueMail(tx, {
      kind: 'request-approved',
      to: { email: researcher.email, name: researcher.name },
      data: { visitDate: row.visitDate, container: mailContainer(approved), note: note ?? null, requestsUrl: pageLinks(ctx.publicUrl).requests },
    });
    return approved;
  });
}

/** A curator's refusal; the reason is required and shown to the researcher. */
export function denyRequest(ctx: RequestsContext, id: number, curator: UserRow, reason: string, clock: Clock): RequestRow {
  return commit(ctx.db, (tx) => {
    const now = clock();
    const row = visibleRequest(tx, id, curator);
    const denied = changeStatus(tx, row, 'denied', curator, 'deny', now, { note: reason, decisionNote: reason });
    const researcher = researcherOf(tx, row);
    queueMail(tx, {
      kind: 'request-denied',
      to: { email: researcher.email, name: researcher.name },
      data: { visitDate: row.visitDate, container: mailContainer(denied), reason, requestsUrl: pageLinks(ctx.publicUrl).requests },
    });
    return denied;
  });
}

/**
 * Cancels a request: its researcher may until the box is paged, staff at any point before it is
 * delivered. A freed box goes to the waiting list; staff cancellations are mailed with the reason
 * (a researcher's own is confirmed on the page).
 */
export function cancelRequest(ctx: RequestsContext, id: number, person: UserRow, reason: string | undefined, clock: Clock): RequestRow {
  return commit(ctx.db, (tx) => {
    const now = clock();
    const row = visibleRequest(tx, id, person);
    const cancelled = changeStatus(tx, row, 'cancelled', person, 'cancel', now, { note: reason });
    if (isHolding(row.status)) promoteFromWaitlist(ctx, tx, row, now);
    if (person.role !== 'researcher') {
      const researcher = researcherOf(tx, row);
      queueMail(tx, {
        kind: 'request-cancelled',
        to: { email: researcher.email, name: researcher.name },
        data: {
          visitDate: row.visitDate,
          containers: [mailContainer(cancelled)],
          reason: reason ?? 'The reading room staff cancelled it.',
          requestsUrl: pageLinks(ctx.publicUrl).requests,
        },
      });
    }
    return cancelled;
  });
}

/**
 * Staff moves at the desk and in the stacks: paged, delivered (only to a researcher whose photo
 * ID was checked), returned, reshelved, no-show.
 */
export function transitionRequest(ctx: RequestsContext, id: number, staff: UserRow, to: RequestStatus, note: string | undefined, clock: Clock): RequestRow {
  return commit(ctx.db, (tx) => {
    const now = clock();
    const row = visibleRequest(tx, id, staff);
    return changeStatus(tx, row, to, staff, 'transition', now, { note });
  });
}
