import { and, eq, inArray } from 'drizzle-orm';
import { requests, type RequestStatus } from '../../db/schema.ts';
import { findUser, type UserRow } from '../accounts/users.ts';
import type { Clock } from '../domain/calendar.ts';
import { holdingStatuses, isHolding, mayMove, mayReshelveNoShow } from '../domain/request-status.ts';
import { ApiError } from '../http/errors.ts';
import { queueMail } from '../mail/queue-mail.ts';
import { commit, type Writer } from '../outbox/store.ts';
import { mailContainer, pageLinks } from './mail.ts';
import { invalidTransition, move, promoteFromWaitlist, visibleRequest, type Changer, type RequestsContext } from './moves.ts';
import { eventsOf, type RequestRow } from './store.ts';

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
    const to: RequestStatus = heldByAnother(tx, row) ? 'waitlisted' : 'scheduled';
    if (!mayMove(row.status, to, 'curator', 'approve')) throw invalidTransition(row, to);
    const approved = move(tx, row, to, { user: curator, as: 'curator' }, now, { note, decisionNote: note ?? null });
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
    if (!mayMove(row.status, 'denied', 'curator', 'deny')) throw invalidTransition(row, 'denied');
    const denied = move(tx, row, 'denied', { user: curator, as: 'curator' }, now, { note: reason, decisionNote: reason });
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
    const changer: Changer = person.role === 'researcher' ? { user: person, as: 'researcher' } : { user: person, as: 'staff' };
    if (!mayMove(row.status, 'cancelled', changer.as, 'cancel')) {
      throw invalidTransition(row, 'cancelled', row.status === 'paged' ? ': the box has been paged, so only staff can cancel it' : '');
    }
    const cancelled = move(tx, row, 'cancelled', changer, now, { note: reason });
    if (isHolding(row.status)) promoteFromWaitlist(ctx, tx, row, now);
    if (changer.as === 'staff') {
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
    if (!mayMove(row.status, to, 'staff', 'transition')) throw invalidTransition(row, to);
    if (row.status === 'no_show' && !mayReshelveNoShow(eventsOf(tx, row.id).map((e) => e.toStatus))) {
      throw invalidTransition(row, to, ': the box was never paged, so it never left its shelf');
    }
    if (to === 'delivered' && researcherOf(tx, row).identityVerifiedAt === null) {
      throw new ApiError(409, 'IDENTITY_NOT_VERIFIED', "Check the researcher's photo ID at the desk and record it before delivering material.");
    }
    return move(tx, row, to, { user: staff, as: 'staff' }, now, { note });
  });
}
