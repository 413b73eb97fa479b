import { and, asc, eq } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { requestEvents, requests, type RequestStatus, type Role } from '../../db/schema.ts';
import { activeUsersWithRole, findUser, type UserRow } from '../accounts/users.ts';
import type { Config } from '../config.ts';
import type { Actor } from '../domain/request-status.ts';
import { ApiError, notFound } from '../http/errors.ts';
import { queueMail } from '../mail/queue-mail.ts';
import type { Writer } from '../outbox/store.ts';
import { mailContainer, pageLinks } from './mail.ts';
import { findRequest, type RequestRow } from './store.ts';

export interface RequestsContext {
  db: Database;
  publicUrl: string;
  timezone: string;
  dailyRequestLimit: number;
  maxAdvanceDays: number;
}

export function requestsContext(db: Database, config: Pick<Config, 'publicUrl' | 'timezone' | 'dailyRequestLimit' | 'maxAdvanceDays'>): RequestsContext {
  return { db, publicUrl: config.publicUrl, timezone: config.timezone, dailyRequestLimit: config.dailyRequestLimit, maxAdvanceDays: config.maxAdvanceDays };
}

/** Who changes a request: a person, or the system (paging runs, closing time, the waiting list). */
export type Changer = { user: UserRow; as: Actor } | { user: null; as: 'system' };

export const systemChanger: Changer = { user: null, as: 'system' };

/** A request a person may see: their own, or any for staff and curators. Another's is a 404. */
export function visibleRequest(tx: Writer, id: number, viewer: UserRow): RequestRow {
  const row = findRequest(tx, id);
  if (!row || (viewer.role === 'researcher' && row.researcherId !== viewer.id)) throw notFound(`There is no request ${id}.`);
  return row;
}

export const invalidTransition = (row: RequestRow, to: RequestStatus, why = '') =>
  new ApiError(409, 'INVALID_TRANSITION', `A request that is ${row.status.replace('_', ' ')} cannot become ${to.replace('_', ' ')}${why}.`);

/** Changes a request's status and writes the event, in the caller's transaction. */
export function move(
  tx: Writer,
  row: RequestRow,
  to: RequestStatus,
  changer: Changer,
  now: Date,
  extra: { note?: string | null | undefined; decisionNote?: string | null | undefined } = {},
): RequestRow {
  tx.update(requests)
    .set({
      status: to,
      updatedAt: now,
      ...(to === 'waitlisted' ? { waitlistedAt: now } : {}),
      ...(extra.decisionNote !== undefined ? { decisionNote: extra.decisionNote } : {}),
    })
    .where(eq(requests.id, row.id))
    .run();
  tx.insert(requestEvents)
    .values({
      requestId: row.id,
      at: now,
      actorId: changer.user?.id ?? null,
      actorRole: changer.user?.role ?? 'system',
      fromStatus: row.status,
      toStatus: to,
      note: extra.note ?? null,
    })
    .run();
  return { ...row, status: to, updatedAt: now, ...(extra.decisionNote !== undefined ? { decisionNote: extra.decisionNote } : {}) };
}

/**
 * When a holder's request is cancelled, the box goes to the request waitlisted longest for that
 * container and day, and its researcher is told.
 */
export function promoteFromWaitlist(ctx: RequestsContext, tx: Writer, freed: RequestRow, now: Date): void {
  const next = tx
    .select({ id: requests.id })
    .from(requests)
    .where(and(eq(requests.containerId, freed.containerId), eq(requests.visitDate, freed.visitDate), eq(requests.status, 'waitlisted')))
    .orderBy(asc(requests.waitlistedAt), asc(requests.id))
    .get();
  const waiting = next && findRequest(tx, next.id);
  if (!waiting) return;
  const promoted = move(tx, waiting, 'scheduled', systemChanger, now, { note: 'The container came free.' });
  const researcher = findUser(tx, promoted.researcherId);
  if (!researcher) return;
  queueMail(tx, {
    kind: 'waitlist-promoted',
    to: { email: researcher.email, name: researcher.name },
    data: { visitDate: promoted.visitDate, container: mailContainer(promoted), requestsUrl: pageLinks(ctx.publicUrl).requests },
  });
}

/** Everyone who reviews restricted material: the curators, or the admins when there is none. */
export function reviewers(tx: Writer): UserRow[] {
  const curators = activeUsersWithRole(tx, 'curator');
  return curators.length > 0 ? curators : activeUsersWithRole(tx, 'admin');
}

/** Everyone who pages boxes: the staff, or the admins when there is none. */
export function pagingStaff(tx: Writer): UserRow[] {
  const staff = activeUsersWithRole(tx, 'staff');
  return staff.length > 0 ? staff : activeUsersWithRole(tx, 'admin' satisfies Role);
}
