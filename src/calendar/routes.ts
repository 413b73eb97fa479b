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
import { ApiError } from '../http/errors.ts';
import { errorResponses, IsoDateSchema } from '../http/schemas.ts';
import { closuresFrom, listClosures } from './store.ts';

export interface CalendarOptions {
  db: Database;
  config: Pick<Config, 'timezone' | 'maxAdvanceDays'>;
  clock: Clock;
}

/** The longest stretch one calendar question may cover. */
const MAX_RANGE_DAYS = 366;

function checkRange(from: IsoDate, to: IsoDate): void {
  const span = daysBetween(from, to);
  if (span < 0) throw new ApiError(400, 'INVALID_RANGE', `The range ends (${to}) before it starts (${from}).`);
  if (span + 1 > MAX_RANGE_DAYS) {
    throw new ApiError(400, 'INVALID_RANGE', `A range may cover at most ${MAX_RANGE_DAYS} days; ${from} to ${to} covers ${span + 1}.`);
  }
}

const ClosureSchema = Type.Object({ date: IsoDateSchema, reason: Type.String() });
const tags = ['calendar'];

export const calendarRoutes: FastifyPluginAsyncTypebox<CalendarOptions> = async (app, { db, config, clock }) => {
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
};
