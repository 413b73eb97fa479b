import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Database } from '../../db/client.ts';
import {
  bookingHorizon,
  calendarDays,
  checkRange,
  MAX_RANGE_DAYS,
  earliestVisitDate,
  todayIn,
  type Clock,
  type IsoDate,
} from '../domain/calendar.ts';
import { accountOf } from '../http/auth.ts';
import type { RequestsContext } from '../requests/moves.ts';
import { closeDay, reopenDay } from './closures.ts';
import { errorResponses, IdSchema, IsoDateSchema, Nullable } from '../http/schemas.ts';
import { seatsTaken } from '../appointments/store.ts';
import { seatsLeft } from '../domain/reading-rooms.ts';
import { roomOrFirst } from '../reading-rooms/store.ts';
import { closuresFrom, listClosures } from './store.ts';

export interface CalendarOptions {
  db: Database;
  clock: Clock;
  requests: RequestsContext;
}


const ClosureSchema = Type.Object({
  date: IsoDateSchema,
  reason: Type.String(),
  readingRoomId: Nullable(IdSchema, { description: 'Null: every reading room is closed' }),
});
const RoomQuery = Type.Optional(IdSchema);
const tags = ['calendar'];

export const calendarRoutes: FastifyPluginAsyncTypebox<CalendarOptions> = async (app, { db, clock, requests }) => {
  app.get(
    '/api/v1/calendar',
    {
      schema: {
        tags,
        summary: "A reading room's open and closed days, seats left, and the earliest date a visit can be requested for",
        description: `The room \`readingRoomId\` (default: the first). \`from\` defaults to today in the room's time zone, \`to\` to its booking horizon. At most ${MAX_RANGE_DAYS} days.`,
        querystring: Type.Object({ readingRoomId: RoomQuery, from: Type.Optional(IsoDateSchema), to: Type.Optional(IsoDateSchema) }),
        response: {
          200: Type.Object({
            timezone: Type.String({ examples: ['America/New_York'] }),
            earliestVisitDate: IsoDateSchema,
            days: Type.Array(
              Type.Object({
                date: IsoDateSchema,
                open: Type.Boolean(),
                reason: Type.Optional(Type.String({ description: 'Why the reading room is closed' })),
                seatsLeft: Type.Optional(Nullable(Type.Integer({ minimum: 0 }), { description: 'On an open day: seats not yet booked, null when seats are unlimited' })),
              }),
            ),
          }),
          ...errorResponses(400, 404),
        },
      },
    },
    async (request) => {
      const room = await roomOrFirst(db, request.query.readingRoomId);
      const today = todayIn(room.timezone, clock());
      const from = request.query.from ?? today;
      const to = request.query.to ?? bookingHorizon(today, room.maxAdvanceDays);
      checkRange(from, to);
      const closures = await closuresFrom(db, room.id, from < today ? from : today);
      const taken = room.seats === null ? new Map<IsoDate, number>() : await seatsTaken(db, room.id, from, to);
      return {
        timezone: room.timezone,
        earliestVisitDate: earliestVisitDate(today, closures, room.leadBusinessDays),
        days: calendarDays(from, to, closures).map((day) => (day.open ? { ...day, seatsLeft: seatsLeft(room.seats, taken.get(day.date) ?? 0) } : day)),
      };
    },
  );

  app.get(
    '/api/v1/closures',
    {
      schema: {
        tags,
        summary: 'Days reading rooms are closed besides weekends, oldest first',
        description: 'With `readingRoomId`, the days that room is closed (its own closures and those of every room); without, every closure.',
        querystring: Type.Object({ readingRoomId: RoomQuery, from: Type.Optional(IsoDateSchema), to: Type.Optional(IsoDateSchema) }),
        response: { 200: Type.Object({ items: Type.Array(ClosureSchema) }), ...errorResponses(400) },
      },
    },
    async (request) => ({ items: await listClosures(db, request.query) }),
  );

  app.post(
    '/api/v1/closures',
    {
      config: { access: ['admin'] },
      schema: {
        tags,
        security: [{ bearerAuth: [] }],
        summary: 'Close a reading room, or every room, on a day',
        description:
          'Without `readingRoomId`, every room. A day with active requests needs `"force": true`, which cancels its awaiting, waitlisted, scheduled and paged requests and tells each researcher (holds are left alone: a closed day is simply not a business day). A day with material still delivered or returned cannot be closed.',
        body: Type.Object(
          {
            date: IsoDateSchema,
            reason: Type.String({ minLength: 1, maxLength: 200 }),
            force: Type.Optional(Type.Boolean({ default: false })),
            readingRoomId: Type.Optional(Nullable(IdSchema)),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({ date: IsoDateSchema, reason: Type.String(), readingRoomId: Nullable(IdSchema), cancelledRequests: Type.Integer({ minimum: 0 }) }),
          ...errorResponses(400, 401, 403, 404, 409, 413, 415),
        },
      },
    },
    async (request, reply) => {
      const { date, reason, force = false, readingRoomId = null } = request.body;
      const cancelledRequests = await closeDay(requests, { date, reason, force, readingRoomId }, accountOf(request), clock());
      return reply.code(201).send({ date, reason, readingRoomId, cancelledRequests });
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
        description: "With `readingRoomId`, that room's closure; without, the closure of every room.",
        params: Type.Object({ date: IsoDateSchema }),
        querystring: Type.Object({ readingRoomId: RoomQuery }),
        response: { 204: Type.Null({ description: 'Reopened' }), ...errorResponses(400, 401, 403, 404, 415) },
      },
    },
    async (request, reply) => {
      await reopenDay(requests, request.params.date, request.query.readingRoomId ?? null);
      return reply.code(204).send(null);
    },
  );
};
