import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { and, eq } from 'drizzle-orm';
import type { HTTPMethods, InjectOptions, LightMyRequestResponse } from 'fastify';
import { appointments, classSessions, closures, requests, savedItems, users, type Role } from '../../db/tables.ts';
import { addDays, isWeekend } from '../../src/domain/calendar.ts';
import { findRoom } from '../../src/reading-rooms/store.ts';
import { assertRefusal } from '../helpers/answers.ts';
import { asUser, makeAccount, PASSWORD, signIn } from '../helpers/people.ts';
import { declaredRoutes, type DeclaredRoute } from '../helpers/declared-routes.ts';
import { startReadingRoom, type TestReadingRoom } from '../helpers/reading-room.ts';
import { eadDocument, fileComponent } from '../helpers/ead-documents.ts';

// Who may call what, from docs/api.md, written out by hand: every protected route × every role and no
// token. Then the completeness check: every route the app has is either in this table or in the
// hand-written list of public routes, so a new protected route cannot slip in untested.

type Caller = Role | 'none';
const callers: readonly Caller[] = ['researcher', 'staff', 'curator', 'admin', 'none'];

interface Context {
  /** The caller's password now (POST /me/password changes it). */
  password: string;
  /** A researcher the user routes act on. */
  targetId: number;
  /** The table's researcher, whose requests the rows make; staff request on their behalf too. */
  researcherId: number;
  /** A fresh e-mail address, for bodies that create an account. */
  freshEmail(): string;
  /** A new request of the table's researcher, in the given status (on its own box and day). */
  request(status: 'scheduled' | 'awaiting_approval'): Promise<number>;
  /** A new day the reading room is closed on. */
  closedDay(): Promise<string>;
  /** A new business day that is not closed. */
  openDay(): Promise<string>;
  /** A new request of the table's researcher kept on the hold shelf. */
  heldRequest(): Promise<number>;
  /** A new appointment of the table's researcher: booked on a business day ahead, or today's (booked or attended). */
  appointment(kind: 'ahead' | 'today' | 'attended today'): Promise<number>;
  /** The table's researcher's saved item for a box of GEN MSS 238: the one on the list, or a new one. */
  savedItem(containerId: number): Promise<number>;
  /** A new booked class session (without boxes), to cancel. */
  classSession(): Promise<number>;
}

interface Row {
  /** A page: reached with the browser session and, for a form post, its CSRF token. */
  page?: true;
  method: HTTPMethods;
  /** The route as the app declares it (`:param` included). */
  route: string;
  url(ctx: Context): string | Promise<string>;
  body?(ctx: Context): unknown;
  expect: Record<Caller, number>;
}

const only = (allowed: readonly Role[], status: number): Record<Caller, number> => ({
  researcher: allowed.includes('researcher') ? status : 403,
  staff: allowed.includes('staff') ? status : 403,
  curator: allowed.includes('curator') ? status : 403,
  admin: allowed.includes('admin') ? status : 403,
  none: 401,
});
const everyRole = (status: number) => only(['researcher', 'staff', 'curator', 'admin'], status);
/** A page: as `only`, but a visit without a session is sent to sign in (303). */
const pageFor = (allowed: readonly Role[], status: number): Record<Caller, number> => ({ ...only(allowed, status), none: 303 });
const everyRolePage = (status: number) => pageFor(['researcher', 'staff', 'curator', 'admin'], status);

