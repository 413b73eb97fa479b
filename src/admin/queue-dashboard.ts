import { createHmac } from 'node:crypto';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { Queue } from 'bullmq';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { sameSecret, SESSION_COOKIE } from '../http/auth.ts';
import { ApiError, sendApiError } from '../http/errors.ts';

export const DASHBOARD_PATH = '/admin/queues';

/**
 * The cookie and header of the dashboard's CSRF token. bull-board's page calls its API with axios,
 * which copies the `XSRF-TOKEN` cookie into an `X-XSRF-TOKEN` header on every same-origin call:
 * the dashboard's own buttons carry the token without a change to bull-board, and a page on
 * another site, or a sibling subdomain (same-site, so it gets the session cookie sent), cannot
 * read the cookie to copy it.
 */
export const DASHBOARD_CSRF_COOKIE = 'XSRF-TOKEN';
const DASHBOARD_CSRF_HEADER = 'x-xsrf-token';

interface DashboardOptions {
  queues: Queue[];
  /** This database's installation id, shown on the board. */
  installation: string;
  /** The key the CSRF token is derived with (kept on the server). */
  csrfKey: Buffer;
  /** Whether cookies are `Secure` (PUBLIC_URL is https). */
  secureCookies: boolean;
}

/**
 * bull-board's view of the queues, for admins only: every route it adds requires the admin role,
 * from a browser session or a bearer token. Its actions (empty, obliterate, add, retry, clean,
 * pause…) need a bearer token, or the session's CSRF token.
 */
export async function queueDashboard(app: FastifyInstance, { queues, installation, csrfKey, secureCookies }: DashboardOptions): Promise<void> {
  app.addHook('onRoute', (route) => {
    route.config = { ...route.config, access: ['admin'], session: 'either' };
    route.schema = { ...route.schema, hide: true };
  });
  // Runs after the access check: whoever gets here is an admin, by bearer token or session cookie.
  // Refusals are sent from the hook, as the access check's are: bull-board's error handler would
  // reshape them.
  app.addHook('onRequest', async (request, reply) => {
    const session = request.cookies[SESSION_COOKIE];
    // A bearer token is never sent by a browser on its own, so it needs no CSRF token.
    if (session === undefined || /^Bearer /.test(request.headers.authorization ?? '')) return;
    const token = csrfToken(csrfKey, session);
    if (request.method === 'GET' || request.method === 'HEAD') {
      if (request.cookies[DASHBOARD_CSRF_COOKIE] !== token) {
        // Readable by the dashboard's script (not HttpOnly), and sent to the dashboard only.
        reply.setCookie(DASHBOARD_CSRF_COOKIE, token, { path: DASHBOARD_PATH, sameSite: 'strict', secure: secureCookies, httpOnly: false });
      }
      return;
    }
    if (!carriesToken(request, token)) {
      return sendApiError(reply, new ApiError(403, 'CSRF_INVALID', 'The queue dashboard acts only with its CSRF token (the X-XSRF-TOKEN header its page sends) or a bearer token.'));
    }
  });
  const serverAdapter = new FastifyAdapter();
  createBullBoard({
    queues: queues.map((q) => new BullMQAdapter(q, { readOnlyMode: false, description: `installation ${installation}` })),
    serverAdapter,
    options: { uiConfig: { boardTitle: `Queues of installation ${installation}` } },
  });
  serverAdapter.setBasePath(DASHBOARD_PATH);
  await app.register(serverAdapter.registerPlugin(), { prefix: DASHBOARD_PATH });
}

/** Bound to the session: a token from another session, or made up, is no good with this one. */
function csrfToken(key: Buffer, session: string): string {
  return createHmac('sha256', key).update(session).digest('base64url');
}

function carriesToken(request: FastifyRequest, token: string): boolean {
  const sent = request.headers[DASHBOARD_CSRF_HEADER];
  return typeof sent === 'string' && sameSecret(sent, token);
}
