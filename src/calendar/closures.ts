import { and, eq, inArray } from 'drizzle-orm';
import { closures, requests } from '../../db/schema.ts';
import type { UserRow } from '../accounts/users.ts';
import type { IsoDate } from '../domain/calendar.ts';
import { cancelledByClosure, closureRefusal } from '../domain/closures.ts';
import { activeStatuses, outStatuses } from '../domain/request-status.ts';
import { notFound } from '../domain/refusal.ts';
import { queueMail } from '../mail/queue-mail.ts';
import { commit } from '../../db/transactions.ts';
import { pageLinks } from '../links.ts';
import { mailContainer } from '../requests/mail.ts';
import type { RequestsContext } from '../requests/moves.ts';
import { changeStatus } from '../requests/status-door.ts';
import { requestsOn } from '../requests/store.ts';
import { findUser } from '../accounts/users.ts';

/**
 * Closes the reading room on a day. A day with active requests needs `force`, which cancels them
 * and tells each researcher; a day with material still out cannot be closed at all.
 */
export function closeDay(ctx: RequestsContext, date: IsoDate, reason: string, force: boolean, admin: UserRow, now: Date): number {
  return commit(ctx.db, (tx) => {
    const refusal = closureRefusal({
      date,
      alreadyClosed: tx.select().from(closures).where(eq(closures.date, date)).get() !== undefined,
      out: requestsOn(tx, date, outStatuses).length,
      active: tx
        .select({ id: requests.id })
        .from(requests)
        .where(and(eq(requests.visitDate, date), inArray(requests.status, [...activeStatuses])))
        .all().length,
      force,
    });
    if (refusal) throw refusal;
    tx.insert(closures).values({ date, reason, createdAt: now }).run();

    const cancelled = requestsOn(tx, date, cancelledByClosure).map((row) =>
      changeStatus(tx, row, 'cancelled', admin, 'cancel', now, { note: `The reading room is closed: ${reason}` }),
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