/** docs/api.md's Accounts and Operations tables. Admins hold every right of staff and curators. */
const table: Row[] = [
  { method: 'GET', route: '/api/v1/me', url: () => '/api/v1/me', expect: everyRole(200) },
  { method: 'PATCH', route: '/api/v1/me', url: () => '/api/v1/me', body: () => ({ name: 'A renamed person', affiliation: 'Beinecke' }), expect: everyRole(200) },
  {
    method: 'POST',
    route: '/api/v1/me/password',
    url: () => '/api/v1/me/password',
    body: (ctx) => ({ currentPassword: ctx.password, newPassword: `${ctx.password}!` }),
    expect: everyRole(200),
  },
  { method: 'POST', route: '/api/v1/auth/logout', url: () => '/api/v1/auth/logout', expect: everyRole(204) },
  {
    method: 'POST',
    route: '/api/v1/users',
    url: () => '/api/v1/users',
    body: (ctx) => ({ email: ctx.freshEmail(), password: PASSWORD, name: 'New Colleague', role: 'staff' }),
    expect: only(['admin'], 201),
  },
  { method: 'PATCH', route: '/api/v1/users/:userId', url: (ctx) => `/api/v1/users/${ctx.targetId}`, body: () => ({ disabled: false }), expect: only(['admin'], 200) },
  { method: 'GET', route: '/api/v1/users', url: () => '/api/v1/users?role=researcher&limit=10', expect: only(['staff', 'curator', 'admin'], 200) },
  {
    method: 'POST',
    route: '/api/v1/users/:userId/identity-verification',
    url: (ctx) => `/api/v1/users/${ctx.targetId}/identity-verification`,
    body: () => ({ documentType: 'passport', note: 'Checked at the desk' }),
    expect: only(['staff', 'admin'], 200),
  },
  { method: 'GET', route: '/admin/queues', url: () => '/admin/queues', expect: only(['admin'], 200) },
  { method: 'GET', route: '/metrics', url: () => '/metrics', expect: only(['admin'], 200) },

  // docs/api.md's Requests table.
  {
    method: 'POST',
    route: '/api/v1/requests',
    url: () => '/api/v1/requests',
    body: () => ({ visitDate: '2026-12-02', containerIds: [2] }),
    expect: only(['researcher'], 201),
  },
  { method: 'GET', route: '/api/v1/requests', url: () => '/api/v1/requests?limit=5', expect: everyRole(200) },
  { method: 'GET', route: '/api/v1/requests/:id', url: async (ctx) => `/api/v1/requests/${await ctx.request('scheduled')}`, expect: everyRole(200) },
  { method: 'GET', route: '/api/v1/requests/:id/events', url: async (ctx) => `/api/v1/requests/${await ctx.request('scheduled')}/events`, expect: everyRole(200) },
  {
    method: 'POST',
    route: '/api/v1/requests/:id/cancel',
    url: async (ctx) => `/api/v1/requests/${await ctx.request('scheduled')}/cancel`,
    body: () => ({ reason: 'Plans changed' }),
    expect: only(['researcher', 'staff', 'admin'], 200),
  },
  {
    method: 'POST',
    route: '/api/v1/requests/:id/approve',
    url: async (ctx) => `/api/v1/requests/${await ctx.request('awaiting_approval')}/approve`,
    body: () => ({ note: 'Handle with care' }),
    expect: only(['curator', 'admin'], 200),
  },
  {
    method: 'POST',
    route: '/api/v1/requests/:id/deny',
    url: async (ctx) => `/api/v1/requests/${await ctx.request('awaiting_approval')}/deny`,
    body: () => ({ reason: 'Use the reference surrogates' }),
    expect: only(['curator', 'admin'], 200),
  },
  {
    method: 'POST',
    route: '/api/v1/requests/:id/transition',
    url: async (ctx) => `/api/v1/requests/${await ctx.request('scheduled')}/transition`,
    body: () => ({ to: 'paged' }),
    expect: only(['staff', 'admin'], 200),
  },
  { method: 'GET', route: '/api/v1/paging/pick-list', url: () => '/api/v1/paging/pick-list?date=2026-12-02', expect: only(['staff', 'admin'], 200) },
  {
    method: 'POST',
    route: '/api/v1/requests/:id/notes',
    url: async (ctx) => `/api/v1/requests/${await ctx.request('scheduled')}/notes`,
    body: () => ({ text: 'Fragile spine: use the cradle.', visibility: 'staff' }),
    expect: only(['staff', 'curator', 'admin'], 201),
  },
  { method: 'GET', route: '/api/v1/requests/:id/notes', url: async (ctx) => `/api/v1/requests/${await ctx.request('scheduled')}/notes`, expect: everyRole(200) },
  { method: 'POST', route: '/api/v1/requests/:id/release', url: async (ctx) => `/api/v1/requests/${await ctx.heldRequest()}/release`, expect: only(['researcher'], 200) },
  { method: 'GET', route: '/api/v1/paging/hold-shelf', url: () => '/api/v1/paging/hold-shelf?date=2026-12-02', expect: only(['staff', 'admin'], 200) },

  // Saved lists: a researcher's own, no one else's (staff and admins included).
  { method: 'GET', route: '/api/v1/me/saved', url: () => '/api/v1/me/saved', expect: only(['researcher'], 200) },
  { method: 'POST', route: '/api/v1/me/saved', url: () => '/api/v1/me/saved', body: () => ({ containerId: 25 }), expect: only(['researcher'], 201) },
  { method: 'DELETE', route: '/api/v1/me/saved/:id', url: async (ctx) => `/api/v1/me/saved/${await ctx.savedItem(27)}`, expect: only(['researcher'], 204) },
  {
    method: 'POST',
    route: '/api/v1/me/saved/submit',
    url: () => '/api/v1/me/saved/submit',
    body: async (ctx) => ({ visitDate: '2026-12-03', ids: [await ctx.savedItem(28)] }),
    expect: only(['researcher'], 201),
  },

  // Reading rooms and appointments.
  {
    method: 'POST',
    route: '/api/v1/reading-rooms',
    url: () => '/api/v1/reading-rooms',
    body: (ctx) => ({ code: `room-${ctx.freshEmail().split('@')[0]}`, name: 'Manuscripts and Archives', timezone: 'America/New_York' }),
    expect: only(['admin'], 201),
  },
  { method: 'PATCH', route: '/api/v1/reading-rooms/:id', url: () => '/api/v1/reading-rooms/1', body: () => ({ holdBusinessDays: 5 }), expect: only(['admin'], 200) },
  { method: 'POST', route: '/api/v1/appointments', url: () => '/api/v1/appointments', body: async (ctx) => ({ readingRoomId: 1, date: await ctx.openDay() }), expect: only(['researcher'], 201) },
  { method: 'GET', route: '/api/v1/appointments', url: () => '/api/v1/appointments?limit=5', expect: only(['researcher', 'staff', 'admin'], 200) },
  { method: 'POST', route: '/api/v1/appointments/:id/cancel', url: async (ctx) => `/api/v1/appointments/${await ctx.appointment('ahead')}/cancel`, expect: only(['researcher', 'staff', 'admin'], 200) },
  { method: 'POST', route: '/api/v1/appointments/:id/check-in', url: async (ctx) => `/api/v1/appointments/${await ctx.appointment('today')}/check-in`, expect: only(['staff', 'admin'], 200) },
  {
    method: 'POST',
    route: '/api/v1/appointments/:id/check-out',
    url: async (ctx) => `/api/v1/appointments/${await ctx.appointment('attended today')}/check-out`,
    expect: only(['staff', 'admin'], 200),
  },
  // Reports: curators (and admins).
  { method: 'GET', route: '/api/v1/reports/usage', url: () => '/api/v1/reports/usage?from=2026-11-01&to=2027-01-31&groupBy=collection', expect: only(['curator', 'admin'], 200) },
  { method: 'GET', route: '/api/v1/reports/service', url: () => '/api/v1/reports/service?from=2026-11-01&to=2027-01-31', expect: only(['curator', 'admin'], 200) },
  // Class sessions: staff and curators.
  {
    method: 'POST',
    route: '/api/v1/class-sessions',
    url: () => '/api/v1/class-sessions',
    body: () => ({
      readingRoomId: 1,
      // A day of its own, before the days openDay gives (each caller's class after the first waits for the box).
      date: '2027-01-05',
      startTime: '14:00',
      endTime: '15:30',
      title: 'Paleography seminar',
      instructorName: 'An Instructor',
      instructorEmail: 'instructor@example.edu',
      headcount: 12,
      containerIds: [2],
    }),
    expect: only(['staff', 'curator', 'admin'], 201),
  },
  { method: 'GET', route: '/api/v1/class-sessions', url: () => '/api/v1/class-sessions?from=2027-01-01&to=2027-12-31', expect: only(['staff', 'curator', 'admin'], 200) },
  { method: 'POST', route: '/api/v1/class-sessions/:id/cancel', url: async (ctx) => `/api/v1/class-sessions/${await ctx.classSession()}/cancel`, expect: only(['staff', 'curator', 'admin'], 200) },
  { method: 'GET', route: '/api/v1/containers/:containerId/history', url: () => '/api/v1/containers/1/history', expect: only(['staff', 'curator', 'admin'], 200) },
  {
    method: 'POST',
    route: '/api/v1/closures',
    url: () => '/api/v1/closures',
    body: async (ctx) => ({ date: await ctx.openDay(), reason: 'Staff training' }),
    expect: only(['admin'], 201),
  },
  { method: 'DELETE', route: '/api/v1/closures/:date', url: async (ctx) => `/api/v1/closures/${await ctx.closedDay()}`, expect: only(['admin'], 204) },
  {
    method: 'POST',
    route: '/api/v1/collections/import',
    url: () => '/api/v1/collections/import',
    body: () => eadDocument({ callNumber: 'MATRIX 1', eadId: 'matrix-1', dsc: fileComponent('m1', 'Letters', '<container type="Box">1</container>') }),
    // The first import makes the collection (201), the others update it in place (200).
    expect: only(['admin'], 201),
  },
  // Staff set where a box is; a curator may not (the field is staff's), though the route is theirs too.
  { method: 'PATCH', route: '/api/v1/containers/:containerId', url: () => '/api/v1/containers/1', body: () => ({ location: 'Stack 4, Range 9, Shelf 1' }), expect: only(['staff', 'admin'], 200) },

  // The pages (issue 7): the same rights as the API, through the browser session. A form post
  // that succeeds answers 303 (to the page that shows its result).
  { page: true, method: 'GET', route: '/collections', url: () => '/collections', expect: everyRolePage(200) },
  { page: true, method: 'GET', route: '/collections/:collectionId', url: () => '/collections/1', expect: everyRolePage(200) },
  // The tree's open and close buttons: back to the collection page, whoever looks at it.
  { page: true, method: 'POST', route: '/collections/:collectionId/view', url: () => '/collections/1/view', body: () => ({ open: '1' }), expect: everyRolePage(303) },
  // A finding-aid site's request link is a researcher's: to the collection page, with the box chosen.
  { page: true, method: 'GET', route: '/request', url: () => '/request?callNumber=GEN%20MSS%20238&container=Box%201', expect: pageFor(['researcher'], 303) },
  { page: true, method: 'GET', route: '/search', url: () => '/search?q=serge', expect: everyRolePage(200) },
  { page: true, method: 'GET', route: '/requests', url: () => '/requests', expect: pageFor(['researcher'], 200) },
  {
    page: true,
    method: 'POST',
    route: '/requests',
    url: () => '/requests',
    body: async (ctx) => ({ visitDate: await ctx.openDay(), collectionId: '1', containerIds: '3' }),
    expect: pageFor(['researcher'], 303),
  },
  { page: true, method: 'GET', route: '/requests/:id', url: async (ctx) => `/requests/${await ctx.request('scheduled')}`, expect: pageFor(['researcher'], 200) },
  { page: true, method: 'POST', route: '/requests/:id/cancel', url: async (ctx) => `/requests/${await ctx.request('scheduled')}/cancel`, expect: pageFor(['researcher'], 303) },
  { page: true, method: 'GET', route: '/paging', url: () => '/paging?date=2026-12-02', expect: pageFor(['staff', 'admin'], 200) },
  {
    page: true,
    method: 'POST',
    route: '/paging/requests/:id/transition',
    url: async (ctx) => `/paging/requests/${await ctx.request('scheduled')}/transition`,
    body: () => ({ to: 'paged' }),
    expect: pageFor(['staff', 'admin'], 303),
  },
  { page: true, method: 'GET', route: '/paging/print', url: () => '/paging/print?date=2026-12-02', expect: pageFor(['staff', 'admin'], 200) },
  { page: true, method: 'GET', route: '/paging/call-slips.pdf', url: () => '/paging/call-slips.pdf?date=2026-12-02', expect: pageFor(['staff', 'admin'], 200) },
  { page: true, method: 'GET', route: '/desk', url: () => '/desk?q=target', expect: pageFor(['staff', 'admin'], 200) },
  {
    page: true,
    method: 'POST',
    route: '/desk/researchers/:userId/identity-check',
    url: (ctx) => `/desk/researchers/${ctx.targetId}/identity-check`,
    body: () => ({ documentType: 'passport' }),
    expect: pageFor(['staff', 'admin'], 303),
  },
  { page: true, method: 'GET', route: '/desk/requests/:id', url: async (ctx) => `/desk/requests/${await ctx.request('scheduled')}`, expect: pageFor(['staff', 'admin'], 200) },
  // Requests on a researcher's behalf (issue 16): the desk's, as the API's researcherId is staff's.
  { page: true, method: 'GET', route: '/desk/on-behalf', url: () => '/desk/on-behalf?q=target', expect: pageFor(['staff', 'admin'], 200) },
  {
    page: true,
    method: 'GET',
    route: '/desk/on-behalf/collections/:collectionId',
    url: (ctx) => `/desk/on-behalf/collections/1?researcherId=${ctx.researcherId}`,
    expect: pageFor(['staff', 'admin'], 200),
  },
  {
    page: true,
    method: 'POST',
    route: '/desk/on-behalf',
    url: () => '/desk/on-behalf',
    body: async (ctx) => ({ researcherId: String(ctx.researcherId), visitDate: await ctx.openDay(), collectionId: '1', containerIds: '3' }),
    expect: pageFor(['staff', 'admin'], 303),
  },
  {
    page: true,
    method: 'POST',
    route: '/desk/requests/:id/notes',
    url: async (ctx) => `/desk/requests/${await ctx.request('scheduled')}/notes`,
    body: () => ({ text: 'Fragile spine: use the cradle.', visibility: 'staff' }),
    expect: pageFor(['staff', 'admin'], 303),
  },
  { page: true, method: 'GET', route: '/review', url: () => '/review', expect: pageFor(['curator', 'admin'], 200) },
  {
    page: true,
    method: 'POST',
    route: '/review/requests/:id/approve',
    url: async (ctx) => `/review/requests/${await ctx.request('awaiting_approval')}/approve`,
    body: () => ({ note: 'Handle with care' }),
    expect: pageFor(['curator', 'admin'], 303),
  },
  {
    page: true,
    method: 'POST',
    route: '/review/requests/:id/deny',
    url: async (ctx) => `/review/requests/${await ctx.request('awaiting_approval')}/deny`,
    body: () => ({ reason: 'Use the reference surrogates' }),
    expect: pageFor(['curator', 'admin'], 303),
  },
  {
    page: true,
    method: 'POST',
    route: '/review/requests/:id/notes',
    url: async (ctx) => `/review/requests/${await ctx.request('awaiting_approval')}/notes`,
    body: () => ({ text: 'Ask the donor first.', visibility: 'staff' }),
    expect: pageFor(['curator', 'admin'], 303),
  },
  { page: true, method: 'GET', route: '/admin', url: () => '/admin', expect: pageFor(['admin'], 200) },
  {
    page: true,
    method: 'POST',
    route: '/admin/closures',
    url: () => '/admin/closures',
    body: async (ctx) => ({ date: await ctx.openDay(), reason: 'Staff training' }),
    expect: pageFor(['admin'], 303),
  },
  { page: true, method: 'POST', route: '/admin/closures/:date/reopen', url: async (ctx) => `/admin/closures/${await ctx.closedDay()}/reopen`, expect: pageFor(['admin'], 303) },
  {
    page: true,
    method: 'POST',
    route: '/admin/users',
    url: () => '/admin/users',
    body: (ctx) => ({ email: ctx.freshEmail(), name: 'A colleague', password: 'a long enough password', role: 'staff' }),
    expect: pageFor(['admin'], 303),
  },
  { page: true, method: 'POST', route: '/admin/users/:userId/role', url: (ctx) => `/admin/users/${ctx.targetId}/role`, body: () => ({ role: 'staff' }), expect: pageFor(['admin'], 303) },
  { page: true, method: 'POST', route: '/admin/users/:userId/access', url: (ctx) => `/admin/users/${ctx.targetId}/access`, body: () => ({ disabled: 'false' }), expect: pageFor(['admin'], 303) },
  // Finding aids' pages: an admin uploads; staff and curators keep the containers, each their own fields
  // (a form outside the role is refused by the domain, 403, as the API is).
  { page: true, method: 'GET', route: '/admin/finding-aids', url: () => '/admin/finding-aids', expect: pageFor(['admin'], 200) },
  { page: true, method: 'POST', route: '/admin/finding-aids', url: () => '/admin/finding-aids', expect: pageFor(['admin'], 400) },
  { page: true, method: 'GET', route: '/containers', url: () => '/containers', expect: pageFor(['staff', 'curator', 'admin'], 200) },
  { page: true, method: 'GET', route: '/collections/:collectionId/containers', url: () => '/collections/1/containers', expect: pageFor(['staff', 'curator', 'admin'], 200) },
  { page: true, method: 'GET', route: '/containers/:containerId', url: () => '/containers/1', expect: pageFor(['staff', 'curator', 'admin'], 200) },
  {
    page: true,
    method: 'POST',
    route: '/containers/:containerId/restriction',
    url: () => '/containers/2/restriction',
    body: () => ({ restricted: 'true', note: 'Fragile binding.' }),
    expect: pageFor(['curator', 'admin'], 303),
  },
  { page: true, method: 'POST', route: '/containers/:containerId/surrogate', url: () => '/containers/2/surrogate', body: () => ({ action: 'remove' }), expect: pageFor(['curator', 'admin'], 303) },
  { page: true, method: 'POST', route: '/containers/:containerId/shelf', url: () => '/containers/2/shelf', body: () => ({ location: 'Stack 4, Range 9, Shelf 1' }), expect: pageFor(['staff', 'admin'], 303) },
  // Reading rooms' pages (issue 15): a researcher's visits and holds, the desk's day, the admin's rooms.
  { page: true, method: 'GET', route: '/visit', url: () => '/visit?month=2026-12', expect: pageFor(['researcher'], 200) },
  { page: true, method: 'POST', route: '/visit/book', url: () => '/visit/book', body: () => ({ room: '1', date: '2026-12-09' }), expect: pageFor(['researcher'], 303) },
  { page: true, method: 'GET', route: '/appointments', url: () => '/appointments', expect: pageFor(['researcher'], 200) },
  { page: true, method: 'POST', route: '/appointments/:id/cancel', url: async (ctx) => `/appointments/${await ctx.appointment('ahead')}/cancel`, expect: pageFor(['researcher'], 303) },
  { page: true, method: 'GET', route: '/appointments/:id/calendar.ics', url: async (ctx) => `/appointments/${await ctx.appointment('ahead')}/calendar.ics`, expect: pageFor(['researcher'], 200) },
  { page: true, method: 'POST', route: '/requests/:id/release', url: async (ctx) => `/requests/${await ctx.heldRequest()}/release`, expect: pageFor(['researcher'], 303) },
  // The saved list's pages (issue 16): a researcher's own.
  { page: true, method: 'GET', route: '/saved', url: () => '/saved?date=2026-12-02', expect: pageFor(['researcher'], 200) },
  { page: true, method: 'POST', route: '/saved', url: () => '/saved', body: () => ({ collectionId: '1', containerIds: '26' }), expect: pageFor(['researcher'], 303) },
  {
    page: true,
    method: 'POST',
    route: '/saved/submit',
    url: () => '/saved/submit',
    body: async (ctx) => ({ visitDate: '2026-12-04', ids: String(await ctx.savedItem(28)) }),
    expect: pageFor(['researcher'], 303),
  },
  { page: true, method: 'POST', route: '/saved/:id/remove', url: async (ctx) => `/saved/${await ctx.savedItem(27)}/remove`, expect: pageFor(['researcher'], 303) },
  { page: true, method: 'GET', route: '/desk/appointments', url: () => '/desk/appointments?date=2026-11-26', expect: pageFor(['staff', 'admin'], 200) },
  { page: true, method: 'POST', route: '/desk/appointments/:id/check-in', url: async (ctx) => `/desk/appointments/${await ctx.appointment('today')}/check-in`, expect: pageFor(['staff', 'admin'], 303) },
  {
    page: true,
    method: 'POST',
    route: '/desk/appointments/:id/check-out',
    url: async (ctx) => `/desk/appointments/${await ctx.appointment('attended today')}/check-out`,
    expect: pageFor(['staff', 'admin'], 303),
  },
  // The desk's class sessions page (issue 16): staff's and curators', as the API is.
  { page: true, method: 'GET', route: '/desk/class-sessions', url: () => '/desk/class-sessions?collectionId=1', expect: pageFor(['staff', 'curator', 'admin'], 200) },
  {
    page: true,
    method: 'POST',
    route: '/desk/class-sessions',
    url: () => '/desk/class-sessions',
    body: () => ({
      readingRoomId: '1',
      // A day of its own, after the API's class (each caller's class after the first waits for the box).
      date: '2027-01-06',
      startTime: '14:00',
      endTime: '15:30',
      title: 'Paleography seminar',
      instructorName: 'An Instructor',
      instructorEmail: 'instructor@example.edu',
      headcount: '12',
      collectionId: '1',
      containerIds: '4',
    }),
    expect: pageFor(['staff', 'curator', 'admin'], 303),
  },
  { page: true, method: 'POST', route: '/desk/class-sessions/:id/cancel', url: async (ctx) => `/desk/class-sessions/${await ctx.classSession()}/cancel`, expect: pageFor(['staff', 'curator', 'admin'], 303) },
  // The reports page (issue 17) and its CSV: curators' (admin implied), as the reports API.
  { page: true, method: 'GET', route: '/reports', url: () => '/reports?from=2026-11-01&to=2027-01-31', expect: pageFor(['curator', 'admin'], 200) },
  { page: true, method: 'GET', route: '/reports/usage.csv', url: () => '/reports/usage.csv?from=2026-11-01&to=2027-01-31&groupBy=collection', expect: pageFor(['curator', 'admin'], 200) },
  { page: true, method: 'GET', route: '/paging/hold-shelf', url: () => '/paging/hold-shelf?date=2026-12-02', expect: pageFor(['staff', 'admin'], 200) },
  { page: true, method: 'GET', route: '/admin/rooms', url: () => '/admin/rooms', expect: pageFor(['admin'], 200) },
  { page: true, method: 'POST', route: '/admin/rooms', url: () => '/admin/rooms', body: (ctx) => roomForm({ code: `room-${ctx.freshEmail().split('@')[0]}` }), expect: pageFor(['admin'], 303) },
  { page: true, method: 'POST', route: '/admin/rooms/:id', url: () => '/admin/rooms/1', body: () => roomForm({}), expect: pageFor(['admin'], 303) },
];

