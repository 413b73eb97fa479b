import helmet from '@fastify/helmet';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';

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
        description: 'Requests and paging for a special-collections reading room. The contract is API.md.',
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
  await app.register(helmet, {
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
