import { and, eq, inArray } from 'drizzle-orm';
import { containers, requestEvents, requests, type RequestStatus } from '../../db/schema.ts';
import type { UserRow } from '../accounts/users.ts';
import { closuresFrom } from '../calendar/store.ts';
import { dailyLimitRefusal, duplicateRefusal, visitDateRefusal } from '../domain/booking-rules.ts';
import { todayIn, type Clock, type IsoDate } from '../domain/calendar.ts';
import { activeStatuses, holdingStatuses } from '../domain/request-status.ts';
import { notFound, refused } from '../http/errors.ts';
import { queueMail } from '../mail/queue-mail.ts';
import { commit } from '../outbox/store.ts';
import { mailContainer, pageLinks } from './mail.ts';
import { reviewers, type RequestsContext } from './moves.ts';
import { findRequest, type RequestRow } from './store.ts';

export interface Submission {
  visitDate: IsoDate;
  containerIds: number[];
  note?: string | undefined;
}

/**
 * A researcher's request for containers on one visit date, all or nothing. The rules answer in
 * API.md's order; a restricted container waits for a curator, one held by another researcher
 * that day joins the waiting list, the rest are scheduled. The researcher gets one mail, with the
 * visit as a calendar entry; curators hear of restricted material.
 */
export function submitRequests(ctx: RequestsContext, researcher: UserRow, submission: Submission, clock: Clock): RequestRow[] {
  const { visitDate, containerIds } = submission;
  return commit(ctx.db, (tx) => {
    // Read once the write lock is held: requests waiting for the lock in other processes would
    // otherwise carry an earlier instant than requests committed before them.
    const now = clock();
    const today = todayIn(ctx.timezone, now);
    const dateRefusal = visitDateRefusal(visitDate, { today, closures: closuresFrom(tx, today), maxAdvanceDays: ctx.maxAdvanceDays });
    if (dateRefusal) throw refused(dateRefusal);

    const wanted = tx.select().from(containers).where(inArray(containers.id, containerIds)).all();
    const missing = containerIds.filter((id) => !wanted.some((c) => c.id === id));
    if (missing.length > 0) throw notFound(`There is no container ${missing.join(', ')}.`);

    const sameDay = tx
      .select({ containerId: requests.containerId, researcherId: requests.researcherId, status: requests.status })
      .from(requests)
      .where(and(eq(requests.visitDate, visitDate), inArray(requests.status, [...activeStatuses])))
      .all();
    const mine = sameDay.filter((r) => r.researcherId === researcher.id);
    const duplicates = wanted.filter((c) => mine.some((r) => r.containerId === c.id)).map((c) => c.label);
    const duplicate = duplicateRefusal(visitDate, duplicates);
    if (duplicate) throw refused(duplicate);
    const overLimit = dailyLimitRefusal(visitDate, mine.length, containerIds.length, ctx.dailyRequestLimit);
    if (overLimit) throw refused(overLimit);

    const held = new Set(sameDay.filter((r) => (holdingStatuses as readonly RequestStatus[]).includes(r.status)).map((r) => r.containerId));
    const created = containerIds.map((containerId) => {
      const container = wanted.find((c) => c.id === containerId);
      const status: RequestStatus = container?.restricted ? 'awaiting_approval' : held.has(containerId) ? 'waitlisted' : 'scheduled';
      const request = tx
        .insert(requests)
        .values({
          researcherId: researcher.id,
          containerId,
          visitDate,
          status,
          note: submission.note ?? null,
          waitlistedAt: status === 'waitlisted' ? now : null,
          createdAt: now,
          updatedAt: now,
        })
        .returning({ id: requests.id })
        .get();
      tx.insert(requestEvents)
        .values({ requestId: request.id, at: now, actorId: researcher.id, actorRole: researcher.role, fromStatus: null, toStatus: status, note: submission.note ?? null })
        .run();
      return findRequest(tx, request.id) as RequestRow;
    });

    const links = pageLinks(ctx.publicUrl);
    queueMail(tx, {
      kind: 'requests-submitted',
      to: { email: researcher.email, name: researcher.name },
      data: { visitDate, containers: created.map(mailContainer), requestsUrl: links.requests },
    });
    const restricted = created.filter((r) => r.status === 'awaiting_approval');
    if (restricted.length > 0) {
      queueMail(
        tx,
        ...reviewers(tx).map((curator) => ({
          kind: 'restricted-review' as const,
          to: { email: curator.email, name: curator.name },
          data: {
            visitDate,
            researcher: { name: researcher.name, affiliation: researcher.affiliation, researchTopic: researcher.researchTopic },
            containers: restricted.map(mailContainer),
            reviewUrl: links.review,
          },
        })),
      );
    }
    return created;
  });
}