/** The admin's room form: the first room's settings as typed, with `changes`. */
async function roomForm(changes: Record<string, string>): Promise<Record<string, string>> {
  const first = await findRoom(room.db, 1);
  assert.ok(first);
  const { id: _id, pagingTimes, seats, ...settings } = first;
  const typed = Object.fromEntries(Object.entries(settings).map(([name, value]) => [name, String(value)]));
  return { ...typed, seats: seats === null ? '' : String(seats), pagingTimes: pagingTimes.join(', '), ...changes };
}

/**
 * bull-board's own routes under /admin/queues/ (its JSON API and static files): many, and named by
 * bull-board's version, so one row covers them: each is admin-only. Every one of them is still
 * called below by every caller; an admin passes the access check (no 401 or 403, no 5xx).
 */
const DASHBOARD_PREFIX = '/admin/queues/';

/** docs/api.md's Public table, the account routes anyone may call, and the pages their mails link to. */
const publicRoutes: readonly string[] = [
  'GET /health',
  'GET /ready',
  'GET /api/v1/collections',
  'GET /api/v1/collections/:collectionId',
  'GET /api/v1/collections/:collectionId/containers',
  'GET /api/v1/collections/:collectionId/components',
  'GET /api/v1/components/:componentId',
  'GET /api/v1/search',
  'GET /api/v1/calendar',
  'GET /api/v1/closures',
  'GET /api/v1/reading-rooms',
  'POST /api/v1/auth/register',
  'POST /api/v1/auth/verify-email',
  'POST /api/v1/auth/login',
  'POST /api/v1/auth/password-reset',
  'POST /api/v1/auth/password-reset/confirm',
  // The pages of verification and reset mails, their CSRF-protected form posts, and their stylesheet.
  'GET /verify-email',
  'POST /verify-email',
  'GET /reset-password',
  'POST /reset-password',
  'POST /reset-password/request',
  'GET /assets/reading-room.css',
  // The front page, signing in and out, and registering in a browser.
  'GET /',
  'GET /sign-in',
  'POST /sign-in',
  'POST /sign-out',
  'GET /register',
  'POST /register',
  // The OpenAPI document and Swagger UI.
  'GET /docs',
  'GET /docs/json',
  'GET /docs/yaml',
];

