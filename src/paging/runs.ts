import { and, eq } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { appointments, scheduledRuns, type RequestStatus } from '../../db/tables.ts';
import { findUser } from '../accounts/users.ts';
import { closuresFrom } from '../calendar/store.ts';
import { isBusinessDay, nextBusinessDay, todayIn, type IsoDate } from '../domain/calendar.ts';
import type { ReadingRoom } from '../domain/reading-rooms.ts';
import { queueMail } from '../mail/queue-mail.ts';
import { commit, type Writer } from '../../db/transactions.ts';
import { pageLinks } from '../links.ts';
import { allRooms } from '../reading-rooms/store.ts';
import { mailContainer } from '../requests/mail.ts';
import { pagingStaff, type RequestsContext } from '../requests/moves.ts';
import { changeBySystem } from '../requests/status-door.ts';
import { holdsEndingBy, requestsOn, type RequestRow } from '../requests/store.ts';
import { boxesOut, pickList } from './pick-list.ts';
import { bookedStatuses, pickListStatuses, unresolvedStatuses } from '../domain/request-status.ts';

// Each reading room's timed work, at the times of its own settings and in its own time zone: the
// paging runs, the visit reminders and closing time. Each is done once: a repeated run finds its
// key and does nothing new. `roomClock` runs what is due; the `paging` worker asks it every minute.

/** Marks a run done; false when it already was. */
async function firstRun(tx: Writer, key: string, now: Date): Promise<boolean> {
  return (await tx.insert(scheduledRuns).values({ key, at: now }).onConflictDoNothing().returning({ key: scheduledRuns.key })).length === 1;
}

