import type { RequestStatus } from '../../db/schema.ts';
import { Refusal } from './refusal.ts';

/**
 * The status machine of a request (docs/requests.md, "Status model") as data: one table that a test can
 * walk, not conditions spread through the routes. Each row: who may move a request from one
 * status to another, by which action. `decideChange` is the one door every change goes through.
 */
export type Actor = 'researcher' | 'staff' | 'curator' | 'admin' | 'system';
export type Action = 'submit' | 'approve' | 'deny' | 'cancel' | 'transition' | 'promote' | 'release';

export interface Transition {
  from: RequestStatus | null;
  to: RequestStatus;
  by: readonly Actor[];
  action: Action;
}

export const transitions: readonly Transition[] = [
  // Staff submit on a researcher's behalf (a phone or e-mail request); staff and curators book a
  // class session's boxes (the routes keep curators to classes).
  { from: null, to: 'awaiting_approval', by: ['researcher', 'staff', 'curator'], action: 'submit' },
  { from: null, to: 'scheduled', by: ['researcher', 'staff', 'curator'], action: 'submit' },
  { from: null, to: 'waitlisted', by: ['researcher', 'staff', 'curator'], action: 'submit' },
  { from: 'awaiting_approval', to: 'scheduled', by: ['curator'], action: 'approve' },
  { from: 'awaiting_approval', to: 'waitlisted', by: ['curator'], action: 'approve' },
  { from: 'awaiting_approval', to: 'denied', by: ['curator'], action: 'deny' },
  { from: 'waitlisted', to: 'scheduled', by: ['system'], action: 'promote' },
  // The system cancels at closing time what was never approved or never came free. A curator
  // cancels the boxes of a class session they cancel.
  { from: 'awaiting_approval', to: 'cancelled', by: ['researcher', 'staff', 'curator', 'system'], action: 'cancel' },
  { from: 'waitlisted', to: 'cancelled', by: ['researcher', 'staff', 'curator', 'system'], action: 'cancel' },
  { from: 'scheduled', to: 'cancelled', by: ['researcher', 'staff', 'curator'], action: 'cancel' },
  { from: 'paged', to: 'cancelled', by: ['staff'], action: 'cancel' },
  { from: 'scheduled', to: 'paged', by: ['staff'], action: 'transition' },
  { from: 'paged', to: 'delivered', by: ['staff'], action: 'transition' },
  { from: 'delivered', to: 'returned', by: ['staff'], action: 'transition' },
  { from: 'returned', to: 'reshelved', by: ['staff'], action: 'transition' },
  { from: 'scheduled', to: 'no_show', by: ['staff', 'system'], action: 'transition' },
  { from: 'paged', to: 'no_show', by: ['staff', 'system'], action: 'transition' },
  // Only a box that had been paged is out of its shelf after a no-show (see decideChange).
  { from: 'no_show', to: 'reshelved', by: ['staff'], action: 'transition' },
  // Holds between visits: kept at the desk to `holdUntil`, delivered again on a held day (see
  // decideChange), ended by staff, by the researcher (release) or at closing time on `holdUntil`.
  { from: 'returned', to: 'on_hold', by: ['staff'], action: 'transition' },
  { from: 'on_hold', to: 'delivered', by: ['staff'], action: 'transition' },
  { from: 'on_hold', to: 'reshelved', by: ['staff'], action: 'transition' },
  { from: 'on_hold', to: 'reshelved', by: ['researcher', 'system'], action: 'release' },
];

/** Waiting for a curator or for the box to come free: at closing time, cancelled. */
export const unresolvedStatuses = ['awaiting_approval', 'waitlisted'] as const satisfies readonly RequestStatus[];

/** On the day's pick list: to fetch, or fetched and at the desk; at closing time, no-shows. */
export const pickListStatuses = ['scheduled', 'paged'] as const satisfies readonly RequestStatus[];

/** Booked and not yet with the reader: reminded of the day before, cancelled by a forced closure. */
export const bookedStatuses = [...unresolvedStatuses, ...pickListStatuses] as const satisfies readonly RequestStatus[];

/**
 * Booked and not yet paged: cancelled with the appointment or class session they belong to (a paged
 * box is the desk's to settle).
 */
export const cancelledWithVisit = [...unresolvedStatuses, 'scheduled'] as const satisfies readonly RequestStatus[];

/** They count toward the daily limit and duplicates on their visit date. */
export const activeStatuses = [...bookedStatuses, 'delivered', 'returned', 'on_hold'] as const satisfies readonly RequestStatus[];

/**
 * While a request is in one of these, the container is its researcher's on its visit date (one
 * holder at most: the database's index requests_one_holder).
 */
export const holdingStatuses = ['scheduled', 'paged', 'delivered'] as const satisfies readonly RequestStatus[];

/**
 * A request with `holdUntil` in one of these holds the container on every day from its visit date
 * to `holdUntil`: on the hold shelf, or with its researcher again on a held day
 * (src/requests/holders.ts).
 */
