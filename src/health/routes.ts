import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Database } from '../../db/client.ts';
import { installationId } from '../../db/installation.ts';
import type { Clock } from '../domain/calendar.ts';
import { ApiError } from '../http/errors.ts';
import { errorResponses } from '../http/schemas.ts';
import type { RedisProbe } from '../redis.ts';
import { outboxLagSeconds } from './outbox-lag.ts';

export interface HealthOptions {
  db: Database;
  redis: RedisProbe;
  clock: Clock;
}

const Readiness = Type.Object({
  status: Type.Literal('ready'),
  redis: Type.Union([Type.Literal('up'), Type.Literal('down')]),
  outboxLagSeconds: Type.Number({ description: 'Age in seconds of the oldest side effect not yet completed; 0 when none waits' }),
  installation: Type.String({
    description: "This database's installation id: its queues, job ids and Message-IDs carry it, apart from every other database on the same Redis",
  }),
});

export const healthRoutes: FastifyPluginAsyncTypebox<HealthOptions> = async (app, { db, redis, clock }) => {
  app.get(
    '/health',
    {
      schema: {
        tags: ['operations'],
        summary: 'The process is alive',
        response: { 200: Type.Object({ status: Type.Literal('ok') }) },
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/ready',
    {
      schema: {
        tags: ['operations'],
        summary: 'The database answers; Redis is reported but not required',
        description:
          'Redis being down is no reason to stop serving: requests are still accepted and their side effects wait in the outbox.',
        response: { 200: Readiness, ...errorResponses(503) },
      },
    },
    async () => {
      let lag: number;
      let installation: string;
      try {
        lag = await outboxLagSeconds(db, clock());
        installation = await installationId(db);
      } catch (error) {
        app.log.error({ err: error }, 'SQLite does not answer');
        throw new ApiError(503, 'NOT_READY', 'The database does not answer.');
      }
      return { status: 'ready' as const, redis: await redis.status(), outboxLagSeconds: lag, installation };
    },
  );
};
