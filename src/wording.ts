import { DateTime } from 'luxon';
import type { AppointmentStatus, ClassSessionStatus, NoteVisibility, RequestStatus, SurrogateKind } from '../db/tables.ts';
import { isIsoDate, type IsoDate } from './domain/calendar.ts';
import type { IsoMonth } from './domain/visit-plan.ts';

// How the reading room says things to people, in e-mails, pages and call slips alike: dates and
// instants, and a request's status in the researcher's words and the desk's.

/** "Tuesday 1 December 2026": a date as a person reads it. */
const dateParts = new Intl.DateTimeFormat('en-GB', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

const partsOf = (date: IsoDate) => Object.fromEntries(dateParts.formatToParts(new Date(`${date}T00:00:00Z`)).map((p) => [p.type, p.value]));

export function readableDate(date: IsoDate): string {
  const part = partsOf(date);
  return `${part.weekday} ${part.day} ${part.month} ${part.year}`;
}

/** "Tuesday 1 December": a day where its month and year are said already (a month's calendar). */
export function readableDay(date: IsoDate): string {
  const part = partsOf(date);
  return `${part.weekday} ${part.day} ${part.month}`;
}

const monthParts = new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });

/** "December 2026". */
export const readableMonth = (month: IsoMonth) => monthParts.format(new Date(`${month}-01T00:00:00Z`));

/** The domain's messages name dates as `YYYY-MM-DD`; a page says them as a person reads them. */
export const readableMessage = (message: string) => message.replace(/\b[0-9]{4}-[0-9]{2}-[0-9]{2}\b/g, (date) => (isIsoDate(date) ? readableDate(date) : date));

/** "Tuesday 1 December 2026 at 14:05": an instant, in the reading room's time zone. */
export function readableInstant(at: Date, timezone: string): string {
  const local = DateTime.fromJSDate(at, { zone: timezone });
  return `${readableDate(local.toISODate() ?? '')} at ${local.toFormat('HH:mm')}`;
}

/**
 * A request's status in words: as a researcher reads it (in a sentence, lower case) and as the desk
 * reads it (a label). The one table of them.
 */
export const statusWords: Record<RequestStatus, { researcher: string; desk: string }> = {
  awaiting_approval: { researcher: "awaiting a curator's approval", desk: 'Awaiting a curator’s approval' },
  waitlisted: { researcher: 'on the waiting list', desk: 'On the waiting list' },
  scheduled: { researcher: 'scheduled', desk: 'To fetch from the stacks' },
  paged: { researcher: 'fetched from the stacks', desk: 'Paged: at the desk' },
  delivered: { researcher: 'delivered', desk: 'Delivered: with the researcher' },
  returned: { researcher: 'returned to the desk', desk: 'Returned: back at the desk' },
  on_hold: { researcher: 'kept for you at the desk', desk: 'On hold: on the hold shelf' },
  reshelved: { researcher: 'reshelved', desk: 'Reshelved' },
  no_show: { researcher: 'not collected', desk: 'No-show' },
  denied: { researcher: 'not approved', desk: 'Not approved' },
  cancelled: { researcher: 'cancelled', desk: 'Cancelled' },
};

/**
 * `researcherStatus(status)` for the templates (Eta's function header: declared in every compiled
 * template, partials included). A status this table does not know (a new one) still reads as words.
 */
export const templateHelpers = `const researcherStatus = (status) => {
  const words = ${JSON.stringify(Object.fromEntries(Object.entries(statusWords).map(([status, said]) => [status, said.researcher])))};
  return Object.hasOwn(words, status) ? words[status] : String(status).replaceAll('_', ' ');
};`;

/** An appointment's status as a researcher reads it (in a sentence) and as the desk reads it (a label). */
export const appointmentWords: Record<AppointmentStatus, { researcher: string; desk: string }> = {
  booked: { researcher: 'booked', desk: 'Booked: not arrived yet' },
  attended: { researcher: 'attended', desk: 'Checked in' },
  no_show: { researcher: 'missed: nobody checked in that day', desk: 'No-show' },
  cancelled: { researcher: 'cancelled', desk: 'Cancelled' },
};

/** A class session's status as the desk reads it. */
export const classSessionWords: Record<ClassSessionStatus, string> = {
  booked: 'Booked',
  cancelled: 'Cancelled',
};

/** A status as the desk reads it. */
export const deskStatus = (status: RequestStatus): string => statusWords[status].desk;

/** Who a note on a request is for, as the staff's and curators' pages mark it beside the note. */
export const noteVisibilityWords: Record<NoteVisibility, string> = {
  staff: 'For staff only',
  researcher: 'Sent to the researcher',
};

/** What each kind of surrogate is called: the copy a reader is given instead of the original. */
export const surrogateWords: Record<SurrogateKind, string> = {
  reference_copy: 'Reference copy',
  microfilm: 'Microfilm',
  digital: 'Digital copy',
};

/**
 * How an access note was read, from the domain's label (`open`, `restricted`, `until 2045-01-01`:
 * src/domain/access-notes.ts readingLabel), in words.
 */
export function readingWords(label: string): string {
  if (label === 'open') return 'Open';
  if (label === 'restricted') return 'Restricted, no end stated';
  const until = /^until (\d{4}-\d{2}-\d{2})$/.exec(label)?.[1];
  return until ? `Restricted until ${readableDate(until)}` : label;
}

/** A folder or series wanted in a box: "Letters from Paris (Folder 3)". */
export const wantedWords = (component: { title: string; folder: string | null }) =>
  component.folder ? `${component.title} (${component.folder})` : component.title;

/** A size in bytes as people read it: "50 MiB", "512 KiB", "900 bytes". */
export function readableSize(bytes: number): string {
  const units = [
    { size: 1024 ** 3, name: 'GiB' },
    { size: 1024 ** 2, name: 'MiB' },
    { size: 1024, name: 'KiB' },
  ];
  const unit = units.find((u) => bytes >= u.size);
  if (!unit) return `${bytes} bytes`;
  const amount = bytes / unit.size;
  return `${Number.isInteger(amount) ? amount : amount.toFixed(1)} ${unit.name}`;
}
