import type { IsoDate } from './domain/calendar.ts';

// Every address of a page the reading room gives out, in one place: the paths that pages link and
// redirect to, and the same pages as absolute links for e-mails and call slips.

export const pagePaths = {
  signIn: '/sign-in',
  collections: '/collections',
  requests: '/requests',
  review: '/review',
  collection: (collectionId: number) => `/collections/${collectionId}`,
  /** Staff, curators and admins: the collections, each leading to its containers. */
  containers: '/containers',
  collectionContainers: (collectionId: number) => `/collections/${collectionId}/containers`,
  container: (containerId: number) => `/containers/${containerId}`,
  importFindingAid: '/admin/finding-aids',
  pickList: (date: IsoDate) => `/paging?date=${date}`,
  desk: (search?: string) => (search ? `/desk?q=${encodeURIComponent(search)}` : '/desk'),
  deskRequest: (requestId: number) => `/desk/requests/${requestId}`,
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
    review: link(pagePaths.review),
    pickList: (date: IsoDate) => link(pagePaths.pickList(date)),
    deskRequest: (requestId: number) => link(pagePaths.deskRequest(requestId)),
    verifyEmail: (token: string) => link(pagePaths.verifyEmail(token)),
    resetPassword: (token?: string) => link(pagePaths.resetPassword(token)),
  };
}