/**
 * Documented exemptions from the two lists: HEAD (Fastify adds one per GET, with the GET's
 * config; checked below to be guarded the same) and OPTIONS, and Swagger UI's static assets.
 */
const exempt = (method: string, url: string) => method === 'HEAD' || method === 'OPTIONS' || url.startsWith('/docs/static/');

let room: TestReadingRoom;
const tokens = new Map<Role, string>();
const passwords = new Map<Role, string>();
let targetId: number;
let fresh = 0;

before(async () => {
  room = await startReadingRoom();
  const roles: Role[] = ['researcher', 'staff', 'curator', 'admin'];
  const accounts = await Promise.all(roles.map((role) => makeAccount(room.db, role, { email: `${role}@example.org` })));
  for (const [i, role] of roles.entries()) {
    const account = accounts[i];
    assert.ok(account);
    passwords.set(role, account.password);
    tokens.set(role, await signIn(room.app, account.email, account.password));
  }
  targetId = (await makeAccount(room.db, 'researcher', { email: 'target@example.org' })).user.id;
  researcherId = accounts[0]?.user.id ?? 0;
});
after(() => room.close());

let researcherId: number;
let made = 0;
/**
 * The table's requests are each on a day of their own from here on: after the days `openDay` gives
 * (from 2027-01-20, where closures are made and must find no request).
 */
