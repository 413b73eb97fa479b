import { and, eq, isNull, or } from 'drizzle-orm';
import { closures } from '../../db/tables.ts';
import type { UserRow } from '../accounts/users.ts';
import type { IsoDate } from '../domain/calendar.ts';
import { cancelledByClosure, closureRefusal } from '../domain/closures.ts';
import { notFound } from '../domain/refusal.ts';
import { queueMail } from '../mail/queue-mail.ts';
import { commit, type Writer } from '../../db/transactions.ts';
import { findRoom } from '../reading-rooms/store.ts';
import { pageLinks } from '../links.ts';
import { mailContainer } from '../requests/mail.ts';
import type { RequestsContext } from '../requests/moves.ts';
import { changeStatus } from '../requests/status-door.ts';
import { requestsOn, requestsOutOn, type RequestRow } from '../requests/store.ts';
import { findUser } from '../accounts/users.ts';
import { endClassSession } from '../class-sessions/book.ts';
import { classSessionsOn } from '../class-sessions/store.ts';

export interface DayClosing {
  date: IsoDate;
  reason: string;
  force: boolean;
  /** Null: every room. */
  readingRoomId: number | null;
}

/** Whether a room (or, for null, every room) is closed on a day already. */
async function closedAlready(tx: Writer, date: IsoDate, roomId: number | null): Promise<boolean> {
  const [found] = await tx
    .select({ id: closures.id })
    .from(closures)
    .where(and(eq(closures.date, date), roomId === null ? isNull(closures.readingRoomId) : or(isNull(closures.readingRoomId), eq(closures.readingRoomId, roomId))))
    .limit(1);
  return found !== undefined;
}

/**
 * Closes a reading room (or every room) on a day. A day with requests booked needs `force`, which
 * cancels them (and the day's class sessions) and tells each researcher and instructor; a day with
 * material still out cannot be closed at all.
 * Holds are left alone: the closed day is no longer a business day of theirs.
 */
export function closeDay(ctx: RequestsContext, { date, reason, force, readingRoomId }: DayClosing, admin: UserRow, now: Date): Promise<number> {
  return commit(ctx.db, async (tx) => {
    if (readingRoomId !== null && !(await findRoom(tx, readingRoomId))) throw notFound(`There is no reading room ${readingRoomId}.`);
    const refusal = closureRefusal({
      date,
      alreadyClosed: await closedAlready(tx, date, readingRoomId),
      out: (await requestsOutOn(tx, date, readingRoomId ?? undefined)).length,
      active: (await requestsOn(tx, date, cancelledByClosure, readingRoomId)).length,
      force,
    });
    if (refusal) throw refusal;
    await tx.insert(closures).values({ date, reason, readingRoomId, createdAt: now });

    const cancelled: RequestRow[] = [];
    for (const row of await requestsOn(tx, date, cancelledByClosure, readingRoomId)) {
      cancelled.push(await changeStatus(tx, row, 'cancelled', admin, 'cancel', now, { note: `The reading room is closed: ${reason}` }));
    }
    for (const researcherId of new Set(cancelled.flatMap((r) => (r.researcherId === null ? [] : [r.researcherId])))) {
      const researcher = await findUser(tx, researcherId);
      if (!researcher) continue;
      await queueMail(tx, {
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
    // A class session that day is cancelled with its boxes, and its instructor told.
    for (const session of await classSessionsOn(tx, date, readingRoomId)) await endClassSession(ctx, tx, session, admin, now, `The reading room will be closed on that day (${reason}).`);
    return cancelled.length;
  });
}

/** Opens a closed day again: a room's own closure, or (null) the closure of every room. */
export async function reopenDay(ctx: RequestsContext, date: IsoDate, readingRoomId: number | null): Promise<void> {
  await commit(ctx.db, async (tx) => {
    const removed = await tx
      .delete(closures)
      .where(and(eq(closures.date, date), readingRoomId === null ? isNull(closures.readingRoomId) : eq(closures.readingRoomId, readingRoomId)))
      .returning({ id: closures.id });
    if (removed.length === 0) throw notFound(`The reading room is not closed on ${date}${readingRoomId === null ? '' : ` (reading room ${readingRoomId})`}.`);
  });
}
