import { visitDateRefusal } from './booking-rules.ts';
import type { Closures, IsoDate } from './calendar.ts';
import { Refusal } from './refusal.ts';

/**
 * A class session's booking rules (docs/api.md, "Class sessions"): a room's own notice for classes, longer
 * than a researcher's, and its own number of boxes on the table. A class takes no seat and counts
 * toward no researcher's limits; its boxes hold their containers that day as a researcher's would.
 */
/** The longest title a class session may have (an instructor's name is an account name's length too). */
export const CLASS_TITLE_MAX = 200;
/** The most students a class session may name. */
export const CLASS_HEADCOUNT_MAX = 500;

export interface ClassRoomRules {
  today: IsoDate;
  closures: Closures;
  maxAdvanceDays: number;
  classLeadBusinessDays: number;
  classItemLimit: number;
}

/** The date first, by a researcher's visit-date rules in their order, with the class's notice: too soon, too far, a closed day. */
export const classDateRefusal = (date: IsoDate, rules: ClassRoomRules): Refusal | null =>
  visitDateRefusal(date, { today: rules.today, closures: rules.closures, maxAdvanceDays: rules.maxAdvanceDays, leadBusinessDays: rules.classLeadBusinessDays });

/** At most the room's `classItemLimit` boxes on the table. */
export function classItemLimitRefusal(boxes: number, limit: number): Refusal | null {
  if (boxes <= limit) return null;
  return new Refusal('REQUEST_LIMIT_EXCEEDED', `A class session can have at most ${limit} boxes in this reading room; ${boxes} were asked for.`);
}

/** A session ends after it starts (times are the room's wall clock, HH:MM, so they compare as text). */
export const classTimesRefusal = (startTime: string, endTime: string): Refusal | null =>
  endTime > startTime ? null : new Refusal('INVALID_RANGE', `A class session must end after it starts: ${startTime} to ${endTime} is not a session.`);

/** The boxes of a class from another reading room than the session's cannot be on its table. */
export function otherRoomRefusal(labels: readonly string[], roomName: string): Refusal | null {
  if (labels.length === 0) return null;
  return new Refusal('NOT_REQUESTABLE', `${labels.join(', ')} ${labels.length === 1 ? 'is' : 'are'} read in another reading room, not in ${roomName}.`);
}
