import helmet from 'helmet';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * The OpenAPI document (generated from the routes' schemas) at /docs/json, Swagger UI at /docs,
 * and helmet's headers, with a content security policy that lets Swagger UI's own scripts run.
 */
export async function registerDocsAndHeaders(app: FastifyInstance, version: string): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Reading Room API',
        version,
        description:
          'Requests and paging for a special-collections reading room. The reference (statuses and their changes, booking rules, error codes, e-mails, configuration) is the docs/ folder of the project (docs/README.md), which every copy of the code carries.',
      },
      tags: [
        { name: 'collections', description: 'Collections, their series and containers' },
        { name: 'calendar', description: 'Open days, closures and the earliest visit date' },
        { name: 'accounts', description: 'Registration, sign-in, passwords and your own account' },
        { name: 'users', description: 'Accounts as admins and desk staff see them' },
        { name: 'requests', description: 'Requests for containers, their decisions and their history' },
        { name: 'saved', description: "A researcher's saved list: boxes and folders kept without a date, then requested together" },
        { name: 'paging', description: 'Pick lists and the chain of custody' },
        { name: 'reading rooms', description: 'Reading rooms and their settings' },
        { name: 'finding aids', description: 'EAD finding aids: import, the tree of components, search' },
        { name: 'appointments', description: "Researchers' appointments and seats" },
        { name: 'class-sessions', description: 'Classes taught in a reading room with their boxes' },
        { name: 'reports', description: 'How the collections were used and the reading rooms served, for curators' },
        { name: 'operations', description: 'Health and readiness' },
      ],
      components: {
        securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  await app.register(securityHeaders, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        scriptSrc: ["'self'", ...app.swaggerCSP.script],
        styleSrc: ["'self'", ...app.swaggerCSP.style],
        // Served over plain HTTP on a workstation; a reverse proxy adds TLS in production.
        upgradeInsecureRequests: null,
      },
    },
  });
}

type HelmetOptions = Parameters<typeof helmet>[0];

/**
 * The headers helmet's middleware sets with `options`, read once by running it against a response
 * that only records them. Every directive here is fixed (no per-request nonce), so each answer
 * gets the same set: names as helmet writes them, in lower case (as Fastify keeps reply headers).
 */
export function helmetHeaders(options: HelmetOptions): Readonly<Record<string, string>> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader: (name: string, value: string | number) => (headers[name.toLowerCase()] = String(value)),
    removeHeader: (name: string) => delete headers[name.toLowerCase()],
  };
  let finished = false;
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error instanceof Error ? error : new Error('helmet refused its options');
    finished = true;
  });
  if (!finished) throw new Error('helmet did not set its headers at once');
  return Object.freeze(headers);
}

/**
 * The content security policy of answers that are data, not pages (JSON, the metrics' text): such an
 * answer loads nothing and is framed by no one, as OWASP's REST security advice has it. Stricter than
 * the pages' policy, and a quarter of the bytes of helmet's headers fewer on every API answer.
 */
const DATA_POLICY = { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } };

/** Routes whose answers are data: the API, health, readiness and metrics. */
const isDataUrl = (url: string) => url.startsWith('/api/') || url === '/health' || url === '/ready' || url.startsWith('/metrics');

/**
 * helmet's headers on every answer, set from hooks as early as any answer can be given. Running
 * helmet's middleware on each request (13 middlewares, the content security policy written anew,
 * one `setHeader` check each) cost more than the rest of the headers' work: the same headers are
 * computed once (helmetHeaders) and put on each reply in one call. Pages get the policy of
 * `options`; data answers the same headers with DATA_POLICY.
 */
const securityHeaders = fp(async (app: FastifyInstance, options: HelmetOptions) => {
  const forPages = helmetHeaders(options);
  // Object.assign, not a spread: a spread makes TypeScript expand helmet's option union into some
  // 250 object types, seconds of every type check.
  const forData = helmetHeaders(Object.assign({}, options, { contentSecurityPolicy: DATA_POLICY }));
  app.addHook('onRequest', (request, reply, done) => {
    reply.headers(isDataUrl(request.url) ? forData : forPages);
    done();
  });
});
