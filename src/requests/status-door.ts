import { eq, sql } from 'drizzle-orm';
import { requestEvents, requests, type RequestStatus } from '../../db/tables.ts';
import { findUser, type UserRow } from '../accounts/users.ts';
import { decideChange, type Action, type Actor, type StatusChange } from '../domain/request-status.ts';
import { Refusal } from '../domain/refusal.ts';
import type { Writer } from '../../db/transactions.ts';
import { instantValue, prepared } from '../../db/statements.ts';
import { closuresFrom } from '../calendar/store.ts';
import { todayIn, type IsoDate } from '../domain/calendar.ts';
import { heldToday, holdRefusal } from '../domain/holds.ts';
import { findRoom } from '../reading-rooms/store.ts';
import { firstDayTaken } from './holders.ts';
import { everPaged, type OwnRow } from './store.ts';

// The only writer of a request's status and its event. Every change, a submission's first status
// included, is decided by the status machine's one door (src/domain/request-status.ts).

/** Who changes a request: a person, as who they are (an admin is `admin`), or the system. */
export type Changer = UserRow | 'system';

export const actorOf = (changer: Changer): Actor => (changer === 'system' ? 'system' : changer.role);

export interface ChangeDetails {
  /** The event's note. */
  note?: string | null | undefined;
  /** A curator's note the researcher sees on the request. */
  decisionNote?: string | null | undefined;
  /** For a hold: the last business day the box stays at the desk. */
  holdUntil?: IsoDate | undefined;
}

/** The request's room's date at `now`, and its closures from the visit date on. */
async function roomCalendarOf(tx: Writer, row: OwnRow, now: Date) {
  const room = await findRoom(tx, row.readingRoomId);
  if (!room) throw new Error(`request ${row.id} is in no reading room`);
  const today = todayIn(room.timezone, now);
  return { room, today, closures: await closuresFrom(tx, room.id, row.visitDate < today ? row.visitDate : today) };
}

/** A hold's `holdUntil`, checked against the room's rules and the box's other holders. */
async function checkedHold(tx: Writer, row: OwnRow, holdUntil: IsoDate | undefined, now: Date): Promise<IsoDate> {
  const { room, today, closures } = await roomCalendarOf(tx, row, now);
  const takenOn = holdUntil === undefined ? undefined : await firstDayTaken(tx, row.containerId, today > row.visitDate ? today : row.visitDate, holdUntil, row.id);
  const refusal = holdRefusal({ holdUntil, visitDate: row.visitDate, today, closures, holdBusinessDays: room.holdBusinessDays, takenOn });
  if (refusal) throw refusal;
  return holdUntil as IsoDate;
}

async function recordEvent(tx: Writer, requestId: number, change: StatusChange, changer: Changer, now: Date, note: string | null): Promise<void> {
  await prepared(tx, 'door.insertEvent', () =>
    tx
      .insert(requestEvents)
      .values({
        requestId: sql.placeholder('requestId'),
        at: sql.placeholder('at'),
        actorId: sql.placeholder('actorId'),
        actorRole: sql.placeholder('actorRole'),
        fromStatus: sql.placeholder('fromStatus'),
        toStatus: sql.placeholder('toStatus'),
        note: sql.placeholder('note'),
      }),
  ).write({ requestId, at: now, actorId: changer === 'system' ? null : changer.id, actorRole: change.actor, fromStatus: change.from, toStatus: change.to, note });
}