const REQUEST_DAYS_FROM = '2027-04-01';

/** Each call its own box and day, so no two requests compete for a container. */
async function newRequest(status: 'scheduled' | 'awaiting_approval'): Promise<number> {
  made += 1;
  const containerId = status === 'awaiting_approval' ? 23 : 1 + (made % 22);
  const [row] = await room.db.$writer
    .insert(requests)
    .values({ researcherId, containerId, visitDate: addDays(REQUEST_DAYS_FROM, made), readingRoomId: 1, status })
    .returning({ id: requests.id });
  return row!.id;
}

/** A box of the table's researcher, returned on its visit day and kept on hold for the next. */
async function heldRequest(): Promise<number> {
  made += 1;
  const visitDate = addDays(REQUEST_DAYS_FROM, made);
  const [row] = await room.db.$writer
    .insert(requests)
    .values({ researcherId, containerId: 1 + (made % 22), visitDate, readingRoomId: 1, status: 'on_hold', holdUntil: addDays(visitDate, 1) })
    .returning({ id: requests.id });
  return row!.id;
}

/**
 * An appointment of its own researcher for today (the room's clock stands on Thanksgiving
 * morning, 2026-11-26), or of the table's researcher on a day ahead, to cancel.
 */
async function newAppointment(kind: 'ahead' | 'today' | 'attended today'): Promise<number> {
  made += 1;
  const today = kind !== 'ahead';
  const owner = today
    ? (await room.db.$writer.insert(users).values({ email: `visitor-${made}@example.org`, name: 'A visitor', passwordHash: 'x' }).returning({ id: users.id }))[0]!.id
    : researcherId;
  const [row] = await room.db.$writer
    .insert(appointments)
    .values({
      researcherId: owner,
      readingRoomId: 1,
      date: today ? '2026-11-26' : addDays('2027-03-01', made),
      status: kind === 'attended today' ? 'attended' : 'booked',
      checkedInAt: kind === 'attended today' ? new Date() : null,
    })
    .returning({ id: appointments.id });
  return row!.id;
}

