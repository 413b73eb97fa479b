import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Database } from '../../db/client.ts';
import type { Clock } from '../domain/calendar.ts';
import { ApiError } from '../http/errors.ts';
import { errorResponses, IdSchema, IsoDateSchema, Nullable } from '../http/schemas.ts';
import { holdShelf } from '../paging/pick-list.ts';
import { isTimeZone, LOCAL_TIME_PATTERN, PAGING_TIMES_MAX, ROOM_CODE_PATTERN, roomDefaults, roomSettingBounds as bounds } from '../domain/reading-rooms.ts';
import { allRooms, createRoom, roomOrFirst, updateRoom } from './store.ts';

const LocalTime = Type.String({ pattern: LOCAL_TIME_PATTERN, examples: ['09:00'] });

const settingsFields = {
  code: Type.String({ pattern: ROOM_CODE_PATTERN, examples: ['beinecke'], description: 'A short name, unique (case ignored)' }),
  name: Type.String({ minLength: 1, maxLength: 200 }),
  timezone: Type.String({ minLength: 1, maxLength: 64, examples: ['America/New_York'], description: 'An IANA time zone' }),
  seats: Nullable(Type.Integer(bounds.seats), { description: 'Null: unlimited' }),
  leadBusinessDays: Type.Integer(bounds.leadBusinessDays),
  dailyItemLimit: Type.Integer(bounds.dailyItemLimit),
  maxAdvanceDays: Type.Integer(bounds.maxAdvanceDays),
  holdBusinessDays: Type.Integer(bounds.holdBusinessDays),
  classLeadBusinessDays: Type.Integer(bounds.classLeadBusinessDays),
  classItemLimit: Type.Integer(bounds.classItemLimit),
  pagingTimes: Type.Array(LocalTime, { minItems: 1, maxItems: PAGING_TIMES_MAX, description: 'Local pull times' }),
  closingTime: LocalTime,
};

export const ReadingRoomSchema = Type.Object({ id: IdSchema, ...settingsFields });

const { code, name, timezone, ...optionalSettings } = settingsFields;
const NewRoom = Type.Object(
  {
    code,
    name,
    timezone,
    seats: Type.Optional(optionalSettings.seats),
    leadBusinessDays: Type.Optional(optionalSettings.leadBusinessDays),
    dailyItemLimit: Type.Optional(optionalSettings.dailyItemLimit),
    maxAdvanceDays: Type.Optional(optionalSettings.maxAdvanceDays),
    holdBusinessDays: Type.Optional(optionalSettings.holdBusinessDays),
    classLeadBusinessDays: Type.Optional(optionalSettings.classLeadBusinessDays),
    classItemLimit: Type.Optional(optionalSettings.classItemLimit),
    pagingTimes: Type.Optional(optionalSettings.pagingTimes),
    closingTime: Type.Optional(optionalSettings.closingTime),
  },
  { additionalProperties: false },
);
const RoomChanges = Type.Partial(Type.Object(settingsFields), { additionalProperties: false, minProperties: 1 });

function checkZone(timezone: string | undefined): void {
  if (timezone !== undefined && !isTimeZone(timezone)) {
    throw new ApiError(400, 'FST_ERR_VALIDATION', `body/timezone must be an IANA time zone such as America/New_York (got "${timezone}")`);
  }
}

const tags = ['reading rooms'];
const security = [{ bearerAuth: [] }];

export const readingRoomRoutes: FastifyPluginAsyncTypebox<{ db: Database; clock: Clock }> = async (app, { db, clock }) => {
  app.get(
    '/api/v1/reading-rooms',
    { schema: { tags, summary: 'The reading rooms, the first-created first', response: { 200: Type.Object({ items: Type.Array(ReadingRoomSchema) }) } } },
    async () => ({ items: await allRooms(db) }),
  );

  app.post(
    '/api/v1/reading-rooms',
    {
      config: { access: ['admin'] },
      schema: {
        tags,
        security,
        summary: 'Add a reading room',
        body: NewRoom,
        response: { 201: ReadingRoomSchema, ...errorResponses(400, 401, 403, 409, 413, 415) },
      },
    },
    async (request, reply) => {
      checkZone(request.body.timezone);
      return reply.code(201).send(await createRoom(db, { ...roomDefaults, ...request.body }, clock()));
    },
  );

  app.patch(
    '/api/v1/reading-rooms/:id',
    {
      config: { access: ['admin'] },
      schema: {
        tags,
        security,
        summary: "Change a reading room's settings",
        description: 'Seats lowered below the bookings of a day keep those bookings; later bookings find the day full.',
        params: Type.Object({ id: IdSchema }),
        body: RoomChanges,
        response: { 200: ReadingRoomSchema, ...errorResponses(400, 401, 403, 404, 409, 413, 415) },
      },
    },
    async (request) => {
      checkZone(request.body.timezone);
      return await updateRoom(db, request.params.id, request.body);
    },
  );

  app.get(
    '/api/v1/paging/hold-shelf',
    {
      config: { access: ['staff'] },
      schema: {
        tags: ['paging'],
        security,
        summary: 'The hold shelf of a day: boxes kept at the desk for researchers coming back',
        querystring: Type.Object({ date: IsoDateSchema, readingRoomId: Type.Optional(IdSchema) }),
        response: {
          200: Type.Object({
            date: IsoDateSchema,
            items: Type.Array(
              Type.Object({
                requestId: IdSchema,
                callNumber: Type.String(),
                containerLabel: Type.String(),
                location: Type.Union([Type.String(), Type.Null()]),
                // Holds are a researcher's: a class session's box is never held (src/domain/request-status.ts).
                researcher: Nullable(Type.Object({ id: IdSchema, name: Type.String() })),
                holdUntil: IsoDateSchema,
              }),
            ),
          }),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (request) => {
      const room = await roomOrFirst(db, request.query.readingRoomId);
      const items = (await holdShelf(db, request.query.date, room.id)).map((item) => ({
        requestId: item.requestId,
        callNumber: item.callNumber,
        containerLabel: item.containerLabel,
        location: item.location,
        researcher: item.researcher,
        holdUntil: item.holdUntil as string,
      }));
      return { date: request.query.date, items };
    },
  );
};
