import { and, eq, inArray } from 'drizzle-orm';
import { closures, requests } from '../../db/schema.ts';
import type { UserRow } from '../accounts/users.ts';
import type { IsoDate } from '../domain/calendar.ts';
import { activeStatuses } from '../domain/request-status.ts';
import { ApiError, notFound } from '../http/errors.ts';
import { queueMail } from '../mail/queue-mail.ts';
import { commit } from '../outbox/store.ts';
import { mailContainer, pageLinks } from '../requests/mail.ts';
import { move, type RequestsContext } from '../requests/moves.ts';
import { requestsOn } from '../requests/store.ts';
import { findUser } from '../accounts/users.ts';

/** Material still with a researcher or at the desk: a day with any of it cannot be closed. */
const OUT = ['delivered', 'returned'] as const;
/** What a forced closure cancels. */
const CANCELLED_BY_CLOSURE = ['awaiting_approval', 'waitlisted', 'scheduled', 'paged'] as const;

/**
 * Closes the reading room on a day. A day with active requests needs `force`, which cancels them
 * and tells each researcher; a day with material still out cannot be closed at all.
 */
export function closeDay(ctx: RequestsContext, date: IsoDate, reason: string, force: boolean, admin: UserRow, now: Date): number {
  return commit(ctx.db, (tx) => {
    if (tx.select().from(closures).where(eq(closures.date, date)).get()) {
      throw new ApiError(409, 'CLOSURE_EXISTS', `The reading room is already closed on ${date}.`);
    }
    const out = requestsOn(tx, date, OUT);
    if (out.length > 0) {
      throw new ApiError(409, 'CLOSURE_HAS_REQUESTS', `${out.length} container(s) are still out on ${date}; they must be reshelved before the day can be closed.`);
    }
    const active = tx
      .select({ id: requests.id })
      .from(requests)
      .where(and(eq(requests.visitDate, date), inArray(requests.status, [...activeStatuses])))
      .all();
    if (active.length > 0 && !force) {
      throw new ApiError(409, 'CLOSURE_HAS_REQUESTS', `${active.length} active request(s) are booked for ${date}; close it with "force": true to cancel them and tell their researchers.`);
    }
    tx.insert(closures).values({ date, reason, createdAt: now }).run();

    const cancelled = requestsOn(tx, date, CANCELLED_BY_CLOSURE).map((row) =>
      move(tx, row, 'cancelled', { user: admin, as: 'staff' }, now, { note: `The reading room is closed: ${reason}` }),
    );
    for (const researcherId of new Set(cancelled.map((r) => r.researcherId))) {
      const researcher = findUser(tx, researcherId);
      if (!researcher) continue;
      queueMail(tx, {
        kind: 'request-cancelled',
        to: { email: researcher.email, name: researcher.name },
        data: {
          visitDate: date,
          containers: cancelled.filter((r) => r.researcherId === researcherId).map(mailContainer),
          reason: `The reading room will be closed on that day (${reason}).`,
          requestsUrl: pageLinks(ctx.publicUrl).requests,
        },
      });
    }
    return cancelled.length;
  });
}

/** Opens a closed day again. */
export function reopenDay(ctx: RequestsContext, date: IsoDate): void {
  commit(ctx.db, (tx) => {
    const removed = tx.delete(closures).where(eq(closures.date, date)).run();
    if (removed.changes === 0) throw notFound(`The reading room is not closed on ${date}.`);
  });
}
