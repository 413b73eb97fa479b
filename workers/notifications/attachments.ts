import { createEvent } from 'ics';
import { addDays } from '../../src/domain/calendar.ts';
import type { MailJob } from '../../src/mail/catalogue.ts';
import { readableDate } from '../../src/wording.ts';
import type { MailSettings } from '../../src/mail/render.ts';
import type { OutgoingMail } from './mailer.ts';

/**
 * Files a mail carries besides its text: the submission mail brings the visit as an all-day
 * iCalendar event, so it lands in the researcher's calendar.
 */
export function attachmentsFor(mail: MailJob, settings: MailSettings): OutgoingMail['attachments'] {
  if (mail.kind !== 'requests-submitted') return [];
  const { visitDate, containers } = mail.data;
  const [year, month, day] = visitDate.split('-').map(Number) as [number, number, number];
  const [endYear, endMonth, endDay] = addDays(visitDate, 1).split('-').map(Number) as [number, number, number];
  const { error, value } = createEvent({
    // One event per submission, named after its first request.
    uid: `visit-${visitDate}-${containers.map((c) => c.requestId).sort((a, b) => a - b)[0]}@${new URL(settings.publicUrl).hostname}`,
    productId: 'reading-room',
    method: 'PUBLISH',
    title: `Reading room visit, ${settings.libraryName}`,
    start: [year, month, day],
    end: [endYear, endMonth, endDay],
    description: [
      `Your visit on ${readableDate(visitDate)}.`,
      ...containers.map((c) => `${c.containerLabel}, ${c.collectionTitle} (${c.callNumber})`),
      `Bring a photo ID on your first visit. Your requests: ${mail.data.requestsUrl}`,
    ].join('\n'),
    location: settings.libraryName,
    url: mail.data.requestsUrl,
  });
  if (error || !value) throw error ?? new Error('could not build the calendar event');
  return [{ filename: 'visit.ics', content: value, contentType: 'text/calendar; charset=utf-8; method=PUBLISH' }];
}
