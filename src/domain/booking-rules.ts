import {
  bookingHorizon,
  closedReason,
  earliestVisitDate,
  nextBusinessDay,
  type Closures,
  type IsoDate,
} from './calendar.ts';

/**
 * The booking rules of API.md, as pure checks. Each refusal tells the researcher what would work.
 * When several rules fail, the first in API.md's order answers: the visit date rules here, then
 * (with the data of a request) unknown containers, duplicates and the daily limit.
 */
export type RefusalCode =
  | 'VISIT_TOO_SOON'
  | 'VISIT_TOO_FAR'
  | 'VISIT_DAY_CLOSED'
  | 'DUPLICATE_REQUEST'
  | 'REQUEST_LIMIT_EXCEEDED';

export interface Refusal {
  code: RefusalCode;
  message: string;
}

export interface VisitDateContext {
  today: IsoDate;
  closures: Closures;
  maxAdvanceDays: number;
}

export function visitDateRefusal(visitDate: IsoDate, { today, closures, maxAdvanceDays }: VisitDateContext): Refusal | null {
  const earliest = earliestVisitDate(today, closures);
  if (visitDate < earliest) {
    return {
      code: 'VISIT_TOO_SOON',
      message: `Requests must be made at least two business days ahead; the earliest visit date is ${earliest}.`,
    };
  }
  const horizon = bookingHorizon(today, maxAdvanceDays);
  if (visitDate > horizon) {
    return {
      code: 'VISIT_TOO_FAR',
      message: `Visits can be booked at most ${maxAdvanceDays} days ahead; the last date open for requests is ${horizon}.`,
    };
  }
  const reason = closedReason(visitDate, closures);
  if (reason !== undefined) {
    const next = nextBusinessDay(visitDate, closures);
    const suggestion = next <= horizon ? `; the next open day is ${next}` : '';
    return {
      code: 'VISIT_DAY_CLOSED',
      message: `The reading room is closed on ${visitDate} (${reason})${suggestion}.`,
    };
  }
  return null;
}

/** A researcher may have at most `limit` active requests for one visit date. */
export function dailyLimitRefusal(visitDate: IsoDate, alreadyActive: number, requested: number, limit: number): Refusal | null {
  if (alreadyActive + requested <= limit) return null;
  const left = Math.max(0, limit - alreadyActive);
  return {
    code: 'REQUEST_LIMIT_EXCEEDED',
    message: `At most ${limit} containers can be requested for one visit date; you can add ${left} more for ${visitDate}.`,
  };
}

/** A researcher already holding an active request for a container on that date may not ask again. */
export function duplicateRefusal(visitDate: IsoDate, alreadyRequestedLabels: readonly string[]): Refusal | null {
  if (alreadyRequestedLabels.length === 0) return null;
  return {
    code: 'DUPLICATE_REQUEST',
    message: `You already have an active request for ${alreadyRequestedLabels.join(', ')} on ${visitDate}.`,
  };
}
