import { IANAZone } from 'luxon';
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

/** The room's notice in business days; none when staff override it for a researcher (any day from today on). */
export const leadTimeOf = (room: ReadingRoom, overrideLeadTime = false) => (overrideLeadTime ? 0 : room.leadBusinessDays);

export const earliestVisitIn = ({ room, today, closures }: RoomDay, overrideLeadTime = false) => earliestVisitDate(today, closures, leadTimeOf(room, overrideLeadTime));
export const horizonOf = ({ room, today }: RoomDay) => bookingHorizon(today, room.maxAdvanceDays);

/** Seats left on a day: null when the room's seats are unlimited; never below none. */
export const seatsLeft = (seats: number | null, taken: number): number | null => (seats === null ? null : Math.max(0, seats - taken));

/** A room's short name: a letter or digit, then letters, digits, `_` or `-` (40 at most). */
export const ROOM_CODE_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$';
/** A local time of day, `HH:MM`. */
export const LOCAL_TIME_PATTERN = '^([01][0-9]|2[0-3]):[0-5][0-9]$';

/** The bounds of a room's numbered settings, for the API's schema and the admin's page alike. */
export const roomSettingBounds = {
  seats: { minimum: 0, maximum: 100_000 },
  leadBusinessDays: { minimum: 1, maximum: 60 },
  dailyItemLimit: { minimum: 1, maximum: 200 },
  maxAdvanceDays: { minimum: 2, maximum: 730 },
  holdBusinessDays: { minimum: 1, maximum: 60 },
  classLeadBusinessDays: { minimum: 1, maximum: 120 },
  classItemLimit: { minimum: 1, maximum: 200 },
} as const;

/** How many pull times a room may have. */
export const PAGING_TIMES_MAX = 12;

/** The defaults of docs/reading-rooms.md for what a new room's admin leaves out. */
export const roomDefaults: Omit<ReadingRoom, 'id' | 'code' | 'name' | 'timezone'> = {
  seats: null,
  leadBusinessDays: 2,
  dailyItemLimit: 10,
  maxAdvanceDays: 90,
  holdBusinessDays: 5,
  classLeadBusinessDays: 5,
  classItemLimit: 15,
  pagingTimes: ['09:00', '14:00'],
  closingTime: '17:00',
};

/** Whether a room's time zone is one the clock can read: an IANA name such as America/New_York. */
export const isTimeZone = (name: string) => IANAZone.isValidZone(name);
