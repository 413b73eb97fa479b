import type { RequestStatus } from '../../db/schema.ts';

/**
 * The status machine of a request (API.md, "Status model") as data: one table that a test can
 * walk, not conditions spread through the routes. Each row: who may move a request from one
 * status to another, by which action.
 */
export type Actor = 'researcher' | 'staff' | 'curator' | 'system';
export type Action = 'submit' | 'approve' | 'deny' | 'cancel' | 'transition' | 'promote' | 'close';

export interface Transition {
  from: RequestStatus | null;
  to: RequestStatus;
  by: readonly Actor[];
  action: Action;
}

export const transitions: readonly Transition[] = [
  { from: null, to: 'awaiting_approval', by: ['researcher'], action: 'submit' },
  { from: null, to: 'scheduled', by: ['researcher'], action: 'submit' },
  { from: null, to: 'waitlisted', by: ['researcher'], action: 'submit' },
  { from: 'awaiting_approval', to: 'scheduled', by: ['curator'], action: 'approve' },
  { from: 'awaiting_approval', to: 'waitlisted', by: ['curator'], action: 'approve' },
  { from: 'awaiting_approval', to: 'denied', by: ['curator'], action: 'deny' },
  { from: 'waitlisted', to: 'scheduled', by: ['system'], action: 'promote' },
  { from: 'awaiting_approval', to: 'cancelled', by: ['researcher', 'staff', 'system'], action: 'cancel' },
  { from: 'waitlisted', to: 'cancelled', by: ['researcher', 'staff', 'system'], action: 'cancel' },
  { from: 'scheduled', to: 'cancelled', by: ['researcher', 'staff', 'system'], action: 'cancel' },
  { from: 'paged', to: 'cancelled', by: ['staff', 'system'], action: 'cancel' },
  { from: 'scheduled', to: 'paged', by: ['staff'], action: 'transition' },
  { from: 'paged', to: 'delivered', by: ['staff'], action: 'transition' },
  { from: 'delivered', to: 'returned', by: ['staff'], action: 'transition' },
  { from: 'returned', to: 'reshelved', by: ['staff'], action: 'transition' },
  { from: 'scheduled', to: 'no_show', by: ['staff', 'system'], action: 'transition' },
  { from: 'paged', to: 'no_show', by: ['staff', 'system'], action: 'transition' },
  // Only a box that had been paged is out of its shelf after a no-show.
  { from: 'no_show', to: 'reshelved', by: ['staff'], action: 'transition' },
];

/** They count toward the daily limit and duplicates, and keep a day from being closed. */
export const activeStatuses = ['awaiting_approval', 'waitlisted', 'scheduled', 'paged', 'delivered', 'returned'] as const satisfies readonly RequestStatus[];

/** While a request is in one of these, the container is its researcher's that day. */
export const holdingStatuses = ['scheduled', 'paged', 'delivered'] as const satisfies readonly RequestStatus[];

/** The statuses staff move a request to through `transition`. */
export const staffTargets = ['paged', 'delivered', 'returned', 'reshelved', 'no_show'] as const satisfies readonly RequestStatus[];

export const isActive = (status: RequestStatus) => (activeStatuses as readonly RequestStatus[]).includes(status);
export const isHolding = (status: RequestStatus) => (holdingStatuses as readonly RequestStatus[]).includes(status);

/** Whether `actor` may move a request from `from` to `to` by `action`. */
export function mayMove(from: RequestStatus | null, to: RequestStatus, actor: Actor, action: Action): boolean {
  return transitions.some((t) => t.from === from && t.to === to && t.action === action && t.by.includes(actor));
}

/**
 * A no-show may be reshelved only if the box had left its shelf: the request's history says
 * whether it was ever paged.
 */
export function mayReshelveNoShow(history: readonly (RequestStatus | null)[]): boolean {
  return history.includes('paged');
}
