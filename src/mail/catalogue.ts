import { readableDate } from '../wording.ts';
import type { RequestStatus } from '../../db/tables.ts';
import type { IsoDate } from '../domain/calendar.ts';
import type { PickItem } from '../requests/schemas.ts';

// Every e-mail of docs/email.md: its template (templates/mail/<kind>.html.eta and .txt.eta), the data the
// template gets, and its subject. The outbox carries a MailJob; the notification worker renders it.

export interface Recipient {
  email: string;
  /** Null greets neutrally: for an address not verified yet, whose name anyone could have typed. */
  name: string | null;
}

/** A container as a mail lists it. `status` is the request's status, as docs/requests.md names it. */
export interface MailContainer {
  requestId: number;
  callNumber: string;
  collectionTitle: string;
  containerLabel: string;
  status: RequestStatus;
  restricted: boolean;
  restrictionNote: string | null;
}

export interface MailData {
  'verify-email': { link: string };
  'already-registered': { signInUrl: string; resetUrl: string };
  'password-reset': { link: string };
  'requests-submitted': { visitDate: IsoDate; containers: MailContainer[]; requestsUrl: string };
  /** For a researcher's requests, or (researcher null) a class session's. */
  'restricted-review': {
    visitDate: IsoDate;
    researcher: { name: string; affiliation: string | null; researchTopic: string | null } | null;
    classSession: MailClassSession | null;
    containers: MailContainer[];
    reviewUrl: string;
  };
  'paging-run': { visitDate: IsoDate; items: PickItem[]; pickListUrl: string };
  'closing-time': { date: IsoDate; items: PickItem[] };
  'request-approved': { visitDate: IsoDate; container: MailContainer; note: string | null; requestsUrl: string };
  'request-denied': { visitDate: IsoDate; container: MailContainer; reason: string; requestsUrl: string };
  'waitlist-promoted': { visitDate: IsoDate; container: MailContainer; requestsUrl: string };
  /** `reason` is always given: the sender words one when staff gave none. */
  'request-cancelled': { visitDate: IsoDate; containers: MailContainer[]; reason: string; requestsUrl: string };
  'visit-reminder': { visitDate: IsoDate; containers: MailContainer[]; requestsUrl: string };
  'appointment-booked': { appointment: MailAppointment; containers: MailContainer[]; appointmentsUrl: string };
  /** `containers`: the requests cancelled with it. */
  'appointment-cancelled': { appointment: MailAppointment; containers: MailContainer[]; reason: string; appointmentsUrl: string };
  'hold-placed': { container: MailContainer; holdUntil: IsoDate; requestsUrl: string };
  'hold-ending': { containers: MailContainer[]; holdUntil: IsoDate; requestsUrl: string };
  'hold-ended': { containers: MailContainer[]; holdUntil: IsoDate; requestsUrl: string };
  /** A note the reading room wrote for the researcher (never a `staff` note). */
  'request-note': { visitDate: IsoDate; container: MailContainer; text: string; requestsUrl: string };
  /** To the instructor, who may have no account: what is booked, and which boxes await a curator. */
  'class-session-booked': { classSession: MailClassSession; containers: MailContainer[] };
  /** To the instructor, once no box of the session awaits a curator: each restricted box's decision. */
  'class-session-decided': { classSession: MailClassSession; decisions: { container: MailContainer; note: string | null }[] };
  /** To the instructor. */
  'class-session-cancelled': { classSession: MailClassSession; reason: string };
}

/** A class session as a mail names it. */
export interface MailClassSession {
  id: number;
  title: string;
  date: IsoDate;
  startTime: string;
  endTime: string;
  roomName: string;
  instructorName: string;
  headcount: number;
}

/** An appointment as a mail names it: its day and room, and the room's zone for its calendar entry. */
export interface MailAppointment {
  id: number;
  date: IsoDate;
  roomName: string;
  timezone: string;
}

export type MailKind = keyof MailData;

