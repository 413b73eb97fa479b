import type { IsoDate } from './domain/calendar.ts';
import type { ReportGrouping } from './domain/reports.ts';

// Every address of a page the reading room gives out, in one place: the paths that pages link and
// redirect to, and the same pages as absolute links for e-mails and call slips.

/** What a collection page shows: the visit date, the open branches of its tree, what is chosen. */
export interface CollectionView {
  date?: IsoDate | undefined;
  open?: readonly number[] | undefined;
  componentIds?: readonly number[] | undefined;
  containerIds?: readonly number[] | undefined;
  /** The component (`c-ID`) or box (`box-ID`) to scroll to. */
  at?: string | undefined;
}

/** A collection page at `path`: the researcher's own, or the desk's for `researcherId`. */
function collectionPath(path: string, view: CollectionView = {}, researcherId?: number): string {
  const query = new URLSearchParams();
  if (researcherId !== undefined) query.append('researcherId', String(researcherId));
  if (view.date) query.append('date', view.date);
  for (const id of view.open ?? []) query.append('open', String(id));
  for (const id of view.componentIds ?? []) query.append('componentIds', String(id));
  for (const id of view.containerIds ?? []) query.append('containerIds', String(id));
  const search = query.size > 0 ? `?${query.toString()}` : '';
  return `${path}${search}${view.at ? `#${view.at}` : ''}`;
}

function roomDayPath(path: string, readingRoomId: number | undefined, date: IsoDate | undefined): string {
  const query = new URLSearchParams();
  if (readingRoomId !== undefined) query.append('room', String(readingRoomId));
  if (date !== undefined) query.append('date', date);
  return query.size > 0 ? `${path}?${query.toString()}` : path;
}

/** What a reports page shows: its range and room (every room when none). */
export interface ReportView {
  from?: IsoDate | undefined;
  to?: IsoDate | undefined;
  readingRoomId?: number | undefined;
}

function reportPath(path: string, view: ReportView & { groupBy?: ReportGrouping }): string {
  const query = new URLSearchParams();
  if (view.from !== undefined) query.append('from', view.from);
  if (view.to !== undefined) query.append('to', view.to);
  if (view.readingRoomId !== undefined) query.append('room', String(view.readingRoomId));
  if (view.groupBy !== undefined) query.append('groupBy', view.groupBy);
  return query.size > 0 ? `${path}?${query.toString()}` : path;
}

export const pagePaths = {
  signIn: '/sign-in',
  collections: '/collections',
  collection: (collectionId: number, view?: CollectionView) => collectionPath(`/collections/${collectionId}`, view),
  /** The tree's open and close buttons post here, and are sent back to the page with what was chosen. */
  collectionView: (collectionId: number) => `/collections/${collectionId}/view`,
  search: (q?: string, more: { collectionId?: number | undefined; cursor?: string | undefined } = {}) => {
    const query = new URLSearchParams();
    if (q !== undefined) query.append('q', q);
    if (more.collectionId !== undefined) query.append('collectionId', String(more.collectionId));
    if (more.cursor !== undefined) query.append('cursor', more.cursor);
    return query.size > 0 ? `/search?${query.toString()}` : '/search';
  },
  requests: '/requests',
  /** A researcher's visits, one of them as a calendar file, and the month to plan one in a room (with the boxes chosen). */
  appointments: '/appointments',
  appointmentCalendar: (appointmentId: number) => `/appointments/${appointmentId}/calendar.ics`,
  planVisit: (readingRoomId?: number, month?: string, containerIds: readonly number[] = []) => {
    const query = new URLSearchParams();
    if (readingRoomId !== undefined) query.append('room', String(readingRoomId));
    if (month !== undefined) query.append('month', month);
    for (const id of containerIds) query.append('containerIds', String(id));
    return query.size > 0 ? `/visit?${query.toString()}` : '/visit';
  },
  /**
   * A researcher's saved list: with a visit date, how each item stands that day; `saved` (the items
   * just saved) and `removed` say what was just done.
   */
  saved: (view: { date?: IsoDate | undefined; saved?: readonly number[]; removed?: boolean } = {}) => {
    const query = new URLSearchParams();
    if (view.date !== undefined) query.append('date', view.date);
    if (view.saved?.length) query.append('saved', view.saved.join(','));
    if (view.removed) query.append('removed', '1');
    return query.size > 0 ? `/saved?${query.toString()}` : '/saved';
  },
  review: '/review',
  /** Staff, curators and admins: the collections, each leading to its containers. */
  containers: '/containers',
  collectionContainers: (collectionId: number) => `/collections/${collectionId}/containers`,
  container: (containerId: number) => `/containers/${containerId}`,
  importFindingAid: '/admin/finding-aids',
  readingRooms: '/admin/rooms',
  pickList: (date: IsoDate) => `/paging?date=${date}`,
  /** The desk's appointments of a day in a room, and the hold shelf of a day in a room (today and the first room when not named). */
  deskAppointments: (readingRoomId?: number, date?: IsoDate) => roomDayPath('/desk/appointments', readingRoomId, date),
  holdShelf: (readingRoomId?: number, date?: IsoDate) => roomDayPath('/paging/hold-shelf', readingRoomId, date),
  classSessions: '/desk/class-sessions',
  classSession: (id: number) => `/desk/class-sessions#class-${id}`,
  /**
   * Curators' reports of a range (the default range, every room, when not named), and their usage
   * rows as CSV, by one grouping.
   */
  reports: (view: ReportView = {}) => reportPath('/reports', view),
  reportCsv: (groupBy: ReportGrouping, view: ReportView = {}) => reportPath('/reports/usage.csv', { ...view, groupBy }),
  desk: (search?: string) => (search ? `/desk?q=${encodeURIComponent(search)}` : '/desk'),
  deskRequest: (requestId: number) => `/desk/requests/${requestId}`,
  /**
   * The desk's requests for a researcher who phones or writes: finding them, then (with the
   * researcher) the collections and what was just made for them; and a collection's page for them.
   */
  onBehalf: (researcherId?: number, made: readonly number[] = []) => {
    const query = new URLSearchParams();
    if (researcherId !== undefined) query.append('researcherId', String(researcherId));
    if (made.length > 0) query.append('made', made.join(','));
    return query.size > 0 ? `/desk/on-behalf?${query.toString()}` : '/desk/on-behalf';
  },
  onBehalfCollection: (collectionId: number, researcherId?: number, view?: CollectionView) => collectionPath(`/desk/on-behalf/collections/${collectionId}`, view, researcherId),
  verifyEmail: (token: string) => `/verify-email?token=${token}`,
  resetPassword: (token?: string) => (token ? `/reset-password?token=${token}` : '/reset-password'),
};

/** A page's path as a link that works from outside the site: PUBLIC_URL before it. */
export const absoluteLink = (publicUrl: string, path: string) => `${publicUrl.replace(/\/+$/, '')}${path}`;

/** The links of e-mails and call slips. */
export function pageLinks(publicUrl: string) {
  const link = (path: string) => absoluteLink(publicUrl, path);
  return {
    signIn: link(pagePaths.signIn),
    requests: link(pagePaths.requests),
    appointments: link(pagePaths.appointments),
    review: link(pagePaths.review),
    pickList: (date: IsoDate) => link(pagePaths.pickList(date)),
    deskRequest: (requestId: number) => link(pagePaths.deskRequest(requestId)),
    verifyEmail: (token: string) => link(pagePaths.verifyEmail(token)),
    resetPassword: (token?: string) => link(pagePaths.resetPassword(token)),
  };
}
