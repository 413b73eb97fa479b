import { DateTime } from 'luxon';
import type { RequestStatus, SurrogateKind } from '../db/schema.ts';
import type { IsoDate } from './domain/calendar.ts';

// How the reading room says things to people, in e-mails, pages and call slips alike: dates and
// instants, and a request's status in the researcher's words and the desk's.

/** "Tuesday 1 December 2026": a date as a person reads it. */
const dateParts = new Intl.DateTimeFormat('en-GB', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

export function readableDate(date: IsoDate): string {
  const part = Object.fromEntries(dateParts.formatToParts(new Date(`${date}T00:00:00Z`)).map((p) => [p.type, p.value]));
  return `${part.weekday} ${part.day} ${part.month} ${part.year}`;
}

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

/** A status as the desk reads it. */
export const deskStatus = (status: RequestStatus): string => statusWords[status].desk;

/** What stands in for a restricted original, in a sentence: "the reading room has a reference copy". */
export const surrogateWords: Record<SurrogateKind, string> = {
  reference_copy: 'a reference copy',
  microfilm: 'microfilm',
  digital: 'a digital copy',
};
