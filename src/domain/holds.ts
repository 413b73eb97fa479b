import { businessDaysAfter, isBusinessDay, type Closures, type IsoDate } from './calendar.ts';
import { Refusal } from './refusal.ts';

/**
 * Holds between visits (docs/reading-rooms.md): a returned box kept at the desk for its researcher
 * until `holdUntil`, a business day after today and after the visit date, at most the room's
 * `holdBusinessDays` business days after the visit date, and not a day another researcher already
 * holds the box.
 */
export interface HoldAsked {
  holdUntil: IsoDate | undefined;
  visitDate: IsoDate;
  today: IsoDate;
  closures: Closures;
  holdBusinessDays: number;
  /** The first day from the visit date on that another researcher holds the box, if any. */
  takenOn: IsoDate | undefined;
}

/** The last day a hold may run to: the room's limit in business days after the visit date. */
export const lastHoldDay = (visitDate: IsoDate, holdBusinessDays: number, closures: Closures) => businessDaysAfter(visitDate, holdBusinessDays, closures);

export function holdRefusal({ holdUntil, visitDate, today, closures, holdBusinessDays, takenOn }: HoldAsked): Refusal | null {
  const last = lastHoldDay(visitDate, holdBusinessDays, closures);
  const refuse = (why: string) => new Refusal('INVALID_HOLD', `${why}; a hold can run to any business day after today up to ${last}.`);
  if (holdUntil === undefined) return refuse('A hold needs holdUntil, the last day the box stays at the desk');
  if (holdUntil <= today || holdUntil <= visitDate) return refuse(`${holdUntil} is not after today and the visit date`);
  if (!isBusinessDay(holdUntil, closures)) return refuse(`The reading room is closed on ${holdUntil}`);
  if (holdUntil > last) return refuse(`${holdUntil} is more than ${holdBusinessDays} business days after the visit on ${visitDate}`);
  if (takenOn !== undefined && takenOn <= holdUntil) {
    return new Refusal('INVALID_HOLD', `Another researcher has the box on ${takenOn}; the hold can run to the business day before at most.`);
  }
  return null;
}

/** Whether a held request may be delivered today: a business day from its visit date to `holdUntil`. */
export const heldToday = (visitDate: IsoDate, holdUntil: IsoDate | null, today: IsoDate, closures: Closures) =>
  holdUntil !== null && visitDate <= today && today <= holdUntil && isBusinessDay(today, closures);
