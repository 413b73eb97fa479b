import type { AppointmentStatus } from '../../db/schema.ts';
import { nextBusinessDay, type Closures, type IsoDate } from './calendar.ts';
import { Refusal } from './refusal.ts';

/**
 * Appointments' rules (docs/reading-rooms.md): a `booked` or `attended` appointment takes a seat;
 * one per researcher, room and day; the desk checks researchers in and out on the day itself.
 */
export const seatTakingStatuses = ['booked', 'attended'] as const satisfies readonly AppointmentStatus[];

export const takesSeat = (status: AppointmentStatus) => (seatTakingStatuses as readonly AppointmentStatus[]).includes(status);

/**
 * The next open day after `date` with a seat, up to the horizon: `seatsTaken` answers for a day
 * how many seats are taken (days without an entry have none taken).
 */
export function nextDayWithSeat(date: IsoDate, horizon: IsoDate, closures: Closures, seats: number, seatsTaken: ReadonlyMap<IsoDate, number>): IsoDate | null {
  for (let day = nextBusinessDay(date, closures); day <= horizon; day = nextBusinessDay(day, closures)) {
    if ((seatsTaken.get(day) ?? 0) < seats) return day;
  }
  return null;
}

export function roomFullRefusal(roomName: string, date: IsoDate, next: IsoDate | null): Refusal {
  const suggestion = next === null ? 'no later day within the booking horizon has a seat either' : `the next open day with a seat is ${next}`;
  return new Refusal('READING_ROOM_FULL', `Every seat in ${roomName} is taken on ${date}; ${suggestion}.`);
}

export const duplicateAppointmentRefusal = (roomName: string, date: IsoDate) =>
  new Refusal('DUPLICATE_APPOINTMENT', `You already have an appointment in ${roomName} on ${date}.`);

export type DeskAction = 'check-in' | 'check-out' | 'cancel';

interface AppointmentState {
  status: AppointmentStatus;
  date: IsoDate;
  checkedInAt: Date | null;
}

/**
 * Whether the desk (or the researcher, for a cancellation) may do `action` today, and the status it
 * leaves. Checking in or out again answers the same; a cancelled appointment, one on another day,
 * or one nobody checked in (for a check-out) is refused with INVALID_TRANSITION.
 */
export function deskMove(appointment: AppointmentState, action: DeskAction, today: IsoDate): AppointmentStatus {
  const { status, date } = appointment;
  const refuse = (why: string) => new Refusal('INVALID_TRANSITION', `This appointment ${why}.`);
  if (action === 'cancel') {
    if (status === 'booked') return 'cancelled';
    throw refuse(status === 'cancelled' ? 'is already cancelled' : `is ${status === 'attended' ? 'attended' : 'a no-show'}, so it can no longer be cancelled`);
  }
  if (status === 'cancelled') throw refuse('was cancelled');
  if (date !== today) throw refuse(`is for ${date}, not today (${today})`);
  if (action === 'check-in') {
    if (status === 'no_show') throw refuse('was marked a no-show at closing time');
    return 'attended';
  }
  if (status !== 'attended') throw refuse('has not been checked in');
  return 'attended';
}

/** Whether `deskMove` lets `action` be done today. */
export function deskAllows(appointment: AppointmentState, action: DeskAction, today: IsoDate): boolean {
  try {
    deskMove(appointment, action, today);
    return true;
  } catch (error) {
    if (error instanceof Refusal) return false;
    throw error;
  }
}

/**
 * The desk's buttons for an appointment today: the moves `deskMove` allows that would change
 * something (a researcher checked in already is not offered a check-in again).
 */
export function deskActionsFor(appointment: AppointmentState & { checkedOutAt: Date | null }, today: IsoDate): Exclude<DeskAction, 'cancel'>[] {
  const offered: Exclude<DeskAction, 'cancel'>[] = [];
  if (appointment.checkedInAt === null && deskAllows(appointment, 'check-in', today)) offered.push('check-in');
  if (appointment.checkedOutAt === null && deskAllows(appointment, 'check-out', today)) offered.push('check-out');
  return offered;
}
