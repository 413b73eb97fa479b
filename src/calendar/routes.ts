import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Database } from '../../db/client.ts';
import type { Config } from '../config.ts';
import {
  bookingHorizon,
  calendarDays,
  daysBetween,
  earliestVisitDate,
  todayIn,
  type Clock,
  type IsoDate,
} from '../domain/calendar.ts';
import { accountOf } from '../http/auth.ts';
import { Refusal } from '../domain/refusal.ts';
import type { RequestsContext } from '../requests/moves.ts';
import { closeDay, reopenDay } from './closures.ts';
import { errorResponses, IsoDateSchema } from '../http/schemas.ts';
import { closuresFrom, listClosures } from './store.ts';

export interface CalendarOptions {
  db: Database;
  config: Pick<Config, 'timezone' | 'maxAdvanceDays'>;
  clock: Clock;
  requests: RequestsContext;
}

/** The longest stretch one calendar question may cover. */
const MAX_RANGE_DAYS = 366;

function checkRange(from: IsoDate, to: IsoDate): void {
  const span = daysBetween(from, to);
  if (span < 0) throw new Refusal('INVALID_RANGE', `The range ends (${to}) before it starts (${from}).`);
  if (span + 1 > MAX_RANGE_DAYS) {
    throw new Refusal('INVALID_RANGE', `A range may cover at most ${MAX_RANGE_DAYS} days; ${from} to ${to} covers ${span + 1}.`);
  }
}

const ClosureSchema = Type.Object({ date: IsoDateSchema, reason: Type.String() });
const tags = ['calendar'];

export const calendarRoutes: FastifyPluginAsyncTypebox<CalendarOptions> = async (app, { db, config, clock, requests }) => {
  app.get(
    '/api/v1/calendar',
    {
      schema: {
        tags,
        summary: 'Open and closed days, and the earliest date a visit can be requested for',
        description: `\`from\` defaults to today in the reading room's time zone, \`to\` to the booking horizon. At most ${MAX_RANGE_DAYS} days.`,
        querystring: Type.Object({ from: Type.Optional(IsoDateSchema), to: Type.Optional(IsoDateSchema) }),
        response: {
          200: Type.Object({
            timezone: Type.String({ examples: ['America/New_York'] }),
            earliestVisitDate: IsoDateSchema,
            days: Type.Array(
              Type.Object({
                date: IsoDateSchema,
                open: Type.Boolean(),
                reason: Type.Optional(Type.String({ description: 'Why the reading room is closed' })),
              }),
            ),
          }),
          ...errorResponses(400),
        },
      },
    },
    async (request) => {
      const today = todayIn(config.timezone, clock());
      const from = request.query.from ?? today;
      const to = request.query.to ?? bookingHorizon(today, config.maxAdvanceDays);
      checkRange(from, to);
      const closures = closuresFrom(db, from < today ? from : today);
      return {
        timezone: config.timezone,
        earliestVisitDate: earliestVisitDate(today, closures),
        days: calendarDays(from, to, closures),
      };
    },
  );

  app.get(
    '/api/v1/closures',
    {
      schema: {
        tags,
        summary: 'Days the reading room is closed besides weekends, oldest first',
        querystring: Type.Object({ from: Type.Optional(IsoDateSchema), to: Type.Optional(IsoDateSchema) }),
        response: { 200: Type.Object({ items: Type.Array(ClosureSchema) }), ...errorResponses(400) },
      },
    },
    async (request) => ({ items: listClosures(db, request.query) }),
  );

  app.post(
    '/api/v1/closures',
    {
      config: { access: ['admin'] },
      schema: {
        tags,
        security: [{ bearerAuth: [] }],
        summary: 'Close the reading room on a day',
        description:
          'A day with active requests needs `"force": true`, which cancels its awaiting, waitlisted, scheduled and paged requests and tells each researcher. A day with material still delivered or returned cannot be closed.',
        body: Type.Object(
          { date: IsoDateSchema, reason: Type.String({ minLength: 1, maxLength: 200 }), force: Type.Optional(Type.Boolean({ default: false })) },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({ date: IsoDateSchema, reason: Type.String(), cancelledRequests: Type.Integer({ minimum: 0 }) }),
          ...errorResponses(400, 401, 403, 409, 413, 415),
        },
      },
    },
    async (request, reply) => {
      const { date, reason, force = false } = request.body;
      const cancelledRequests = closeDay(requests, date, reason, force, accountOf(request), clock());
      return reply.code(201).send({ date, reason, cancelledRequests });
    },
  );

  app.delete(
    '/api/v1/closures/:date',
    {
      config: { access: ['admin'] },
      schema: {
        tags,
        security: [{ bearerAuth: [] }],
        summary: 'Open a closed day again',
        params: Type.Object({ date: IsoDateSchema }),
        response: { 204: Type.Null({ description: 'Reopened' }), ...errorResponses(400, 401, 403, 404, 415) },
      },
    },
    async (request, reply) => {
      reopenDay(requests, request.params.date);
      return reply.code(204).send(null);
    },
  );
};
