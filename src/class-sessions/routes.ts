import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { classSessionStatuses } from '../../db/tables.ts';
import { EmailSchema, NameSchema } from '../accounts/schemas.ts';
import { checkRange, type Clock } from '../domain/calendar.ts';
import { CLASS_HEADCOUNT_MAX, CLASS_TITLE_MAX } from '../domain/class-sessions.ts';
import { LOCAL_TIME_PATTERN } from '../domain/reading-rooms.ts';
import { accountOf } from '../http/auth.ts';
import { bodyMayBeEmpty, errorResponses, IdSchema, IsoDateSchema, literals } from '../http/schemas.ts';
import type { RequestsContext } from '../requests/moves.ts';
import { bookClassSession, cancelClassSession } from './book.ts';
import { classSessionViews, listClassSessions, type ClassSessionRow } from './store.ts';

const tags = ['class-sessions'];
const security = [{ bearerAuth: [] }];
const LocalTime = Type.String({ pattern: LOCAL_TIME_PATTERN, examples: ['10:00'] });

/** The most boxes a booking may name: the room's classItemLimit (at most 200) is the rule. */
const MAX_CONTAINERS = 200;

export const ClassSessionSchema = Type.Object({
  id: IdSchema,
  readingRoomId: IdSchema,
  date: IsoDateSchema,
  startTime: LocalTime,
  endTime: LocalTime,
  title: Type.String(),
  instructorName: Type.String(),
  instructorEmail: Type.String(),
  headcount: Type.Integer(),
  status: literals(classSessionStatuses),
  requestIds: Type.Array(IdSchema, { description: "The session's requests, one per box, oldest first" }),
});

export const classSessionRoutes: FastifyPluginAsyncTypebox<{ ctx: RequestsContext; clock: Clock }> = async (app, { ctx, clock }) => {
  const view = async (row: ClassSessionRow) => (await classSessionViews(ctx.db, [row]))[0]!;

  app.post(
    '/api/v1/class-sessions',
    {
      config: { access: ['staff', 'curator'] },
      schema: {
        tags,
        security,
        summary: 'Book a class session in a reading room, with its boxes',
        description:
          "The date answers first, with the room's classLeadBusinessDays (VISIT_TOO_SOON, VISIT_TOO_FAR, VISIT_DAY_CLOSED); then unknown boxes (404), withdrawn ones (CONTAINER_WITHDRAWN), boxes read in another room (NOT_REQUESTABLE), more than the room's classItemLimit (REQUEST_LIMIT_EXCEEDED). Each box gets a request with researcherId null: scheduled, waitlisted when someone holds it that day, awaiting_approval when restricted. The instructor is mailed.",
        body: Type.Object(
          {
            readingRoomId: IdSchema,
            date: IsoDateSchema,
            startTime: LocalTime,
            endTime: LocalTime,
            title: Type.String({ minLength: 1, maxLength: CLASS_TITLE_MAX, pattern: '\\S' }),
            instructorName: NameSchema,
            instructorEmail: EmailSchema,
            headcount: Type.Integer({ minimum: 1, maximum: CLASS_HEADCOUNT_MAX }),
            containerIds: Type.Array(IdSchema, { minItems: 1, maxItems: MAX_CONTAINERS, uniqueItems: true }),
          },
          { additionalProperties: false },
        ),
        response: { 201: ClassSessionSchema, ...errorResponses(400, 401, 403, 404, 413, 415, 422) },
      },
    },
    async (request, reply) => reply.code(201).send(await view(await bookClassSession(ctx, accountOf(request), { ...request.body, title: request.body.title.trim() }, clock))),
  );

  app.get(
    '/api/v1/class-sessions',
    {
      config: { access: ['staff', 'curator'] },
      schema: {
        tags,
        security,
        summary: 'Class sessions by date and start time, booked and cancelled',
        querystring: Type.Object({ from: Type.Optional(IsoDateSchema), to: Type.Optional(IsoDateSchema), readingRoomId: Type.Optional(IdSchema) }),
        response: { 200: Type.Object({ items: Type.Array(ClassSessionSchema) }), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const { from, to } = request.query;
      if (from !== undefined && to !== undefined) checkRange(from, to);
      return { items: await classSessionViews(ctx.db, await listClassSessions(ctx.db, request.query)) };
    },
  );

  app.post(
    '/api/v1/class-sessions/:id/cancel',
    {
      config: { access: ['staff', 'curator'] },
      preValidation: bodyMayBeEmpty,
      schema: {
        tags,
        security,
        summary: 'Cancel a class session: its boxes not yet paged are cancelled, the waiting lists promoted, the instructor mailed',
        params: Type.Object({ id: IdSchema }),
        response: { 200: ClassSessionSchema, ...errorResponses(400, 401, 403, 404, 409, 413, 415) },
      },
    },
    async (request) => view(await cancelClassSession(ctx, request.params.id, accountOf(request), clock)),
  );
};