let days = 0;
/** Business days from mid-January 2027 on, one per call: no weekend, no closure. */
async function nextBusinessDay(): Promise<string> {
  const closed = new Set((await room.db.select({ date: closures.date }).from(closures)).map((c) => c.date));
  let day;
  do day = addDays('2027-01-20', days++);
  while (isWeekend(day) || closed.has(day));
  return day;
}

function contextFor(caller: Caller): Context {
  return {
    password: caller === 'none' ? PASSWORD : (passwords.get(caller) ?? PASSWORD),
    targetId,
    researcherId,
    freshEmail: () => `colleague-${++fresh}@example.org`,
    request: newRequest,
    heldRequest,
    appointment: newAppointment,
    savedItem: async (containerId) => {
      await room.db.$writer.insert(savedItems).values({ researcherId, containerId, collectionId: 1 }).onConflictDoNothing();
      const [row] = await room.db.select({ id: savedItems.id }).from(savedItems).where(and(eq(savedItems.researcherId, researcherId), eq(savedItems.containerId, containerId)));
      return row!.id;
    },
    classSession: async () => {
      made += 1;
      const [row] = await room.db.$writer
        .insert(classSessions)
        .values({
          readingRoomId: 1,
          date: addDays('2027-03-01', made),
          startTime: '10:00',
          endTime: '11:00',
          title: 'A class to cancel',
          instructorName: 'An Instructor',
          instructorEmail: 'instructor@example.edu',
          headcount: 5,
          status: 'booked',
          bookedBy: researcherId,
        })
        .returning({ id: classSessions.id });
      return row!.id;
    },
    openDay: nextBusinessDay,
    closedDay: async () => {
      const date = await nextBusinessDay();
      await room.db.$writer.insert(closures).values({ date, reason: 'Closed for the table' });
      return date;
    },
  };
}

