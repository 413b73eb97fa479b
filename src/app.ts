import { createHmac } from 'node:crypto';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Queue } from 'bullmq';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import fp from 'fastify-plugin';
import type { Database } from '../db/client.ts';
import { installationId } from '../db/installation.ts';
import { ACCOUNT_ROUTES_PER_IP, authRoutes } from './accounts/auth-routes.ts';
import { queueNamespace } from '../workers/queues.ts';
import { perIpCounts } from './http/per-ip-counts.ts';
import { meRoutes } from './accounts/me-routes.ts';
import { userRoutes } from './accounts/user-routes.ts';
import { queueDashboard } from './admin/queue-dashboard.ts';
import { pages } from './pages/index.ts';
import { pageRefusal } from './pages/refusal.ts';
import { cookiesSecure } from './pages/session.ts';
import { pagingRoutes } from './paging/routes.ts';
import { requestsContext } from './requests/moves.ts';
import { appointmentRoutes } from './appointments/routes.ts';
import { classSessionRoutes } from './class-sessions/routes.ts';
import { reportRoutes } from './reports/routes.ts';
import { readingRoomRoutes } from './reading-rooms/routes.ts';
import { noteRoutes } from './requests/note-routes.ts';
import { requestRoutes } from './requests/routes.ts';
import { savedRoutes } from './saved/routes.ts';
import { calendarRoutes } from './calendar/routes.ts';
import { collectionRoutes } from './collections/routes.ts';
import { findingAidRoutes } from './finding-aids/routes.ts';
import { searchRoutes } from './finding-aids/search-routes.ts';
import type { Config } from './config.ts';
import type { Clock } from './domain/calendar.ts';
import { healthRoutes } from './health/routes.ts';
import { metricsRoutes } from './metrics/routes.ts';
import { accessCheckPlugin } from './http/auth.ts';
import { registerDocsAndHeaders } from './http/docs.ts';
import { ApiError, frameworkError, registerErrorHandling } from './http/errors.ts';
import { resolveJwtSecret } from './accounts/jwt-secret.ts';
import { refuseUnstorableValues } from './http/unstorable-values.ts';
import { OneLinePerRequest } from './http/request-log.ts';
import { compiledWhenFirstUsed } from './http/schema-compilers.ts';
import { errorResponses } from './http/schemas.ts';
import type { RedisProbe } from './redis.ts';
import { requestStarted } from './caches.ts';
import packageJson from '../package.json' with { type: 'json' };

export interface AppDependencies {
  config: Config;
  db: Database;
  redis: RedisProbe;
  clock: Clock;
  /** The BullMQ queues the admin dashboard shows. */
  queues?: Queue[];
  /** pino, as `npm start` sets it up; tests leave it out and log nothing. */
  logger?: FastifyBaseLogger;
}

/**
 * TRUST_PROXY's hop count as Fastify needs it: Fastify takes a number but trusts no hop with it,
 * since it cannot tell a proxy from a client that writes enough hops itself. Setting a count says
 * that only the proxies can reach the reading room (README, Configuration).
 */
const trustedHops = (hops: number) => (_address: string, hop: number) => hop < hops;

/** The HTTP application, ready to `listen` or to be called through `inject` in tests. */
export async function buildApp({ config, db, redis, clock, queues = [], logger }: AppDependencies) {
  const app = Fastify({
    ...(logger ? { loggerInstance: logger } : { logger: false }),
    bodyLimit: 64 * 1024,
    trustProxy: typeof config.trustProxy === 'number' ? trustedHops(config.trustProxy) : config.trustProxy,
    frameworkErrors: frameworkError,
    logController: new OneLinePerRequest(),
    schemaController: compiledWhenFirstUsed,
  }).withTypeProvider<TypeBoxTypeProvider>();

  // Reads of this request may share one look at whether the database changed (src/caches.ts).
  app.addHook('onRequest', (_request, _reply, done) => {
    requestStarted();
    done();
  });
  registerErrorHandling(app);
  refuseUnstorableValues(app);
  // A route with path parameters can also be refused by the router itself: a parameter longer
  // than it takes is 414 (see frameworkError). Documented here for every such route at once.
  app.addHook('onRoute', (route) => {
    const schema = route.schema as { params?: unknown; response?: Record<string, unknown> } | undefined;
    if (schema?.params && schema.response) schema.response = { ...schema.response, ...errorResponses(414) };
  });
  await app.register(fp(metricsRoutes), { db, clock, queues });
  await registerDocsAndHeaders(app, packageJson.version);
  const installation = await installationId(db);
  // The per-IP limit of the account routes, counted in Redis for all API processes together: one
  // hook shared by all of them.
  await app.register(rateLimit, {
    global: false,
    store: perIpCounts(redis.connection, `${queueNamespace(config.queuePrefix, installation)}:per-ip:`),
    errorResponseBuilder: (_request, context) =>
      new ApiError(429, 'RATE_LIMITED', `Too many attempts from your network; try again in ${context.after}.`),
  });
  const perIpLimit = app.rateLimit(ACCOUNT_ROUTES_PER_IP);
  const jwtSecret = resolveJwtSecret(config);
  // Cookies are read before the access check, which takes the browser session from one.
  await app.register(cookie, { secret: createHmac('sha256', jwtSecret).update('cookies').digest('base64url') });
  await app.register(accessCheckPlugin, { db, secret: jwtSecret, metricsToken: config.metricsToken, pageRefusal: pageRefusal(config, clock) });

  const accounts = { db, publicUrl: config.publicUrl, clock };
  await app.register(healthRoutes, { db, redis, clock });
  await app.register(collectionRoutes, { db, clock, config });
  await app.register(findingAidRoutes, { db, clock, config });
  await app.register(searchRoutes, { db });
  const requests = requestsContext(db, config);
  await app.register(calendarRoutes, { db, clock, requests });
  await app.register(requestRoutes, { ctx: requests, clock });
  await app.register(noteRoutes, { ctx: requests, clock });
  await app.register(savedRoutes, { ctx: requests, clock });
  await app.register(readingRoomRoutes, { db, clock });
  await app.register(appointmentRoutes, { ctx: requests, clock });
  await app.register(classSessionRoutes, { ctx: requests, clock });
  await app.register(reportRoutes, { db, clock });
  await app.register(pagingRoutes, { db });
  await app.register(authRoutes, { ...accounts, perIpLimit });
  await app.register(meRoutes, accounts);
  await app.register(userRoutes, accounts);
  await app.register(queueDashboard, {
    queues,
    installation,
    csrfKey: createHmac('sha256', jwtSecret).update('queue dashboard CSRF').digest(),
    secureCookies: cookiesSecure(config.publicUrl),
  });
  await app.register(pages, { db, config, clock, requests, perIpLimit });

  return app;
}

export type App = Awaited<ReturnType<typeof buildApp>>;
