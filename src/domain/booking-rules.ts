import {
  bookingHorizon,
  closedReason,
  earliestVisitDate,
  nextBusinessDay,
  type Closures,
  type IsoDate,
} from './calendar.ts';
import { Refusal } from './refusal.ts';

/**
 * The booking rules of docs/requests.md, as pure checks. Each refusal tells the researcher what would work.
 * When several rules fail, the first in docs/requests.md's order answers: the visit date rules here, then
 * (with the data of a request) unknown containers, duplicates and the daily limit.
 */
export interface VisitDateContext {
  today: IsoDate;
  closures: Closures;
  maxAdvanceDays: number;
  /** The room's notice in business days (two unless the room says otherwise). */
  leadBusinessDays?: number;
}

const COUNTS = ['no', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'];
/** "two business days", as the rules are spoken at the desk. */
export const businessDays = (count: number) => `${COUNTS[count] ?? count} business day${count === 1 ? '' : 's'}`;

export function visitDateRefusal(visitDate: IsoDate, { today, closures, maxAdvanceDays, leadBusinessDays = 2 }: VisitDateContext): Refusal | null {
  const earliest = earliestVisitDate(today, closures, leadBusinessDays);
  if (visitDate < earliest) {
    // Without a lead time (staff overriding it) only the days already gone are too soon.
    const rule = leadBusinessDays === 0 ? 'That day has passed' : `Requests must be made at least ${businessDays(leadBusinessDays)} ahead`;
    return new Refusal('VISIT_TOO_SOON', `${rule}; the earliest visit date is ${earliest}.`);
  }
  const horizon = bookingHorizon(today, maxAdvanceDays);
  if (visitDate > horizon) {
    return new Refusal('VISIT_TOO_FAR', `Visits can be booked at most ${maxAdvanceDays} days ahead; the last date open for requests is ${horizon}.`);
  }
  const reason = closedReason(visitDate, closures);
  if (reason !== undefined) {
    const next = nextBusinessDay(visitDate, closures);
    const suggestion = next <= horizon ? `; the next open day is ${next}` : '';
    return new Refusal('VISIT_DAY_CLOSED', `The reading room is closed on ${visitDate} (${reason})${suggestion}.`);
  }
  return null;
}

/** A researcher may have at most `limit` active requests for one visit date. */
export function dailyLimitRefusal(visitDate: IsoDate, alreadyActive: number, requested: number, limit: number): Refusal | null {
  if (alreadyActive + requested <= limit) return null;
  const left = Math.max(0, limit - alreadyActive);
  return new Refusal('REQUEST_LIMIT_EXCEEDED', `At most ${limit} containers can be requested for one visit date; you can add ${left} more for ${visitDate}.`);
}

/** A researcher already holding an active request for a container on that date may not ask again. */
export function duplicateRefusal(visitDate: IsoDate, alreadyRequestedLabels: readonly string[]): Refusal | null {
  if (alreadyRequestedLabels.length === 0) return null;
  return new Refusal('DUPLICATE_REQUEST', `You already have an active request for ${alreadyRequestedLabels.join(', ')} on ${visitDate}.`);
}

/** A container gone from its finding aid is kept for the requests that name it, but cannot be asked for. */
export function withdrawnRefusal(withdrawnLabels: readonly string[]): Refusal | null {
  if (withdrawnLabels.length === 0) return null;
  return new Refusal('CONTAINER_WITHDRAWN', `${withdrawnLabels.join(', ')} ${withdrawnLabels.length === 1 ? 'is' : 'are'} no longer in the collection's finding aid and cannot be requested.`);
}
