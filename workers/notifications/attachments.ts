import { allDay, appointmentCalendarFile, calendarFile } from '../../src/appointments/calendar-file.ts';
import type { MailJob } from '../../src/mail/catalogue.ts';
import { readableDate } from '../../src/wording.ts';
import type { MailSettings } from '../../src/mail/render.ts';
import type { OutgoingMail } from './mailer.ts';

/**
 * Files a mail carries besides its text: the submission and the appointment mails bring the visit
 * as an all-day iCalendar event, so it lands in the researcher's calendar; a cancelled
 * appointment's event, with the same UID, takes it out again.
 */
export function attachmentsFor(mail: MailJob, settings: MailSettings): OutgoingMail['attachments'] {
  if (mail.kind === 'appointment-booked' || mail.kind === 'appointment-cancelled') {
    const site = { ...settings, appointmentsUrl: mail.data.appointmentsUrl };
    return [appointmentCalendarFile(mail.data.appointment, site, mail.kind === 'appointment-cancelled')];
  }
  if (mail.kind !== 'requests-submitted') return [];
  const { visitDate, containers } = mail.data;
  return [
    calendarFile(
      {
        // One event per submission, named after its first request.
        uid: `visit-${visitDate}-${containers.map((c) => c.requestId).sort((a, b) => a - b)[0]}@${new URL(settings.publicUrl).hostname}`,
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