const isDashboard = (url: string) => url === '/admin/queues' || url.startsWith(DASHBOARD_PREFIX);

/** The expected status, with the contract's code for a 401 or 403. */
function assertAnswer(response: LightMyRequestResponse, expected: number, url: string, context = url): void {
  if (expected === 401 || expected === 403) {
    assertRefusal(response, expected, expected === 401 ? 'UNAUTHENTICATED' : 'FORBIDDEN', context);
  } else {
    assert.equal(response.statusCode, expected, `${context}: ${response.body.slice(0, 300)}`);
  }
}

async function call(caller: Caller, method: string, url: string, body?: unknown): Promise<LightMyRequestResponse> {
  // A text body is a finding aid (the import takes XML); any other body goes as JSON.
  const payload = body === undefined ? {} : typeof body === 'string' ? { payload: body, headers: { 'content-type': 'application/xml' } } : { payload: body as object };
  const options: InjectOptions = { method: method as HTTPMethods, url, ...payload };
  return asUser(room.app, caller === 'none' ? undefined : tokens.get(caller), options);
}

let csrf: { token: string; cookie: string } | undefined;

/** A page visit as a browser makes it: the session cookie (the caller's token) and, for a post, the CSRF token. */
async function visit(caller: Caller, method: string, url: string, body: Record<string, string> = {}): Promise<LightMyRequestResponse> {
  if (!csrf) {
    const form = await room.app.inject({ method: 'GET', url: '/sign-in' });
    csrf = { token: /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1] ?? '', cookie: String(form.headers['set-cookie']).split(';')[0] ?? '' };
  }
  const session = caller === 'none' ? [] : [`rr_session=${tokens.get(caller)}`];
  const cookie = [...session, csrf.cookie].join('; ');
  if (method !== 'POST') return room.app.inject({ method: method as HTTPMethods, url, headers: { cookie } });
  return room.app.inject({
    method: 'POST',
    url,
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ ...body, _csrf: csrf.token }).toString(),
  });
}

/** A page's answer: a refusal is a page (403), and no session means a redirect to sign in. */
function assertPageAnswer(response: LightMyRequestResponse, expected: number, context: string): void {
  const problem = /class="problem"[^>]*>([^<]*)/.exec(response.body)?.[1];
  assert.equal(response.statusCode, expected, `${context}: ${problem ?? response.body.slice(0, 300)}`);
  if (expected === 303 && response.statusCode === 303 && context.endsWith('by none')) assert.match(String(response.headers.location), /^\/sign-in/, context);
  if (expected === 403) assert.match(String(response.headers['content-type']), /text\/html/, context);
}

/** Calls a row's route as a caller, the way its clients do: a bearer token, or a browser. */
async function send(row: Row, caller: Caller, method: string = row.method): Promise<LightMyRequestResponse> {
  const ctx = contextFor(caller);
  return row.page ? visit(caller, method, await row.url(ctx), (await row.body?.(ctx)) as Record<string, string> | undefined) : call(caller, method, await row.url(ctx), await row.body?.(ctx));
}

describe('who may call which route (docs/api.md, by hand)', () => {
  for (const row of table) {
    for (const caller of callers) {
      const expected = row.expect[caller];
      it(`${row.method} ${row.route} by ${caller === 'none' ? 'no token' : `a ${caller}`} answers ${expected}`, async () => {
        const ctx = contextFor(caller);
        if (row.page) return assertPageAnswer(await send(row, caller), expected, `${row.method} ${row.route} by ${caller}`);
        const response = await call(caller, row.method, await row.url(ctx), await row.body?.(ctx));
        assertAnswer(response, expected, row.route);
        // A password change ends the caller's older tokens: carry on with the new one.
        if (row.route === '/api/v1/me/password' && caller !== 'none' && response.statusCode === 200) {
          tokens.set(caller, response.json().accessToken);
          passwords.set(caller, `${ctx.password}!`);
        }
        // Signing out ends the caller's tokens: sign in again for the rows after it.
        if (row.route === '/api/v1/auth/logout' && caller !== 'none' && response.statusCode === 204) {
          tokens.set(caller, await signIn(room.app, `${caller}@example.org`, ctx.password));
        }
      });
    }
  }
});

