import { and, asc, eq } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { requests } from '../../db/tables.ts';
import { activeUsersWithRole, findUser, type UserRow } from '../accounts/users.ts';
import type { Config } from '../config.ts';
import { orAdmins } from '../domain/duties.ts';
import { notFound } from '../domain/refusal.ts';
import { queueMail } from '../mail/queue-mail.ts';
import type { Writer } from '../../db/transactions.ts';
import { mailContainer } from './mail.ts';
import { pageLinks } from '../links.ts';
import { changeStatus } from './status-door.ts';
import { holdersOn } from './holders.ts';
import { findRequest, type RequestRow } from './store.ts';
import type { IsoDate } from '../domain/calendar.ts';

/** What the request operations need: the database, and the site's address for the links in mail. The rules are each room's own. */
export interface RequestsContext {
  db: Database;
  publicUrl: string;
  /** The time of the visit reminders, local to each room. */
  reminderTime: string;
}

export function requestsContext(db: Database, config: Pick<Config, 'publicUrl' | 'reminderTime'>): RequestsContext {
  return { db, publicUrl: config.publicUrl, reminderTime: config.reminderTime };
}

/** A request a person may see: their own, or any for staff and curators. Another's is a 404. */
export async function visibleRequest(tx: Writer, id: number, viewer: UserRow): Promise<RequestRow> {
  const row = await findRequest(tx, id);
  if (!row || (viewer.role === 'researcher' && row.researcherId !== viewer.id)) throw notFound(`There is no request ${id}.`);
  return row;
}

/** A container freed on a day: its holder's request was cancelled, released or reshelved. */
export interface FreedDay {
  containerId: number;
  date: IsoDate;
}

/**
 * When a box comes free on a day, it goes to the request waitlisted longest for that container and
 * day (unless someone still holds it: a hold running over the day), and its researcher is told.
 */
export async function promoteFromWaitlist(ctx: RequestsContext, tx: Writer, freed: readonly FreedDay[], now: Date): Promise<void> {
  const promoted: RequestRow[] = [];
  for (const { containerId, date } of freed) {
    if ((await holdersOn(tx, [containerId], date)).size > 0) continue;
    const [next] = await tx
      .select({ id: requests.id })
      .from(requests)
      .where(and(eq(requests.containerId, containerId), eq(requests.visitDate, date), eq(requests.status, 'waitlisted')))
      .orderBy(asc(requests.waitlistedAt), asc(requests.id))
      .limit(1);
    const waiting = next && (await findRequest(tx, next.id));
    if (waiting) promoted.push(await changeStatus(tx, waiting, 'scheduled', 'system', 'promote', now, { note: 'The container came free.' }));
  }
  for (const request of promoted) {
    const researcher = await findUser(tx, request.researcherId);
    if (!researcher) continue;
    await queueMail(tx, {
      kind: 'waitlist-promoted',
      to: { email: researcher.email, name: researcher.name },
      data: { visitDate: request.visitDate, container: mailContainer(request), requestsUrl: pageLinks(ctx.publicUrl).requests },
    });
  }
}

/** Everyone who reviews restricted material (src/domain/duties.ts). */
export const reviewers = async (tx: Writer) => orAdmins(await activeUsersWithRole(tx, 'curator'), () => activeUsersWithRole(tx, 'admin'));

/** Everyone who pages boxes (src/domain/duties.ts). */
export const pagingStaff = async (tx: Writer) => orAdmins(await activeUsersWithRole(tx, 'staff'), () => activeUsersWithRole(tx, 'admin'));
