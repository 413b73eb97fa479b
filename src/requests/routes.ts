import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { sendWhileUnchanged } from '../http/answers.ts';
import { ApiError } from '../http/errors.ts';
import { accountOf } from '../http/auth.ts';
import { afterCursor, bodyMayBeEmpty, errorResponses, pageLimit, IdSchema, IsoDateSchema, page, PageQuery } from '../http/schemas.ts';
import type { Clock } from '../domain/calendar.ts';
import { approveRequest, cancelRequest, denyRequest, releaseHold, transitionRequest } from './changes.ts';
import { visibleRequest, type RequestsContext } from './moves.ts';
import { EventSchema, NoteSchema, RequestSchema, StaffTargetSchema, StatusSchema } from './schemas.ts';
import { eventsOf, listRequests, requestView } from './store.ts';
import { submitRequestsTogether } from './submit.ts';
import { submitterOf } from './on-behalf.ts';

export interface RequestRouteOptions {
  ctx: RequestsContext;
  clock: Clock;
}

const tags = ['requests'];
const security = [{ bearerAuth: [] }];
const RequestParams = Type.Object({ id: IdSchema });

export const requestRoutes: FastifyPluginAsyncTypebox<RequestRouteOptions> = async (app, { ctx, clock }) => {
  app.post(
    '/api/v1/requests',
    {
      config: { access: ['researcher', 'staff'] },
      schema: {
        tags,
        security,
        summary: 'Request containers, or folders and series of a finding aid, for one visit date, all or nothing',
        description:
          'Each component in `componentIds` stands for its own containers, else its nearest ancestor\'s, else all its descendants\'; they are merged with `containerIds`, one request per container, each listing the components wanted in it. Restricted containers start `awaiting_approval` (their `restrictionNote` says why; `originalReason` tells the curator why the original is needed when a surrogate exists); a container another researcher holds that day is `waitlisted`; the rest are `scheduled`. At least one of `containerIds` and `componentIds` is needed.',
        body: Type.Object(
          {
            visitDate: IsoDateSchema,
            containerIds: Type.Optional(
              Type.Array(IdSchema, {
                minItems: 1,
                // More than the daily limit is the booking rule REQUEST_LIMIT_EXCEEDED (422); this only bounds the work.
                maxItems: 200,
                uniqueItems: true,
                description: "Containers by id; with the components' containers, at most each reading room's dailyItemLimit for the day",
              }),
            ),
            componentIds: Type.Optional(Type.Array(IdSchema, { minItems: 1, maxItems: 200, uniqueItems: true, description: 'Folders or series of a finding aid' })),
            note: Type.Optional(NoteSchema),
            originalReason: Type.Optional(NoteSchema),
            researcherId: Type.Optional({ ...IdSchema, description: "Staff only: the researcher on whose behalf the requests are made (a phone or e-mail request)" }),
            overrideLeadTime: Type.Optional(Type.Boolean({ description: "Staff only: book sooner than the room's lead time (from today on); the events record it" })),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ items: Type.Array(RequestSchema) }), ...errorResponses(400, 401, 403, 404, 409, 413, 415, 422) },
      },
    },
    async (request, reply) => {
      const { researcherId, overrideLeadTime, ...submission } = request.body;
      if (!submission.containerIds && !submission.componentIds) {
        throw new ApiError(400, 'FST_ERR_VALIDATION', 'body must have containerIds or componentIds (or both).');
      }
      const created = await submitRequestsTogether(ctx, await submitterOf(ctx.db, accountOf(request), { researcherId, overrideLeadTime }), submission, clock);
      return reply.code(201).send({ items: created.map(requestView) });
    },
  );

  app.get(
    '/api/v1/requests',
    {
      config: { access: ['researcher', 'staff', 'curator'] },
      schema: {
        tags,
        security,
        summary: 'Requests, oldest first: a researcher sees their own, staff and curators all',
        querystring: Type.Object({
          visitDate: Type.Optional(IsoDateSchema),
          status: Type.Optional(StatusSchema),
          collectionId: Type.Optional(IdSchema),
          researcherId: Type.Optional(IdSchema),
          ...PageQuery,
        }),
        response: {
          200: Type.Object({ items: Type.Array(RequestSchema), nextCursor: Type.Union([Type.String(), Type.Null()]) }),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request, reply) => {
      const person = accountOf(request);
      const { limit: asked, cursor, researcherId, ...filter } = request.query;
      const limit = pageLimit(asked);
      const own = person.role === 'researcher' ? person.id : researcherId;
      return sendWhileUnchanged(request, reply, ctx.db, async () =>
        page(await listRequests(ctx.db, { ...filter, researcherId: own, afterId: afterCursor(cursor) }, limit + 1), limit, requestView),
      );
    },
  );

  app.get(
    '/api/v1/requests/:id',
    {
      config: { access: ['researcher', 'staff', 'curator'] },
      schema: { tags, security, summary: 'One request', params: RequestParams, response: { 200: RequestSchema, ...errorResponses(400, 401, 403, 404) } },
    },
    async (request) => requestView(await visibleRequest(ctx.db, request.params.id, accountOf(request))),
  );

  app.get(
    '/api/v1/requests/:id/events',
    {
      config: { access: ['researcher', 'staff', 'curator'] },
      schema: {
        tags,
        security,
        summary: "A request's history, oldest first",
        params: RequestParams,
        response: { 200: Type.Object({ items: Type.Array(EventSchema) }), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const row = await visibleRequest(ctx.db, request.params.id, accountOf(request));
      return {
        items: (await eventsOf(ctx.db, row.id)).map((e) => ({
          at: e.at.toISOString(),
          actorId: e.actorId,
          actorRole: e.actorRole,
          from: e.fromStatus,
          to: e.toStatus,
          note: e.note,
        })),
      };
    },
  );

  app.post(
    '/api/v1/requests/:id/cancel',
    {
      config: { access: ['researcher', 'staff'] },
      preValidation: bodyMayBeEmpty,
      schema: {
        tags,
        security,
        summary: 'Cancel a request: its researcher until it is paged, staff later',
        params: RequestParams,
        body: Type.Object({ reason: Type.Optional(NoteSchema) }, { additionalProperties: false }),
        response: { 200: RequestSchema, ...errorResponses(400, 401, 403, 404, 409, 413, 415) },
      },
    },
    async (request) => requestView(await cancelRequest(ctx, request.params.id, accountOf(request), request.body.reason, clock)),
  );

  app.post(
    '/api/v1/requests/:id/approve',
    {
      config: { access: ['curator'] },
      preValidation: bodyMayBeEmpty,
      schema: {
        tags,
        security,
        summary: 'Approve restricted material (scheduled, or waitlisted if the box is held by then)',
        params: RequestParams,
        body: Type.Object({ note: Type.Optional(NoteSchema) }, { additionalProperties: false }),
        response: { 200: RequestSchema, ...errorResponses(400, 401, 403, 404, 409, 413, 415) },
      },
    },
    async (request) => requestView(await approveRequest(ctx, request.params.id, accountOf(request), request.body.note, clock)),
  );

  app.post(
    '/api/v1/requests/:id/deny',
    {
      config: { access: ['curator'] },
      schema: {
        tags,
        security,
        summary: 'Deny restricted material, with the reason the researcher will read',
        params: RequestParams,
        body: Type.Object({ reason: NoteSchema }, { additionalProperties: false }),
        response: { 200: RequestSchema, ...errorResponses(400, 401, 403, 404, 409, 413, 415) },
      },
    },
    async (request) => requestView(await denyRequest(ctx, request.params.id, accountOf(request), request.body.reason, clock)),
  );

  app.post(
    '/api/v1/requests/:id/transition',
    {
      config: { access: ['staff'] },
      schema: {
        tags,
        security,
        summary: 'Paged, delivered, returned, on hold, reshelved or no-show',
        description:
          '`on_hold` (from `returned`) needs `holdUntil`: a business day after today and after the visit date, at most the room\'s `holdBusinessDays` business days after the visit date (else 422 `INVALID_HOLD`). A held box is delivered again (`on_hold` → `delivered`) on a business day from its visit date to `holdUntil` only.',
        params: RequestParams,
        body: Type.Object(
          { to: StaffTargetSchema, note: Type.Optional(NoteSchema), holdUntil: Type.Optional(IsoDateSchema) },
          { additionalProperties: false },
        ),
        response: { 200: RequestSchema, ...errorResponses(400, 401, 403, 404, 409, 413, 415, 422) },
      },
    },
    async (request) => {
      const { to, note, holdUntil } = request.body;
      return requestView(await transitionRequest(ctx, request.params.id, accountOf(request), to, { note, holdUntil }, clock));
    },
  );

  app.post(
    '/api/v1/requests/:id/release',
    {
      config: { access: ['researcher'] },
      schema: {
        tags,
        security,
        summary: 'End your own hold: the box goes back to the stacks',
        params: RequestParams,
        response: { 200: RequestSchema, ...errorResponses(400, 401, 403, 404, 409, 415) },
      },
      preValidation: bodyMayBeEmpty,
    },
    async (request) => requestView(await releaseHold(ctx, request.params.id, accountOf(request), clock)),
  );
};
