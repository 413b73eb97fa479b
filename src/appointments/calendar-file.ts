import { createEvent } from 'ics';
import { addDays, type IsoDate } from '../domain/calendar.ts';
import { readableDate } from '../wording.ts';

// A visit as an iCalendar file (.ics): attached to the mails that announce or cancel one, and
// downloaded from the researcher's appointments page. One event per appointment, with the same
// UID wherever it comes from, so that a calendar updates or removes the entry it already has.

export interface CalendarFile {
  filename: string;
  content: string;
  contentType: string;
}

export type CalendarEvent = Parameters<typeof createEvent>[0];

/** An all-day event as `ics` takes it: the day, and the next (its end is exclusive). */
export function allDay(date: IsoDate) {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const [endYear, endMonth, endDay] = addDays(date, 1).split('-').map(Number) as [number, number, number];
  return { start: [year, month, day] as [number, number, number], end: [endYear, endMonth, endDay] as [number, number, number] };
}

export function calendarFile(event: CalendarEvent, method: 'PUBLISH' | 'CANCEL'): CalendarFile {
  const { error, value } = createEvent({ productId: 'reading-room', method, ...event });
  if (error || !value) throw error ?? new Error('could not build the calendar event');
  return { filename: 'visit.ics', content: value, contentType: `text/calendar; charset=utf-8; method=${method}` };
}

export interface AppointmentInCalendar {
  id: number;
  date: IsoDate;
  roomName: string;
}

/**
 * An appointment's day as an all-day event in the researcher's calendar; a cancelled one's file
 * takes the entry out again (METHOD:CANCEL, the same UID).
 */
export function appointmentCalendarFile(
  appointment: AppointmentInCalendar,
  site: { libraryName: string; publicUrl: string; appointmentsUrl: string },
  cancelled: boolean,
): CalendarFile {
  return calendarFile(
    {
      uid: `appointment-${appointment.id}@${new URL(site.publicUrl).hostname}`,
      title: `Reading room visit, ${appointment.roomName}`,
      ...allDay(appointment.date),
      description: `Your appointment in ${appointment.roomName} on ${readableDate(appointment.date)}. Bring a photo ID on your first visit. Your appointments: ${site.appointmentsUrl}`,
      location: `${appointment.roomName}, ${site.libraryName}`,
      url: site.appointmentsUrl,
      ...(cancelled ? { status: 'CANCELLED' as const, sequence: 1 } : {}),
    },
    cancelled ? 'CANCEL' : 'PUBLISH',
  );
}
