import { and, eq, inArray, sql } from 'drizzle-orm';
import { prepared, takeTurnsOn } from '../../db/statements.ts';
import { requests } from '../../db/tables.ts';
import type { UserRow } from '../accounts/users.ts';
import { roomDay } from '../calendar/store.ts';
import { appointmentFor } from '../appointments/seats.ts';
import type { AppointmentRow } from '../appointments/store.ts';
import { roomOfCollection, roomOrFirst } from '../reading-rooms/store.ts';
import { holdersOn } from './holders.ts';
import { leadTimeOf, type RoomDay } from '../domain/reading-rooms.ts';
import { dailyLimitRefusal, duplicateRefusal, visitDateRefusal, withdrawnRefusal } from '../domain/booking-rules.ts';
import { wantedContainers, type WantedComponent } from '../domain/wanted-containers.ts';
import { wantedComponents } from '../finding-aids/wanted.ts';
import type { Clock, IsoDate } from '../domain/calendar.ts';
import { activeStatuses, initialStatus } from '../domain/request-status.ts';
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
 * Who makes a submission: the researcher, or a member of staff on their behalf (a phone or e-mail
 * request), who may override the lead time; the events name the staff member.
 */
export interface Submitter {
  researcher: UserRow;
  staff?: UserRow | undefined;
  overrideLeadTime?: boolean | undefined;
}

/**
 * A researcher's request for containers on one visit date, all or nothing. The rules answer in
 * docs/requests.md's order; a restricted container waits for a curator, one held by another researcher
 * that day joins the waiting list, the rest are scheduled. The researcher gets one mail, with the
 * visit as a calendar entry; curators hear of restricted material.
 */
export function submitRequests(ctx: RequestsContext, submitter: Submitter, submission: Submission, clock: Clock): Promise<RequestRow[]> {
  return commit(ctx.db, submissionWork(ctx, submitter, submission, clock));
}

/** The same, committed with the other writes of this turn of the event loop (group commit). */
export function submitRequestsTogether(ctx: RequestsContext, submitter: Submitter, submission: Submission, clock: Clock): Promise<RequestRow[]> {
  return commitTogether(ctx.db, submissionWork(ctx, submitter, submission, clock));
}

const mineThatDay = (tx: Writer) =>
  prepared(tx, 'submit.mineThatDay', () =>
    tx
      .select({ containerId: requests.containerId, readingRoomId: requests.readingRoomId })
      .from(requests)
      .where(and(eq(requests.researcherId, sql.placeholder('researcherId')), eq(requests.visitDate, sql.placeholder('visitDate')), inArray(requests.status, [...activeStatuses]))),
  );

/**
 * A submission's work inside a transaction, for an operation that commits it with writes of its
 * own: a saved list's submission removes the submitted items in the same transaction
 * (src/saved/list.ts). The rules are these, for every way of requesting.
 */
