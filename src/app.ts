import Fastify, { type FastifyServerOptions } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Database } from '../db/client.ts';
import { calendarRoutes } from './calendar/routes.ts';
import { collectionRoutes } from './collections/routes.ts';
import type { Config } from './config.ts';
import type { Clock } from './domain/calendar.ts';
import { healthRoutes } from './health/routes.ts';
import { registerDocsAndHeaders } from './http/docs.ts';
import { registerErrorHandling } from './http/errors.ts';
import type { RedisProbe } from './redis.ts';
import packageJson from '../package.json' with { type: 'json' };

export interface AppDependencies {
  config: Config;
  db: Database;
  redis: RedisProbe;
  clock: Clock;
  logger?: FastifyServerOptions['logger'];
}

/** The HTTP application, ready to `listen` or to be called through `inject` in tests. */
export async function buildApp({ config, db, redis, clock, logger = false }: AppDependencies) {
  const app = Fastify({
    logger,
    bodyLimit: 64 * 1024,
    trustProxy: config.trustProxy,
  }).withTypeProvider<TypeBoxTypeProvider>();

  registerErrorHandling(app);
  await registerDocsAndHeaders(app, packageJson.version);

  await app.register(healthRoutes, { db, redis, clock });
  await app.register(collectionRoutes, { db });
  await app.register(calendarRoutes, { db, config, clock });

  return app;
}

export type App = Awaited<ReturnType<typeof buildApp>>;
