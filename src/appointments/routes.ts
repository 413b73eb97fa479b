import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { appointmentStatuses } from '../../db/tables.ts';
import type { Clock } from '../domain/calendar.ts';
import { accountOf } from '../http/auth.ts';
import { afterCursor, bodyMayBeEmpty, errorResponses, IdSchema, IsoDateSchema, literals, page, PageQuery, pageLimit } from '../http/schemas.ts';
import type { RequestsContext } from '../requests/moves.ts';
import { cancelAppointment, deskAppointment, makeAppointment } from './moves.ts';
import { appointmentViews, listAppointments, type AppointmentRow } from './store.ts';

const tags = ['appointments'];
const security = [{ bearerAuth: [] }];
const Params = Type.Object({ id: IdSchema });

export const AppointmentSchema = Type.Object({
  id: IdSchema,
  researcherId: IdSchema,
  readingRoomId: IdSchema,
  date: IsoDateSchema,
  status: literals(appointmentStatuses),
  checkedInAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  checkedOutAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  requestIds: Type.Array(IdSchema, { description: 'The requests of this visit, oldest first' }),
});

export const appointmentRoutes: FastifyPluginAsyncTypebox<{ ctx: RequestsContext; clock: Clock }> = async (app, { ctx, clock }) => {
  const view = async (row: AppointmentRow) => (await appointmentViews(ctx.db, [row]))[0]!;

  app.post(
    '/api/v1/appointments',
    {
      config: { access: ['researcher'] },
      schema: {
        tags,
        security,
        summary: 'Book a seat in a reading room on a day',
        description:
          'The visit-date rules answer first (VISIT_TOO_SOON, VISIT_TOO_FAR, VISIT_DAY_CLOSED), then DUPLICATE_APPOINTMENT, then READING_ROOM_FULL, whose message names the next open day with a seat.',
        body: Type.Object({ readingRoomId: IdSchema, date: IsoDateSchema }, { additionalProperties: false }),
        response: { 201: AppointmentSchema, ...errorResponses(400, 401, 403, 404, 409, 413, 415, 422) },
      },
    },
    async (request, reply) => reply.code(201).send(await view(await makeAppointment(ctx, accountOf(request), request.body.readingRoomId, request.body.date, clock))),
  );

  app.get(
    '/api/v1/appointments',
    {
      config: { access: ['researcher', 'staff'] },
      schema: {
        tags,
        security,
        summary: 'Appointments, oldest first: a researcher sees their own, staff all',
        querystring: Type.Object({
          date: Type.Optional(IsoDateSchema),
          readingRoomId: Type.Optional(IdSchema),
          researcherId: Type.Optional(IdSchema),
          status: Type.Optional(literals(appointmentStatuses)),
          ...PageQuery,
        }),
        response: {
          200: Type.Object({ items: Type.Array(AppointmentSchema), nextCursor: Type.Union([Type.String(), Type.Null()]) }),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request) => {
      const person = accountOf(request);
      const { limit: asked, cursor, researcherId, ...filter } = request.query;
      const limit = pageLimit(asked);
      const own = person.role === 'researcher' ? person.id : researcherId;
      const rows = await listAppointments(ctx.db, { ...filter, researcherId: own, afterId: afterCursor(cursor) }, limit + 1);
      const views = new Map((await appointmentViews(ctx.db, rows)).map((v) => [v.id, v]));
      return page(rows, limit, (row) => views.get(row.id)!);
    },
  );

  app.post(
    '/api/v1/appointments/:id/cancel',
    {
      config: { access: ['researcher', 'staff'] },
      preValidation: bodyMayBeEmpty,
      schema: {
        tags,
        security,
        summary: 'Cancel an appointment, with its requests not yet paged',
        params: Params,
        response: { 200: AppointmentSchema, ...errorResponses(400, 401, 403, 404, 409, 415) },
      },
    },
    async (request) => view(await cancelAppointment(ctx, request.params.id, accountOf(request), clock)),
  );

  for (const action of ['check-in', 'check-out'] as const) {
    app.post(
      `/api/v1/appointments/:id/${action}`,
      {
        config: { access: ['staff'] },
        preValidation: bodyMayBeEmpty,
        schema: {
          tags,
          security,
          summary: action === 'check-in' ? 'The researcher has arrived: the appointment is attended' : 'The researcher has left',
          description: 'On the appointment\'s day only (409 INVALID_TRANSITION on another day, or when it was cancelled); asked again, the same answer.',
          params: Params,
          response: { 200: AppointmentSchema, ...errorResponses(400, 401, 403, 404, 409, 415) },
        },
      },
      async (request) => view(await deskAppointment(ctx, request.params.id, accountOf(request), action, clock)),
    );
  }
};