export function submissionWork(ctx: RequestsContext, { researcher, staff, overrideLeadTime = false }: Submitter, submission: Submission, clock: Clock) {
  const { visitDate } = submission;
  // Staff on the researcher's behalf: the events name them, and say when they overrode the lead time.
  const onBehalf = staff && `Requested by ${staff.name} on the researcher's behalf${overrideLeadTime ? ', overriding the lead time' : ''}.`;
  const eventNote = [onBehalf, submission.note].filter(Boolean).join(' ') || null;
  return async (tx: Writer): Promise<RequestRow[]> => {
    // SQLite: read once the write lock is held, so requests waiting for the lock in other
    // processes do not carry an earlier instant than requests committed before them. (PostgreSQL
    // takes turns later, on the boxes: see `decidedAt`.)
    const now = clock();

    // The wanted containers (by id, as they were read from the table), from the connection's
    // cache of containers, kept while the catalogue is unchanged; the components asked for stand
    // for their containers, merged with those asked for by id.
    const askedIds = submission.containerIds ?? [];
    const componentIds = submission.componentIds ?? [];
    const components = componentIds.length > 0 ? await wantedComponents(tx, componentIds) : new Map<number, WantedComponent>();
    const askedKnown = await containerDetails(tx, askedIds);

    // The visit date answers first, by the rules of each room the material asked for is read in
    // (the first room's when none of it is known), rooms in the order they were made.
    const roomIds = new Set(askedIds.filter((id) => askedKnown.has(id)).map((id) => askedKnown.get(id)!.readingRoomId));
    for (const component of components.values()) roomIds.add(await roomOfCollection(tx, component.collectionId));
    const days = new Map<number, RoomDay>();
    for (const id of roomIds.size > 0 ? [...roomIds].sort((a, b) => a - b) : [undefined]) {
      const day = await roomDay(tx, await roomOrFirst(tx, id), now);
      days.set(day.room.id, day);
    }
    for (const day of days.values()) {
      const leadBusinessDays = leadTimeOf(day.room, overrideLeadTime);
      const dateRefusal = visitDateRefusal(visitDate, { today: day.today, closures: day.closures, maxAdvanceDays: day.room.maxAdvanceDays, leadBusinessDays });
      if (dateRefusal) throw dateRefusal;
    }

    const missing = [...askedIds.filter((id) => !askedKnown.has(id)).map((id) => `container ${id}`), ...componentIds.filter((id) => !components.has(id)).map((id) => `component ${id}`)];
    if (missing.length > 0) throw notFound(`There is no ${missing.join(', ')}.`);
    const { containerIds, componentsIn } = wantedContainers(askedIds, [...components.values()]);
    const known = await containerDetails(tx, containerIds);
    const wanted = containerIds.map((id) => {
      const c = known.get(id)!;
      return { id, label: c.containerLabel, roomId: c.readingRoomId, restricted: restrictedOn({ restricted: c.restricted, until: c.restrictedUntil }, visitDate), withdrawn: c.withdrawn };
    });
    // Refusals name the boxes in the order of their ids, as they always have.
    const byId = [...wanted].sort((a, b) => a.id - b.id);
    const withdrawn = withdrawnRefusal(byId.filter((c) => c.withdrawn).map((c) => c.label));
    if (withdrawn) throw withdrawn;

    // This researcher's active requests that day; then, in each room, its own daily limit. On
    // PostgreSQL one researcher's submissions take turns here, or two at once would each count
    // the requests before the other's.
    await takeTurnsOn(tx, 'users', [researcher.id]);
    const mine = await mineThatDay(tx).rows({ researcherId: researcher.id, visitDate });
    const duplicate = duplicateRefusal(visitDate, byId.filter((c) => mine.some((r) => r.containerId === c.id)).map((c) => c.label));
    if (duplicate) throw duplicate;
    for (const day of days.values()) {
      const inRoom = (roomId: number) => roomId === day.room.id;
      const overLimit = dailyLimitRefusal(visitDate, mine.filter((r) => inRoom(r.readingRoomId)).length, wanted.filter((c) => inRoom(c.roomId)).length, day.room.dailyItemLimit);
      if (overLimit) throw overLimit;
    }
    // A seat in each room: the researcher's appointment there that day, or a new one (the last rule to answer).
    const appointments = new Map<number, AppointmentRow>();
    for (const day of days.values()) appointments.set(day.room.id, await appointmentFor(tx, day, researcher, visitDate, now));

    const held = await holdersOn(tx, containerIds, visitDate);
    // The requests' instant (when each entered its status: the waiting list's order) is read once
    // the boxes are this transaction's, as holdersOn leaves them on PostgreSQL: a request that
    // waited for a box then does not carry an earlier instant than the one decided before it.
    const decidedAt = clock();
    const created: RequestRow[] = [];
    for (const { id: containerId, roomId, restricted } of wanted) {
      const status = initialStatus({ restricted }, held.has(containerId));
      const request = {
        researcherId: researcher.id,
        classSessionId: null,
        containerId,
        visitDate,
        readingRoomId: roomId,
        appointmentId: appointments.get(roomId)!.id,
        note: submission.note ?? null,
        // The curator reads it beside a restricted original's surrogate.
        originalReason: status === 'awaiting_approval' ? (submission.originalReason ?? null) : null,
      };
      const made = await recordNewRequest(tx, request, status, staff ?? researcher, decidedAt, eventNote);
      await listComponents(tx, made.id, componentsIn.get(containerId) ?? []);
      created.push(await writtenRequest(tx, made));
    }

    const links = pageLinks(ctx.publicUrl);
    await queueMail(tx, {
      kind: 'requests-submitted',
      to: { email: researcher.email, name: researcher.name },
      data: { visitDate, containers: created.map(mailContainer), requestsUrl: links.requests },
    });
    const restricted = created.filter((r) => r.status === 'awaiting_approval');
    if (restricted.length > 0) {
      await queueMail(
        tx,
        ...(await reviewers(tx)).map((curator) => ({
          kind: 'restricted-review' as const,
          to: { email: curator.email, name: curator.name },
          data: {
            visitDate,
            researcher: { name: researcher.name, affiliation: researcher.affiliation, researchTopic: researcher.researchTopic },
            classSession: null,
            containers: restricted.map(mailContainer),
            reviewUrl: links.review,
          },
        })),
      );
    }
    return created;
  };
}