/** Moves a request to `to` by `action`, if the door lets `changer` do so, and writes the event. */
export async function changeStatus<Row extends OwnRow>(tx: Writer, row: Row, to: RequestStatus, changer: Changer, action: Action, now: Date, details: ChangeDetails = {}): Promise<Row> {
  // What the door's rules ask, read only when they apply: a no-show's history, a delivery's researcher.
  const paged = row.status === 'no_show' ? await everPaged(tx, row.id) : undefined;
  const forClass = row.classSessionId !== null;
  const identityVerified = to === 'delivered' && !forClass ? (await findUser(tx, row.researcherId))?.identityVerifiedAt != null : undefined;
  const held = row.status === 'on_hold' && to === 'delivered' ? await heldNow(tx, row, now) : undefined;
  const change = decideChange({ status: row.status, everPaged: paged, identityVerified, heldToday: held, forClass }, actorOf(changer), action, to);
  const written = {
    status: to,
    updatedAt: now,
    ...(to === 'waitlisted' ? { waitlistedAt: now } : {}),
    ...(details.decisionNote !== undefined ? { decisionNote: details.decisionNote } : {}),
    ...(to === 'on_hold' ? { holdUntil: await checkedHold(tx, row, details.holdUntil, now) } : {}),
  };
  await tx.update(requests).set(written).where(eq(requests.id, row.id));
  await recordEvent(tx, row.id, change, changer, now, details.note ?? null);
  return { ...row, ...written };
}

async function heldNow(tx: Writer, row: OwnRow, now: Date): Promise<boolean> {
  const { today, closures } = await roomCalendarOf(tx, row, now);
  return heldToday(row.visitDate, row.holdUntil, today, closures);
}

/**
 * A system job's change (closing time, the waiting list): a request the door refuses, because it
 * is not in the state the job expected, is left alone and reported, and the job goes on.
 */
export async function changeBySystem<Row extends OwnRow>(
  tx: Writer,
  row: Row,
  to: RequestStatus,
  action: Action,
  now: Date,
  details: ChangeDetails,
  skipped: (row: Row, refusal: Refusal) => void,
): Promise<Row | undefined> {
  try {
    return await changeStatus(tx, row, to, 'system', action, now, details);
  } catch (error) {
    if (!(error instanceof Refusal)) throw error;
    skipped(row, error);
    return undefined;
  }
}

/** For a researcher, or (researcherId null) for a class session. */
export interface NewRequest {
  researcherId: number | null;
  classSessionId: number | null;
  containerId: number;
  visitDate: IsoDate;
  readingRoomId: number;
  appointmentId: number | null;
  note: string | null;
  originalReason: string | null;
}

/**
 * A submitted request, written with its first status and event once the door allows that status to
 * whoever submits it: the researcher, staff on their behalf, or staff and curators booking a class
 * session (`note`: the event's).
 */
export async function recordNewRequest(tx: Writer, request: NewRequest, status: RequestStatus, submitter: UserRow, now: Date, note: string | null): Promise<OwnRow> {
  const change = decideChange({ status: null }, actorOf(submitter), 'submit', status);
  const waitlistedAt = status === 'waitlisted' ? new Date(now) : null;
  const inserted = await prepared(tx, 'door.insertRequest', () =>
    tx
      .insert(requests)
      .values({
        researcherId: sql`${sql.placeholder('researcherId')}`,
        classSessionId: sql`${sql.placeholder('classSessionId')}`,
        containerId: sql.placeholder('containerId'),
        visitDate: sql.placeholder('visitDate'),
        readingRoomId: sql.placeholder('readingRoomId'),
        appointmentId: sql`${sql.placeholder('appointmentId')}`,
        status: sql.placeholder('status'),
        note: sql.placeholder('note'),
        originalReason: sql.placeholder('originalReason'),
        waitlistedAt: sql`${sql.placeholder('waitlistedAt')}`,
        createdAt: sql.placeholder('now'),
        updatedAt: sql.placeholder('now'),
      })
      .returning({ id: requests.id }),
  ).first({ ...request, status, waitlistedAt: waitlistedAt && instantValue(waitlistedAt), now });
  // The new row's id, as the insert returns it.
  if (!inserted) throw new Error('the request was not written');
  const { id } = inserted;
  await recordEvent(tx, id, change, submitter, now, note);
  // The row as written, not read back.
  return { id, ...request, status, holdUntil: null, decisionNote: null, waitlistedAt, createdAt: new Date(now), updatedAt: new Date(now) };
}