/** The room's date at `now` and whether it is open on it. */
async function roomToday(tx: Writer, room: ReadingRoom, now: Date) {
  const today = todayIn(room.timezone, now);
  const closures = await closuresFrom(tx, room.id, today);
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
 * A paging run at one of the room's pull times on a business day: the next business day's
 * scheduled requests in that room, in walking order, mailed to every member of staff.
 */
export function pagingRun(ctx: RequestsContext, room: ReadingRoom, pullTime: string, now: Date): Promise<RunOutcome> {
  return commit(ctx.db, async (tx) => {
    const { today, closures, open } = await roomToday(tx, room, now);
    if (!open) return { done: false, why: `${today} is not a business day in ${room.name}` };
    if (!(await firstRun(tx, runKeys.paging(room, today, pullTime), now))) return { done: false, why: 'already run' };
    const visitDate = nextBusinessDay(today, closures);
    const items = (await pickList(tx, visitDate, room.id)).filter((item) => item.status === 'scheduled');
    if (items.length === 0) return { done: true, date: visitDate, count: 0 };
    await queueMail(
      tx,
      ...(await pagingStaff(tx)).map((member) => ({
        kind: 'paging-run' as const,
        to: { email: member.email, name: member.name },
        data: { visitDate, items, pickListUrl: pageLinks(ctx.publicUrl).pickList(visitDate) },
      })),
    );
    return { done: true, date: visitDate, count: items.length };
  });
}

/**
 * On a business day, each researcher visiting the room on the next one is reminded, once; each
 * whose hold ends on it is told so.
 */
export function visitReminders(ctx: RequestsContext, room: ReadingRoom, now: Date): Promise<RunOutcome> {
  return commit(ctx.db, async (tx) => {
    const { today, closures, open } = await roomToday(tx, room, now);
    if (!open) return { done: false, why: `${today} is not a business day in ${room.name}` };
    const visitDate = nextBusinessDay(today, closures);
    if (!(await firstRun(tx, runKeys.reminders(room, visitDate), now))) return { done: false, why: 'already run' };
    const coming = await requestsOn(tx, visitDate, bookedStatuses, room.id);
    const researchers = byResearcher(coming);
    const links = pageLinks(ctx.publicUrl);
    for (const [researcherId, theirs] of researchers) {
      const researcher = await findUser(tx, researcherId);
      if (!researcher || researcher.disabledAt) continue;
      await queueMail(tx, {
        kind: 'visit-reminder',
        to: { email: researcher.email, name: researcher.name },
        data: { visitDate, containers: theirs.map(mailContainer), requestsUrl: links.requests },
      });
    }
    const ending = await holdsEndingBy(tx, visitDate, room.id);
    for (const [researcherId, theirs] of byResearcher(ending)) {
      const researcher = await findUser(tx, researcherId);
      if (!researcher || researcher.disabledAt) continue;
      await queueMail(tx, {
        kind: 'hold-ending',
        to: { email: researcher.email, name: researcher.name },
        data: { containers: theirs.map(mailContainer), holdUntil: visitDate, requestsUrl: links.requests },
      });
    }
    return { done: true, date: visitDate, count: researchers.size };
  });
}

/** Researchers' requests by researcher (a class session's have none, and no researcher to tell). */
function byResearcher(rows: RequestRow[]): Map<number, RequestRow[]> {
  const grouped = new Map<number, RequestRow[]>();
  for (const row of rows) if (row.researcherId !== null) grouped.set(row.researcherId, [...(grouped.get(row.researcherId) ?? []), row]);
  return grouped;
}

const NEVER_APPROVED = 'A curator did not approve it before the end of the day of the visit.';
const NEVER_FREED = 'The container did not come free before the end of the day of the visit.';

/**
 * Closing time in a room: the day's undelivered boxes are no-shows, and so are the appointments
 * nobody checked in to; requests never approved or never freed are cancelled and their
 * researchers told why; holds ending today go back to the stacks and their researchers are told;
 * staff get the list of boxes still out.
 */
export function closingTime(ctx: RequestsContext, room: ReadingRoom, now: Date): Promise<RunOutcome> {
  return commit(ctx.db, (tx) => closingWork(ctx, tx, room, now));
}

async function closingWork(ctx: RequestsContext, tx: Writer, room: ReadingRoom, now: Date): Promise<RunOutcome> {
  const { today } = await roomToday(tx, room, now);
  const skipped: SkippedRequest[] = [];
  const skip = (row: RequestRow, refusal: Error) => skipped.push({ requestId: row.id, status: row.status, why: refusal.message });
  for (const row of await requestsOn(tx, today, pickListStatuses, room.id)) {
    await changeBySystem(tx, row, 'no_show', 'transition', now, { note: 'Not collected by closing time.' }, skip);
  }
  await tx
    .update(appointments)
    .set({ status: 'no_show', updatedAt: now })
    .where(and(eq(appointments.readingRoomId, room.id), eq(appointments.date, today), eq(appointments.status, 'booked')));

  const unresolved: { reason: string; cancelled: RequestRow }[] = [];
  for (const row of await requestsOn(tx, today, unresolvedStatuses, room.id)) {
    const reason = row.status === 'awaiting_approval' ? NEVER_APPROVED : NEVER_FREED;
    const cancelled = await changeBySystem(tx, row, 'cancelled', 'cancel', now, { note: reason }, skip);
    if (cancelled) unresolved.push({ reason, cancelled });
  }
  const links = pageLinks(ctx.publicUrl);
  for (const [researcherId, cancelled] of byResearcher(unresolved.map((u) => u.cancelled))) {
    const researcher = await findUser(tx, researcherId);
    if (!researcher) continue;
    const theirs = unresolved.filter((u) => cancelled.includes(u.cancelled));
    await queueMail(tx, {
      kind: 'request-cancelled',
      to: { email: researcher.email, name: researcher.name },
      data: {
        visitDate: today,
        containers: theirs.map((u) => mailContainer(u.cancelled)),
        reason: [...new Set(theirs.map((u) => u.reason))].join(' '),
        requestsUrl: links.requests,
      },
    });
  }

  const ended: RequestRow[] = [];
  for (const row of await holdsEndingBy(tx, today, room.id)) {
    const reshelved = await changeBySystem(tx, row, 'reshelved', 'release', now, { note: 'The hold ended.' }, skip);
    if (reshelved) ended.push(reshelved);
  }
  for (const [researcherId, theirs] of byResearcher(ended)) {
    const researcher = await findUser(tx, researcherId);
    if (!researcher) continue;
    await queueMail(tx, {
      kind: 'hold-ended',
      to: { email: researcher.email, name: researcher.name },
      data: { containers: theirs.map(mailContainer), holdUntil: theirs[0]?.holdUntil ?? today, requestsUrl: links.requests },
    });
  }

  const out = await boxesOut(tx, today, room.id);
  if (out.length > 0 && (await firstRun(tx, `closing-time:${room.id}:${today}`, now))) {
    await queueMail(
      tx,
      ...(await pagingStaff(tx)).map((member) => ({
        kind: 'closing-time' as const,
        to: { email: member.email, name: member.name },
        data: { date: today, items: out },
      })),
    );
  }
  return { done: true, date: today, count: unresolved.length, ...(skipped.length > 0 ? { skipped } : {}) };
}

/** What the clock ran in a room. */
export interface ClockRun {
  roomId: number;
  run: string;
  outcome: RunOutcome;
}

/**
 * Every room's timed work that is due at `now` and not yet done: of the pull times passed today
 * the latest (a run lists the whole pick list, so a worker that was down sends one, not each it
 * missed), the reminders once their time has passed, closing time once it has. Each room reads
 * its own clock: 23:30 in one zone may be tomorrow in another. Asked every minute, so a worker that
 * was down catches up on its return.
 */
export async function roomClock(ctx: RequestsContext, now: Date): Promise<ClockRun[]> {
  const runs: ClockRun[] = [];
  for (const room of await allRooms(ctx.db)) {
    const local = DateTime.fromJSDate(now, { zone: room.timezone });
    const time = local.toFormat('HH:mm');
    const today = local.toISODate() as IsoDate;
    const pull = room.pagingTimes.filter((t) => t <= time).at(-1);
    // What has run is read first (a read), so a minute with nothing due writes nothing (no commit, no fsync).
    if (pull !== undefined && !(await ranAlready(ctx, runKeys.paging(room, today, pull)))) runs.push({ roomId: room.id, run: `paging-run ${pull}`, outcome: await pagingRun(ctx, room, pull, now) });
    if (ctx.reminderTime <= time && !(await ranAlready(ctx, runKeys.reminders(room, nextBusinessDay(today, await closuresFrom(ctx.db, room.id, today)))))) {
      runs.push({ roomId: room.id, run: 'visit-reminders', outcome: await visitReminders(ctx, room, now) });
    }
    if (room.closingTime <= time && !(await ranAlready(ctx, runKeys.closing(room, today)))) {
      // Marked done in the same transaction as the work: a crash between cannot skip the day.
      const outcome = await commit(ctx.db, async (tx): Promise<RunOutcome> => ((await firstRun(tx, runKeys.closing(room, today), now)) ? closingWork(ctx, tx, room, now) : { done: false, why: 'already run' }));
      runs.push({ roomId: room.id, run: 'closing-time', outcome });
    }
  }
  return runs.filter((r) => r.outcome.done);
}

/** The keys of scheduled_runs that make each timed run happen once per room (and day, or pull time). */
const runKeys = {
  paging: (room: ReadingRoom, today: IsoDate, pullTime: string) => `paging-run:${room.id}:${today}T${pullTime}`,
  reminders: (room: ReadingRoom, visitDate: IsoDate) => `visit-reminders:${room.id}:${visitDate}`,
  closing: (room: ReadingRoom, today: IsoDate) => `closing-time-run:${room.id}:${today}`,
};

const ranAlready = async (ctx: RequestsContext, key: string) =>
  (await ctx.db.select({ key: scheduledRuns.key }).from(scheduledRuns).where(eq(scheduledRuns.key, key)).limit(1)).length > 0;
