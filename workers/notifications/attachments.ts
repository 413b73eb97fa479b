import { createEvent } from 'ics';
import { addDays } from '../../src/domain/calendar.ts';
import type { MailJob } from '../../src/mail/catalogue.ts';
import { readableDate } from '../../src/wording.ts';
import type { MailSettings } from '../../src/mail/render.ts';
import type { OutgoingMail } from './mailer.ts';

/** An all-day event as `ics` takes it: the day, and the next (its end is exclusive). */
function allDay(date: string) {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const [endYear, endMonth, endDay] = addDays(date, 1).split('-').map(Number) as [number, number, number];
  return { start: [year, month, day] as [number, number, number], end: [endYear, endMonth, endDay] as [number, number, number] };
}

function calendarFile(event: Parameters<typeof createEvent>[0], method: 'PUBLISH' | 'CANCEL'): NonNullable<OutgoingMail['attachments']>[number] {
  const { error, value } = createEvent({ productId: 'reading-room', method, ...event });
  if (error || !value) throw error ?? new Error('could not build the calendar event');
  return { filename: 'visit.ics', content: value, contentType: `text/calendar; charset=utf-8; method=${method}` };
}

/**
 * Files a mail carries besides its text: the submission and the appointment mails bring the visit
 * as an all-day iCalendar event, so it lands in the researcher's calendar; a cancelled
 * appointment's event, with the same UID, takes it out again.
 */
export function attachmentsFor(mail: MailJob, settings: MailSettings): OutgoingMail['attachments'] {
  const host = new URL(settings.publicUrl).hostname;
  if (mail.kind === 'appointment-booked' || mail.kind === 'appointment-cancelled') {
    const { appointment } = mail.data;
    const cancelled = mail.kind === 'appointment-cancelled';
    return [
      calendarFile(
        {
          uid: `appointment-${appointment.id}@${host}`,
          title: `Reading room visit, ${appointment.roomName}`,
          ...allDay(appointment.date),
          description: `Your appointment in ${appointment.roomName} on ${readableDate(appointment.date)}. Bring a photo ID on your first visit. Your appointments: ${mail.data.appointmentsUrl}`,
          location: `${appointment.roomName}, ${settings.libraryName}`,
          url: mail.data.appointmentsUrl,
          ...(cancelled ? { status: 'CANCELLED' as const, sequence: 1 } : {}),
        },
        cancelled ? 'CANCEL' : 'PUBLISH',
      ),
    ];
  }
  if (mail.kind !== 'requests-submitted') return [];
  const { visitDate, containers } = mail.data;
  return [
    calendarFile(
      {
        // One event per submission, named after its first request.
        uid: `visit-${visitDate}-${containers.map((c) => c.requestId).sort((a, b) => a - b)[0]}@${host}`,
        title: `Reading room visit, ${settings.libraryName}`,
        ...allDay(visitDate),
        description: [
          `Your visit on ${readableDate(visitDate)}.`,
          ...containers.map((c) => `${c.containerLabel}, ${c.collectionTitle} (${c.callNumber})`),
          `Bring a photo ID on your first visit. Your requests: ${mail.data.requestsUrl}`,
        ].join('\n'),
        location: settings.libraryName,
        url: mail.data.requestsUrl,
      },
      'PUBLISH',
    ),
  ];
}
