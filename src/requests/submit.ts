import { and, eq, inArray, ne, sql } from 'drizzle-orm';
import { prepared } from '../caches.ts';
import { requests } from '../../db/schema.ts';
import type { UserRow } from '../accounts/users.ts';
import { closuresBetween, closuresFrom } from '../calendar/store.ts';
import { dailyLimitRefusal, duplicateRefusal, visitDateRefusal, withdrawnRefusal } from '../domain/booking-rules.ts';
import { wantedContainers, type WantedComponent } from '../domain/wanted-containers.ts';
import { wantedComponents } from '../finding-aids/wanted.ts';
import { bookingHorizon, earliestVisitDate, todayIn, type Clock, type IsoDate } from '../domain/calendar.ts';
import { activeStatuses, initialStatus, isHolding } from '../domain/request-status.ts';
import { notFound } from '../domain/refusal.ts';
import { restrictedOn } from '../domain/restrictions.ts';
import { queueMail } from '../mail/queue-mail.ts';
import { commit, commitTogether, type Writer } from '../../db/transactions.ts';
import { mailContainer } from './mail.ts';
import { pageLinks } from '../links.ts';
import { reviewers, type RequestsContext } from './moves.ts';
import { recordNewRequest } from './status-door.ts';
import { containerDetails, listComponents, writtenRequest, type RequestRow } from './store.ts';

export interface Submission {
  visitDate: IsoDate;
  containerIds?: number[] | undefined;
  /** Folders and series: each stands for the containers it is in (src/domain/wanted-containers.ts). */
  componentIds?: number[] | undefined;
  note?: string | undefined;
  /** Why the original of a restricted container with a surrogate is needed, for the curator. */
  originalReason?: string | undefined;
}

/**
 * A researcher's request for containers on one visit date, all or nothing. The rules answer in
 * docs/requests.md's order; a restricted container waits for a curator, one held by another researcher
 * that day joins the waiting list, the rest are scheduled. The researcher gets one mail, with the
 * visit as a calendar entry; curators hear of restricted material.
 */
export function submitRequests(ctx: RequestsContext, researcher: UserRow, submission: Submission, clock: Clock): RequestRow[] {
  return commit(ctx.db, submissionWork(ctx, researcher, submission, clock));
}

/** The same, committed with the other writes of this turn of the event loop (group commit). */
export function submitRequestsTogether(ctx: RequestsContext, researcher: UserRow, submission: Submission, clock: Clock): Promise<RequestRow[]> {
  return commitTogether(ctx.db, submissionWork(ctx, researcher, submission, clock));
}

const activeThatDay = and(eq(requests.visitDate, sql.placeholder('visitDate')), inArray(requests.status, [...activeStatuses]));
const sameDayColumns = { containerId: requests.containerId, researcherId: requests.researcherId, status: requests.status };

function submissionWork(ctx: RequestsContext, researcher: UserRow, submission: Submission, clock: Clock) {
  const { visitDate } = submission;
  return (tx: Writer): RequestRow[] => {
    // Read once the write lock is held: requests waiting for the lock in other processes would
    // otherwise carry an earlier instant than requests committed before them.
    const now = clock();
    const today = todayIn(ctx.timezone, now);
    // The rules look at days up to the booking horizon, and past it only when the earliest visit
    // date itself lies beyond it: then (rarely) every closure ahead is read.
    const horizon = bookingHorizon(today, ctx.maxAdvanceDays);
    let closures = closuresBetween(tx, today, horizon);
    if (earliestVisitDate(today, closures) > horizon) closures = closuresFrom(tx, today);
    const dateRefusal = visitDateRefusal(visitDate, { today, closures, maxAdvanceDays: ctx.maxAdvanceDays });
    if (dateRefusal) throw dateRefusal;

    // The wanted containers (by id, as they were read from the table), from the connection's
    // cache of containers, kept while the catalogue is unchanged; the components asked for stand
    // for their containers, merged with those asked for by id.
    const askedIds = submission.containerIds ?? [];
    const componentIds = submission.componentIds ?? [];
    const components = componentIds.length > 0 ? wantedComponents(tx, componentIds) : new Map<number, WantedComponent>();
    const askedKnown = containerDetails(tx, askedIds);
    const missing = [...askedIds.filter((id) => !askedKnown.has(id)).map((id) => `container ${id}`), ...componentIds.filter((id) => !components.has(id)).map((id) => `component ${id}`)];
    if (missing.length > 0) throw notFound(`There is no ${missing.join(', ')}.`);
    const { containerIds, componentsIn } = wantedContainers(askedIds, [...components.values()]);
    // The ids also go to the queries as one JSON parameter.
    const ids = JSON.stringify(containerIds);
    const known = containerDetails(tx, containerIds);
    const wanted = [...containerIds]
      .sort((a, b) => a - b)
      .map((id) => {
        const c = known.get(id)!;
        return { id, label: c.containerLabel, restricted: restrictedOn({ restricted: c.restricted, until: c.restrictedUntil }, visitDate), withdrawn: c.withdrawn };
      });
    const withdrawn = withdrawnRefusal(wanted.filter((c) => c.withdrawn).map((c) => c.label));
    if (withdrawn) throw withdrawn;

    // Only what the rules need, whatever the day's load: this researcher's active requests that
    // day, and other researchers' active requests that day for the wanted containers, each part
    // read through its own index (one query with `or` scanned the whole day's requests instead),
    // in one statement.
    const sameDay = prepared(tx, 'submit.sameDay', () =>
      tx
        .select(sameDayColumns)
        .from(requests)
        .where(and(eq(requests.researcherId, sql.placeholder('researcherId')), activeThatDay))
        .unionAll(
          tx
            .select(sameDayColumns)
            // The wanted ids drive the join (CROSS JOIN keeps that order): one index probe each.
            .from(sql`json_each(${sql.placeholder('ids')}) as wanted`)
            .crossJoin(requests)
            .where(and(eq(requests.containerId, sql`wanted.value`), activeThatDay, ne(requests.researcherId, sql.placeholder('researcherId')))),
        )
        .prepare(),
    ).all({ visitDate, researcherId: researcher.id, ids });
    const mine = sameDay.filter((r) => r.researcherId === researcher.id);
    const duplicates = wanted.filter((c) => mine.some((r) => r.containerId === c.id)).map((c) => c.label);
    const duplicate = duplicateRefusal(visitDate, duplicates);
    if (duplicate) throw duplicate;
    const overLimit = dailyLimitRefusal(visitDate, mine.length, containerIds.length, ctx.dailyRequestLimit);
    if (overLimit) throw overLimit;

    const held = new Set(sameDay.filter((r) => isHolding(r.status)).map((r) => r.containerId));
    const created = containerIds.map((containerId) => {
      // Every wanted id is known by now (an unknown one was refused above).
      const status = initialStatus({ restricted: wanted.find((c) => c.id === containerId)?.restricted === true }, held.has(containerId));
      const request = {
        researcherId: researcher.id,
        containerId,
        visitDate,
        note: submission.note ?? null,
        // The curator reads it beside a restricted original's surrogate.
        originalReason: status === 'awaiting_approval' ? (submission.originalReason ?? null) : null,
      };
      const made = recordNewRequest(tx, request, status, researcher, now);
      listComponents(tx, made.id, componentsIn.get(containerId) ?? []);
      return writtenRequest(tx, made);
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
  };
}
