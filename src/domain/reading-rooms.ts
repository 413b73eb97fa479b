import { bookingHorizon, earliestVisitDate, type Closures, type IsoDate } from './calendar.ts';

/**
 * A reading room's calendar, seats and rules (docs/reading-rooms.md). Every booking rule reads
 * these, so two rooms may differ in all of them; dates are in the room's own time zone.
 */
export interface ReadingRoom {
  id: number;
  code: string;
  name: string;
  timezone: string;
  /** Null: unlimited. */
  seats: number | null;
  leadBusinessDays: number;
  dailyItemLimit: number;
  maxAdvanceDays: number;
  holdBusinessDays: number;
  classLeadBusinessDays: number;
  classItemLimit: number;
  /** Local pull times, `HH:MM`, earliest first. */
  pagingTimes: string[];
  closingTime: string;
}

/** What the booking rules know of a room on a day: its date and the closures ahead. */
export interface RoomDay {
  room: ReadingRoom;
  today: IsoDate;
  closures: Closures;
}

export const earliestVisitIn = ({ room, today, closures }: RoomDay) => earliestVisitDate(today, closures, room.leadBusinessDays);
export const horizonOf = ({ room, today }: RoomDay) => bookingHorizon(today, room.maxAdvanceDays);

/** Seats left on a day: null when the room's seats are unlimited; never below none. */
export const seatsLeft = (seats: number | null, taken: number): number | null => (seats === null ? null : Math.max(0, seats - taken));
