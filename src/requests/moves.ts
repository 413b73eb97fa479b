import { and, asc, eq } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { requests } from '../../db/schema.ts';
import { activeUsersWithRole, findUser, type UserRow } from '../accounts/users.ts';
import type { Config } from '../config.ts';
import { orAdmins } from '../domain/duties.ts';
import { notFound } from '../domain/refusal.ts';
import { queueMail } from '../mail/queue-mail.ts';
import type { Writer } from '../../db/transactions.ts';
import { mailContainer } from './mail.ts';
import { pageLinks } from '../links.ts';
import { changeStatus } from './status-door.ts';
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

/** A request a person may see: their own, or any for staff and curators. Another's is a 404. */
export function visibleRequest(tx: Writer, id: number, viewer: UserRow): RequestRow {
  const row = findRequest(tx, id);
  if (!row || (viewer.role === 'researcher' && row.researcherId !== viewer.id)) throw notFound(`There is no request ${id}.`);
  return row;
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
  const promoted = changeStatus(tx, waiting, 'scheduled', 'system', 'promote', now, { note: 'The container came free.' });
  const researcher = findUser(tx, promoted.researcherId);
  if (!researcher) return;
  queueMail(tx, {
    kind: 'waitlist-promoted',
    to: { email: researcher.email, name: researcher.name },
    data: { visitDate: promoted.visitDate, container: mailContainer(promoted), requestsUrl: pageLinks(ctx.publicUrl).requests },
  });
}

/** Everyone who reviews restricted material (src/domain/duties.ts). */
export const reviewers = (tx: Writer) => orAdmins(activeUsersWithRole(tx, 'curator'), () => activeUsersWithRole(tx, 'admin'));

/** Everyone who pages boxes (src/domain/duties.ts). */
export const pagingStaff = (tx: Writer) => orAdmins(activeUsersWithRole(tx, 'staff'), () => activeUsersWithRole(tx, 'admin'));
