import { eq, sql } from 'drizzle-orm';
import { requestEvents, requests, type RequestStatus } from '../../db/schema.ts';
import { findUser, type UserRow } from '../accounts/users.ts';
import type { IsoDate } from '../domain/calendar.ts';
import { decideChange, type Action, type Actor, type StatusChange } from '../domain/request-status.ts';
import { Refusal } from '../domain/refusal.ts';
import type { Writer } from '../../db/transactions.ts';
import { prepared } from '../caches.ts';
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
}

function recordEvent(tx: Writer, requestId: number, change: StatusChange, changer: Changer, now: Date, note: string | null) {
  prepared(tx, 'door.insertEvent', () =>
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
      })
      .prepare(),
  ).run({ requestId, at: now, actorId: changer === 'system' ? null : changer.id, actorRole: change.actor, fromStatus: change.from, toStatus: change.to, note });
}

/** Moves a request to `to` by `action`, if the door lets `changer` do so, and writes the event. */
export function changeStatus<Row extends OwnRow>(tx: Writer, row: Row, to: RequestStatus, changer: Changer, action: Action, now: Date, details: ChangeDetails = {}): Row {
  // What the door's rules ask, read only when they apply: a no-show's history, a delivery's researcher.
  const paged = row.status === 'no_show' ? everPaged(tx, row.id) : undefined;
  const identityVerified = to === 'delivered' ? findUser(tx, row.researcherId)?.identityVerifiedAt != null : undefined;
  const change = decideChange({ status: row.status, everPaged: paged, identityVerified }, actorOf(changer), action, to);
  const decisionNote = details.decisionNote !== undefined ? { decisionNote: details.decisionNote } : {};
  tx.update(requests)
    .set({ status: to, updatedAt: now, ...(to === 'waitlisted' ? { waitlistedAt: now } : {}), ...decisionNote })
    .where(eq(requests.id, row.id))
    .run();
  recordEvent(tx, row.id, change, changer, now, details.note ?? null);
  return { ...row, status: to, updatedAt: now, ...(to === 'waitlisted' ? { waitlistedAt: now } : {}), ...decisionNote };
}

/**
 * A system job's change (closing time, the waiting list): a request the door refuses, because it
 * is not in the state the job expected, is left alone and reported, and the job goes on.
 */
export function changeBySystem<Row extends OwnRow>(
  tx: Writer,
  row: Row,
  to: RequestStatus,
  action: Action,
  now: Date,
  details: ChangeDetails,
  skipped: (row: Row, refusal: Refusal) => void,
): Row | undefined {
  try {
    return changeStatus(tx, row, to, 'system', action, now, details);
  } catch (error) {
    if (!(error instanceof Refusal)) throw error;
    skipped(row, error);
    return undefined;
  }
}

export interface NewRequest {
  researcherId: number;
  containerId: number;
  visitDate: IsoDate;
  note: string | null;
  originalReason: string | null;
}

/** A submitted request, written with its first status and event once the door allows that status. */
export function recordNewRequest(tx: Writer, request: NewRequest, status: RequestStatus, researcher: UserRow, now: Date): OwnRow {
  const change = decideChange({ status: null }, actorOf(researcher), 'submit', status);
  const waitlistedAt = status === 'waitlisted' ? new Date(now) : null;
  const inserted = prepared(tx, 'door.insertRequest', () =>
    tx
      .insert(requests)
      .values({
        researcherId: sql.placeholder('researcherId'),
        containerId: sql.placeholder('containerId'),
        visitDate: sql.placeholder('visitDate'),
        status: sql.placeholder('status'),
        note: sql.placeholder('note'),
        originalReason: sql.placeholder('originalReason'),
        waitlistedAt: sql`${sql.placeholder('waitlistedAt')}`,
        createdAt: sql.placeholder('now'),
        updatedAt: sql.placeholder('now'),
      })
      .prepare(),
  ).run({ ...request, status, waitlistedAt: waitlistedAt?.getTime() ?? null, now });
  // The new row's id, without RETURNING (dearer than the insert of its event itself).
  const id = Number(inserted.lastInsertRowid);
  recordEvent(tx, id, change, researcher, now, request.note);
  // The row as written, not read back.
  return { id, ...request, status, decisionNote: null, waitlistedAt, createdAt: new Date(now), updatedAt: new Date(now) };
}