export const mailKinds = [
  'verify-email',
  'already-registered',
  'password-reset',
  'requests-submitted',
  'restricted-review',
  'paging-run',
  'closing-time',
  'request-approved',
  'request-denied',
  'waitlist-promoted',
  'request-cancelled',
  'visit-reminder',
  'appointment-booked',
  'appointment-cancelled',
  'hold-placed',
  'hold-ending',
  'hold-ended',
  'request-note',
  'class-session-booked',
  'class-session-decided',
  'class-session-cancelled',
] as const satisfies readonly MailKind[];

/** One e-mail waiting in the outbox. */
export type MailJob = {
  [K in MailKind]: {
    kind: K;
    to: Recipient;
    data: MailData[K];
  };
}[MailKind];

/**
 * Fields that carry a secret (a verification or reset link holds its raw token): the database
 * keeps them only until the mail is sent, then the worker blanks them in the outbox row.
 */
export const secretFields: Partial<Record<MailKind, readonly string[]>> = {
  'verify-email': ['link'],
  'password-reset': ['link'],
};

export const subjects: { [K in MailKind]: (data: MailData[K], libraryName: string) => string } = {
  'verify-email': (_, library) => `Confirm your e-mail address for ${library}`,
  'already-registered': (_, library) => `You already have an account at ${library}`,
  'password-reset': (_, library) => `Reset your ${library} password`,
  'requests-submitted': (d) => `Your requests for ${readableDate(d.visitDate)}`,
  'restricted-review': (d) =>
    `Restricted material to review: ${d.classSession ? `the class "${d.classSession.title}"` : (d.researcher?.name ?? 'a researcher')}, ${readableDate(d.visitDate)}`,
  'paging-run': (d) => `Pick list for ${readableDate(d.visitDate)} (${d.items.length} ${d.items.length === 1 ? 'box' : 'boxes'})`,
  'closing-time': (d) => `Still out at closing on ${readableDate(d.date)}: ${d.items.length} ${d.items.length === 1 ? 'box' : 'boxes'}`,
  'request-approved': (d) =>
    d.container.status === 'waitlisted'
      ? `Approved, on the waiting list: ${d.container.containerLabel} for ${readableDate(d.visitDate)}`
      : `Approved: ${d.container.containerLabel} for ${readableDate(d.visitDate)}`,
  'request-denied': (d) => `Not approved: ${d.container.containerLabel} for ${readableDate(d.visitDate)}`,
  'waitlist-promoted': (d) => `Now scheduled: ${d.container.containerLabel} for ${readableDate(d.visitDate)}`,
  'request-cancelled': (d) => `Cancelled: your requests for ${readableDate(d.visitDate)}`,
  'visit-reminder': (d) => `Your visit on ${readableDate(d.visitDate)}`,
  'appointment-booked': (d) => `Your appointment in ${d.appointment.roomName} on ${readableDate(d.appointment.date)}`,
  'appointment-cancelled': (d) => `Cancelled: your appointment in ${d.appointment.roomName} on ${readableDate(d.appointment.date)}`,
  'hold-placed': (d) => `On hold for you until ${readableDate(d.holdUntil)}: ${d.container.containerLabel}`,
  'hold-ending': (d) => `Your hold ends tomorrow, ${readableDate(d.holdUntil)}`,
  'hold-ended': (d) => `Your hold has ended: ${d.containers.map((c) => c.containerLabel).join(', ')}`,
  'request-note': (d) => `A note on your request: ${d.container.containerLabel} for ${readableDate(d.visitDate)}`,
  'class-session-booked': (d) => `Class session booked: ${d.classSession.title}, ${readableDate(d.classSession.date)}`,
  'class-session-decided': (d) => `Restricted material decided for your class: ${d.classSession.title}, ${readableDate(d.classSession.date)}`,
  'class-session-cancelled': (d) => `Cancelled: your class session ${d.classSession.title}, ${readableDate(d.classSession.date)}`,
};
