import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from '../../db/client.ts';
import type { Role } from '../../db/tables.ts';
import type { PerIpLimit } from '../accounts/auth-routes.ts';
import { PASSWORD_MAX, PASSWORD_MIN } from '../accounts/secrets.ts';
import { userView } from '../accounts/users.ts';
import type { Config } from '../config.ts';
import { todayIn, type Clock } from '../domain/calendar.ts';
import { apiErrorOf, type ApiError } from '../http/errors.ts';
import { pagePaths } from '../links.ts';
import { readableDate } from '../wording.ts';
import type { RequestsContext } from '../requests/moves.ts';
import { htmlTemplates } from '../templates.ts';

/** What every page plugin gets: the domain's contexts and the page tools. */
export interface PageOptions {
  db: Database;
  config: Config;
  clock: Clock;
  requests: RequestsContext;
  perIpLimit: PerIpLimit;
}

/** Where each role lands after signing in, and the links of its navigation. */
export const homeOf: Record<Role, string> = { researcher: '/requests', staff: '/paging', curator: '/review', admin: '/admin' };

const navigation: Record<Role, { href: string; label: string }[]> = {
  researcher: [
    { href: '/collections', label: 'Collections' },
    { href: '/search', label: 'Search' },
    { href: pagePaths.saved(), label: 'Saved' },
    { href: pagePaths.planVisit(), label: 'Plan a visit' },
    { href: pagePaths.appointments, label: 'My appointments' },
    { href: '/requests', label: 'My requests' },
  ],
  staff: [
    { href: '/paging', label: 'Pick list' },
    { href: '/desk', label: 'Desk' },
    { href: pagePaths.onBehalf(), label: 'Request for a researcher' },
    { href: pagePaths.deskAppointments(), label: 'Appointments' },
    { href: pagePaths.holdShelf(), label: 'Hold shelf' },
    { href: pagePaths.classSessions, label: 'Class sessions' },
    { href: '/collections', label: 'Collections' },
    { href: pagePaths.containers, label: 'Containers' },
    { href: '/search', label: 'Search' },
  ],
  curator: [
    { href: '/review', label: 'Restricted requests' },
    { href: pagePaths.classSessions, label: 'Class sessions' },
    { href: pagePaths.reports(), label: 'Reports' },
    { href: '/collections', label: 'Collections' },
    { href: pagePaths.containers, label: 'Containers' },
    { href: '/search', label: 'Search' },
  ],
  admin: [
    { href: '/admin', label: 'Administration' },
    { href: pagePaths.readingRooms, label: 'Reading rooms' },
    { href: '/paging', label: 'Pick list' },
    { href: '/desk', label: 'Desk' },
    { href: pagePaths.classSessions, label: 'Class sessions' },
    { href: '/review', label: 'Restricted requests' },
    { href: pagePaths.reports(), label: 'Reports' },
    { href: pagePaths.containers, label: 'Containers' },
  ],
};

/**
 * Renders templates/pages/<page>.eta in the layout: the library's name, the signed-in person and
 * their navigation, a fresh CSRF token for the forms, and `readableDate` ("Tuesday 1 December 2026").
 */
export function renderPage(
  request: FastifyRequest,
  reply: FastifyReply,
  config: Pick<Config, 'libraryName' | 'timezone'>,
  clock: Clock,
  page: string,
  data: Record<string, unknown> & { title: string },
  status = 200,
): FastifyReply {
  const account = request.account ? userView(request.account) : null;
  const html = htmlTemplates.render(`./pages/${page}.eta`, {
    libraryName: config.libraryName,
    account,
    nav: account ? navigation[account.role] : [],
    path: request.url.split('?')[0],
    // Pages carry forms (sign out, at least); a refusal outside the pages' context has none.
    csrfToken: typeof reply.generateCsrf === 'function' ? reply.generateCsrf() : '',
    today: todayIn(config.timezone, clock()),
    readableDate,
    passwordMin: PASSWORD_MIN,
    passwordMax: PASSWORD_MAX,
    problem: null,
    notice: null,
    ...data,
  });
  return reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(html);
}

/** `renderPage` for a plugin's pages, with the configuration and clock they all share. */
export const pageRenderer =
  (config: Pick<Config, 'libraryName' | 'timezone'>, clock: Clock) =>
  (request: FastifyRequest, reply: FastifyReply, template: string, data: Record<string, unknown> & { title: string }, status?: number) =>
    renderPage(request, reply, config, clock, template, data, status);

type Page = ReturnType<typeof pageRenderer>;

/**
 * The page for something asked for that is not there (404), with a way on: each part of the site
 * sends people back to where they can find what they looked for.
 */
export const notFoundPage =
  (page: Page, way: { href: string; label: string }) =>
  (request: FastifyRequest, reply: FastifyReply, title: string, message: string) =>
    page(request, reply, 'message', { title, message, problem: true, link: way }, 404);

export type Attempt<T> = { ok: true; value: T } | { ok: false; refusal: ApiError };

/**
 * Runs a domain operation for a form post: a refusal (a rule of the reading room, a 4xx) comes
 * back to be shown on the page, not as JSON; anything else is a failure and is thrown.
 */
export async function attempt<T>(work: () => T | Promise<T>): Promise<Attempt<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    const refusal = apiErrorOf(error);
    if (refusal && refusal.statusCode < 500) return { ok: false, refusal };
    throw error;
  }
}

/**
 * Control characters and backslashes: a browser drops tabs and newlines from a Location and reads
 * `\\` as `/`, so `/\t/evil.example` would take it to `//evil.example`. In the path they are refused
 * percent-encoded too, for whatever decodes a path before reading it; a query may hold anything
 * encoded (a search for a name).
 */
// eslint-disable-next-line no-control-regex -- control characters are what this refuses
const MISREAD = /[\u0000-\u001f\u007f\\]/;
const MISREAD_IN_PATH = /%[01][0-9a-f]|%7f|%5c/i;

/**
 * `candidate` as a path on this site, path and query only, or undefined when it is anything else
 * (another origin, `//host`, or text a browser would misread). It is resolved against the site's
 * own origin, as the browser will, and must still be there afterwards: `/a/..//evil.example`
 * resolves to `//evil.example`.
 */
export function pathOnThisSite(candidate: string | undefined, config: Pick<Config, 'publicUrl'>): string | undefined {
  if (!candidate?.startsWith('/') || candidate.startsWith('//') || MISREAD.test(candidate)) return undefined;
  const origin = new URL(config.publicUrl).origin;
  const url = URL.parse(candidate, origin);
  if (url?.origin !== origin || url.pathname.startsWith('//') || MISREAD_IN_PATH.test(url.pathname)) return undefined;
  return `${url.pathname}${url.search}`;
}

/** Every redirect of the pages: a 303 to `target` when it is a path on this site, else to `fallback`. */
export function seeOther(reply: FastifyReply, config: Pick<Config, 'publicUrl'>, target: string | undefined, fallback = '/'): FastifyReply {
  return reply.redirect(pathOnThisSite(target, config) ?? fallback, 303);
}