/** Every route of a freshly built app, as its onRoute hooks leave it (config.access included). */
async function everyRoute(): Promise<DeclaredRoute[]> {
  const { routes, app } = await declaredRoutes({ config: room.config, db: room.db, redis: room.redis, clock: () => new Date() });
  await app.close();
  return routes;
}

/** A URL for a route: each parameter and wildcard filled with something plausible. */
function urlFor(route: string): string {
  const values: Record<string, string> = { userId: String(targetId), collectionId: '1', queueName: 'notifications', queueStatus: 'failed', jobId: '1', schedulerId: 'nightly' };
  return route.replace(/:(\w+)/g, (_, name: string) => values[name] ?? '1').replace(/\*$/, 'nothing-here.js');
}

describe('the table is complete', () => {
  it('every protected route of the app is in the table, every other route is listed as public, and nothing listed is missing', async () => {
    const routes = await everyRoute();
    assert.ok(routes.length > 20, 'the onRoute hook saw the routes');
    const tableKeys = new Set(table.map((row) => `${row.method} ${row.route}`));
    const missingFromTable: string[] = [];
    const unclassified: string[] = [];
    const publicButProtected: string[] = [];
    for (const { method, url, access } of routes) {
      if (exempt(method, url)) continue;
      const key = `${method} ${url}`;
      if (access !== undefined) {
        if (!tableKeys.has(key) && !url.startsWith(DASHBOARD_PREFIX)) missingFromTable.push(`${key} (access: ${access.join(', ')})`);
        if (publicRoutes.includes(key)) publicButProtected.push(key);
      } else if (!publicRoutes.includes(key)) {
        unclassified.push(key);
      }
    }
    assert.deepEqual(missingFromTable, [], 'protected routes that the table does not cover');
    assert.deepEqual(unclassified, [], 'routes that are neither protected nor listed as public');
    assert.deepEqual(publicButProtected, [], 'routes listed as public that require a role');

    const declared = new Set(routes.map((r) => `${r.method} ${r.url}`));
    assert.deepEqual([...tableKeys].filter((key) => !declared.has(key)), [], 'table rows for routes the app does not have');
    assert.deepEqual(publicRoutes.filter((key) => !declared.has(key)), [], 'public routes the app does not have');
    for (const row of table) {
      const access = routes.find((r) => `${r.method} ${r.url}` === `${row.method} ${row.route}`)?.access;
      assert.ok(access, `${row.method} ${row.route} is protected`);
    }
  });

  it('every route under /admin/queues/ is the admin\'s: 401 without a token, 403 for the other roles, and passes an admin', async () => {
    const dashboard = (await everyRoute()).filter((r) => isDashboard(r.url) && r.method !== 'HEAD');
    assert.ok(dashboard.length > 5, 'bull-board added its routes');
    for (const { method, url, access } of dashboard) {
      assert.deepEqual(access, ['admin'], `${method} ${url}`);
      const target = urlFor(url);
      for (const caller of callers) {
        const response = await call(caller, method, target, method === 'GET' ? undefined : {});
        const context = `${method} ${target} by ${caller}`;
        if (caller === 'none') assertAnswer(response, 401, url, context);
        else if (caller !== 'admin') assertAnswer(response, 403, url, context);
        else assert.ok(response.statusCode !== 401 && response.statusCode !== 403 && response.statusCode < 500, `${context}: ${response.statusCode} ${response.body.slice(0, 200)}`);
      }
    }
  });

  it('a protected GET route\'s HEAD twin is guarded the same way', async () => {
    const heads = (await everyRoute()).filter((r) => r.method === 'HEAD' && r.access !== undefined && !isDashboard(r.url));
    assert.ok(heads.length >= 2);
    for (const { url } of heads) {
      const row = table.find((r) => r.method === 'GET' && r.route === url);
      assert.ok(row, `HEAD ${url} has a GET row`);
      for (const caller of callers) {
        const response = await send(row, caller, 'HEAD');
        assert.equal(response.statusCode, row.expect[caller], `HEAD ${url} by ${caller}`);
      }
    }
  });

  it(
    'a refusal from the queue dashboard has the contract\'s error shape (statusCode, code, error, message) and no stack trace',
    async () => {
      for (const caller of ['none', 'researcher'] as const) {
        const response = await call(caller, 'GET', '/admin/queues');
        assertRefusal(response, caller === 'none' ? 401 : 403, caller === 'none' ? 'UNAUTHENTICATED' : 'FORBIDDEN', `GET /admin/queues by ${caller}`);
      }
    },
  );

  it('every public route answers without a token: never UNAUTHENTICATED or FORBIDDEN', async () => {
    for (const key of publicRoutes) {
      const [method, route] = key.split(' ') as [string, string];
      const response = await call('none', method, urlFor(route), method === 'GET' ? undefined : {});
      const code = response.headers['content-type']?.toString().startsWith('application/json') ? (response.json() as { code?: string }).code : undefined;
      // A page's form post without its CSRF token is 403 CSRF_INVALID: a refusal, but not for want of a role.
      assert.ok(code !== 'UNAUTHENTICATED' && code !== 'FORBIDDEN' && response.statusCode !== 401, `${key}: ${response.statusCode} ${response.body.slice(0, 200)}`);
      assert.ok(response.statusCode < 500, `${key}: ${response.statusCode}`);
    }
  });
});