export const heldStatuses = ['on_hold', 'delivered', 'returned'] as const satisfies readonly RequestStatus[];

/** Material out of the stacks and not back on its shelf: with a researcher, or returned to the desk. */
export const outStatuses = ['delivered', 'returned'] as const satisfies readonly RequestStatus[];

/** The statuses staff move a request to through `transition`. */
export const staffTargets = ['paged', 'delivered', 'returned', 'on_hold', 'reshelved', 'no_show'] as const satisfies readonly RequestStatus[];

export const isActive = (status: RequestStatus) => (activeStatuses as readonly RequestStatus[]).includes(status);
export const isHolding = (status: RequestStatus) => (holdingStatuses as readonly RequestStatus[]).includes(status);

/** An admin holds every right of staff and curators; everyone else only their own. */
const rightsOf = (actor: Actor): readonly Actor[] => (actor === 'admin' ? ['admin', 'staff', 'curator'] : [actor]);

/** Whether the table lets `actor` move a request from `from` to `to` by `action`. */
function mayMove(from: RequestStatus | null, to: RequestStatus, actor: Actor, action: Action): boolean {
  const rights = rightsOf(actor);
  return transitions.some((t) => t.from === from && t.to === to && t.action === action && t.by.some((role) => rights.includes(role)));
}

/**
 * What the door needs to know of a request: its status (null before it exists); for a no-show,
 * whether it was ever paged; for a delivery, whether its researcher's photo ID was checked.
 */
export interface RequestState {
  status: RequestStatus | null;
  everPaged?: boolean;
  identityVerified?: boolean;
  /** For a held box's delivery: whether today is a business day from its visit date to `holdUntil`. */
  heldToday?: boolean;
  /** A class session's box: delivered to the class's table, with no researcher's photo ID to check. */
  forClass?: boolean;
}

export interface StatusChange {
  from: RequestStatus | null;
  to: RequestStatus;
  actor: Actor;
  action: Action;
}

const words = (status: RequestStatus) => status.replace('_', ' ');

/**
 * The one door: decides whether `actor` may move a request to `to` by `action`, from the table and
 * the rules that go with it, and returns the change to record. Refuses with INVALID_TRANSITION,
 * saying why where there is more to say than the table.
 */
export function decideChange(request: RequestState, actor: Actor, action: Action, to: RequestStatus): StatusChange {
  const { status: from } = request;
  const refuse = (why = '') =>
    new Refusal('INVALID_TRANSITION', from === null ? `A new request cannot be ${words(to)}${why}.` : `A request that is ${words(from)} cannot become ${words(to)}${why}.`);
  if (!mayMove(from, to, actor, action)) {
    throw refuse(from === 'paged' && to === 'cancelled' ? ': the box has been paged, so only staff can cancel it' : '');
  }
  if (from === 'no_show' && !request.everPaged) throw refuse(': the box was never paged, so it never left its shelf');
  if (from === 'on_hold' && to === 'delivered' && !request.heldToday) throw refuse(': today is not one of the days it is held for');
  // Holds keep a box for a researcher coming back; a class meets once.
  if (to === 'on_hold' && request.forClass) throw refuse(": a class session's box is not held between visits");
  // Material is delivered only to a researcher whose photo ID was checked at the desk (a class's
  // boxes go to its table, under the instructor's and the staff's eyes).
  if (to === 'delivered' && !request.forClass && !request.identityVerified) {
    throw new Refusal('IDENTITY_NOT_VERIFIED', "Check the researcher's photo ID at the desk and record it before delivering material.");
  }
  return { from, to, actor, action };
}

/** A new request's status: restricted material waits for a curator; a box held that day puts it on the waiting list. */
export function initialStatus(container: { restricted: boolean }, heldByAnother: boolean): RequestStatus {
  return container.restricted ? 'awaiting_approval' : heldByAnother ? 'waitlisted' : 'scheduled';
}

/** An approval: scheduled, or waitlisted when another researcher holds the container by then. */
export const approvedStatus = (heldByAnother: boolean): RequestStatus => (heldByAnother ? 'waitlisted' : 'scheduled');

/** Whether the door would let `actor` make this change: for pages, which offer only what would work. */
export function allows(request: RequestState, actor: Actor, action: Action, to: RequestStatus): boolean {
  try {
    decideChange(request, actor, action, to);
    return true;
  } catch (error) {
    if (error instanceof Refusal) return false;
    throw error;
  }
}

export type StaffMove = (typeof staffTargets)[number];

/**
 * The moves the desk may offer staff from this state as plain buttons. A delivery is offered
 * whether or not the photo ID was checked: the desk is then told to check it, with the way to do
 * so. A hold needs its last day, so it is not one of them.
 */
export const staffMovesFrom = (request: RequestState): StaffMove[] =>
  staffTargets.filter((to) => to !== 'on_hold' && allows({ ...request, identityVerified: true, heldToday: true }, 'staff', 'transition', to));
