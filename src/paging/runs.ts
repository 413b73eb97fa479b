import { scheduledRuns, type RequestStatus } from '../../db/schema.ts';
import { findUser } from '../accounts/users.ts';
import { closuresFrom } from '../calendar/store.ts';
import { isBusinessDay, nextBusinessDay, todayIn, type IsoDate } from '../domain/calendar.ts';
import { queueMail } from '../mail/queue-mail.ts';
import { commit, type Writer } from '../../db/transactions.ts';
import { pageLinks } from '../links.ts';
import { mailContainer } from '../requests/mail.ts';
import { pagingStaff, type RequestsContext } from '../requests/moves.ts';
import { changeBySystem } from '../requests/status-door.ts';
import { requestsOn, type RequestRow } from '../requests/store.ts';
import { boxesOut, pickList } from './pick-list.ts';
import { bookedStatuses, pickListStatuses, unresolvedStatuses } from '../domain/request-status.ts';

// The reading room's timed work, run by the `paging` and `maintenance` workers at the times of
// the configuration. Each is done once: a repeated run finds its key and does nothing new.

/** Marks a run done; false when it already was. */
function firstRun(tx: Writer, key: string, now: Date): boolean {
  return tx.insert(scheduledRuns).values({ key, at: now }).onConflictDoNothing().run().changes === 1;
}

/** Today's date and whether the reading room is open on it. */
function readingRoomDay(ctx: RequestsContext, tx: Writer, now: Date) {
  const today = todayIn(ctx.timezone, now);
  const closures = closuresFrom(tx, today);
  return { today, closures, open: isBusinessDay(today, closures) };
}

/** A request a system job left alone because the status machine refused the change it meant to make. */
export interface SkippedRequest {
  requestId: number;
  status: RequestStatus;
  why: string;
}

export type RunOutcome = { done: false; why: string } | { done: true; date: IsoDate; count: number; skipped?: SkippedRequest[] };

/**
 * A paging run at one of the pull times of a business day: the next business day's scheduled
 * requests, in walking order, mailed to every member of staff.
 */
export function pagingRun(ctx: RequestsContext, pullTime: string, now: Date): RunOutcome {
  return commit(ctx.db, (tx) => {
    const { today, closures, open } = readingRoomDay(ctx, tx, now);
    if (!open) return { done: false, why: `${today} is not a business day` };
    if (!firstRun(tx, `paging-run:${today}T${pullTime}`, now)) return { done: false, why: 'already run' };
    const visitDate = nextBusinessDay(today, closures);
    const items = pickList(tx, visitDate).filter((item) => item.status === 'scheduled');
    if (items.length === 0) return { done: true, date: visitDate, count: 0 };
    queueMail(
      tx,
      ...pagingStaff(tx).map((member) => ({
        kind: 'paging-run' as const,
        to: { email: member.email, name: member.name },
        data: { visitDate, items: items, pickListUrl: pageLinks(ctx.publicUrl).pickList(visitDate) },
      })),
    );
    return { done: true, date: visitDate, count: items.length };
  });
}

/** On a business day, each researcher visiting on the next one is reminded, once. */
export function visitReminders(ctx: RequestsContext, now: Date): RunOutcome {
  return commit(ctx.db, (tx) => {
    const { today, closures, open } = readingRoomDay(ctx, tx, now);
    if (!open) return { done: false, why: `${today} is not a business day` };
    const visitDate = nextBusinessDay(today, closures);
    if (!firstRun(tx, `visit-reminders:${visitDate}`, now)) return { done: false, why: 'already run' };
    const coming = requestsOn(tx, visitDate, bookedStatuses);
    const researchers = [...new Set(coming.map((r) => r.researcherId))];
    for (const researcherId of researchers) {
      const researcher = findUser(tx, researcherId);
      if (!researcher || researcher.disabledAt) continue;
      queueMail(tx, {
        kind: 'visit-reminder',
        to: { email: researcher.email, name: researcher.name },
        data: { visitDate, containers: coming.filter((r) => r.researcherId === researcherId).map(mailContainer), requestsUrl: pageLinks(ctx.publicUrl).requests },
      });
    }
    return { done: true, date: visitDate, count: researchers.length };
  });
}

const NEVER_APPROVED = 'A curator did not approve it before the end of the day of the visit.';
const NEVER_FREED = 'The container did not come free before the end of the day of the visit.';

/**
 * Closing time: the day's undelivered boxes are no-shows; requests never approved or never freed
 * are cancelled and their researchers told why; staff get the list of boxes still out.
 */
export function closingTime(ctx: RequestsContext, now: Date): RunOutcome {
  return commit(ctx.db, (tx) => {
    const { today } = readingRoomDay(ctx, tx, now);
    const skipped: SkippedRequest[] = [];
    const skip = (row: RequestRow, refusal: Error) => skipped.push({ requestId: row.id, status: row.status, why: refusal.message });
    for (const row of requestsOn(tx, today, pickListStatuses)) {
      changeBySystem(tx, row, 'no_show', 'transition', now, { note: 'Not collected by closing time.' }, skip);
    }

    const unresolved = requestsOn(tx, today, unresolvedStatuses).flatMap((row) => {
      const reason = row.status === 'awaiting_approval' ? NEVER_APPROVED : NEVER_FREED;
      const cancelled = changeBySystem(tx, row, 'cancelled', 'cancel', now, { note: reason }, skip);
      return cancelled ? [{ reason, cancelled }] : [];
    });
    for (const researcherId of new Set(unresolved.map((u) => u.cancelled.researcherId))) {
      const researcher = findUser(tx, researcherId);
      if (!researcher) continue;
      const theirs = unresolved.filter((u) => u.cancelled.researcherId === researcherId);
      queueMail(tx, {
        kind: 'request-cancelled',
        to: { email: researcher.email, name: researcher.name },
        data: {
          visitDate: today,
          containers: theirs.map((u) => mailContainer(u.cancelled)),
          reason: [...new Set(theirs.map((u) => u.reason))].join(' '),
          requestsUrl: pageLinks(ctx.publicUrl).requests,
        },
      });
    }

    const out = boxesOut(tx, today);
    if (out.length > 0 && firstRun(tx, `closing-time:${today}`, now)) {
      queueMail(
        tx,
        ...pagingStaff(tx).map((member) => ({
          kind: 'closing-time' as const,
          to: { email: member.email, name: member.name },
          data: { date: today, items: out },
        })),
      );
    }
    return { done: true, date: today, count: unresolved.length, ...(skipped.length > 0 ? { skipped } : {}) };
  });
}
