import helmet from 'helmet';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
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
        { name: 'paging', description: 'Pick lists and the chain of custody' },
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
 * helmet's headers on every answer. @fastify/helmet builds helmet's middleware anew on each request
 * (parsing the content security policy each time), about a tenth of a small answer's cost: here
 * it is built once, and run on each request as @fastify/helmet runs it.
 */
const securityHeaders = fp(async (app: FastifyInstance, options: HelmetOptions) => {
  const setHeaders = helmet(options);
  app.addHook('onRequest', (request, reply, done) => setHeaders(request.raw, reply.raw, (error) => done(error as Error | undefined)));
});
