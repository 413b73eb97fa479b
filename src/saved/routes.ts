import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Clock } from '../domain/calendar.ts';
import { accountOf } from '../http/auth.ts';
import { ApiError } from '../http/errors.ts';
import { errorResponses, IdSchema, IsoDateSchema } from '../http/schemas.ts';
import type { RequestsContext } from '../requests/moves.ts';
import { RequestSchema } from '../requests/schemas.ts';
import { requestView } from '../requests/store.ts';
import { removeSaved, SAVED_LIST_MAX, saveForLater, savedList, submitSaved, type SavedItem } from './list.ts';

const tags = ['saved'];
const security = [{ bearerAuth: [] }];
/** A researcher's own list: staff and admins have none (403). */
const config = { access: ['researcher'] as const };

export const SavedItemSchema = Type.Object({
  id: IdSchema,
  containerId: Type.Union([IdSchema, Type.Null()]),
  componentId: Type.Union([IdSchema, Type.Null()], { description: 'A folder or series of a finding aid' }),
  collectionId: IdSchema,
  callNumber: Type.String(),
  label: Type.String({
    description: "A box's label; a component's title and the boxes (and folders) it is in, or how many boxes when more than three",
    examples: ['Box 3', 'Letters from Paris (Box 3, Folder 2)'],
  }),
  createdAt: Type.String({ format: 'date-time' }),
});

/** The saved item as docs/api.md defines it. */
const savedItemView = (item: SavedItem) => ({
  id: item.id,
  containerId: item.containerId,
  componentId: item.componentId,
  collectionId: item.collectionId,
  callNumber: item.callNumber,
  label: item.label,
  createdAt: item.createdAt.toISOString(),
});

export const savedRoutes: FastifyPluginAsyncTypebox<{ ctx: RequestsContext; clock: Clock }> = async (app, { ctx, clock }) => {
  app.get(
    '/api/v1/me/saved',
    {
      config,
      schema: {
        tags,
        security,
        summary: 'Your saved list: boxes and folders from any collection, the first saved first',
        response: { 200: Type.Object({ items: Type.Array(SavedItemSchema) }), ...errorResponses(401, 403) },
      },
    },
    async (request) => ({ items: (await savedList(ctx.db, accountOf(request).id)).map(savedItemView) }),
  );

  app.post(
    '/api/v1/me/saved',
    {
      config,
      schema: {
        tags,
        security,
        summary: 'Save a box or a folder (or series) for later, without a date',
        description: `Exactly one of \`containerId\` and \`componentId\`. Saved again, the item already there answers 200. A withdrawn box is 422 \`CONTAINER_WITHDRAWN\`; a list holds at most ${SAVED_LIST_MAX} items (422 \`SAVED_LIST_FULL\`).`,
        body: Type.Object({ containerId: Type.Optional(IdSchema), componentId: Type.Optional(IdSchema) }, { additionalProperties: false }),
        response: { 200: SavedItemSchema, 201: SavedItemSchema, ...errorResponses(400, 401, 403, 404, 413, 415, 422) },
      },
    },
    async (request, reply) => {
      const { containerId, componentId } = request.body;
      if ((containerId === undefined) === (componentId === undefined)) {
        throw new ApiError(400, 'FST_ERR_VALIDATION', 'body must have exactly one of containerId and componentId.');
      }
      const thing = containerId !== undefined ? { containerId } : { componentId: componentId as number };
      const [saved] = await saveForLater(ctx.db, accountOf(request), [thing], clock);
      return reply.code(saved!.created ? 201 : 200).send(savedItemView(saved!.item));
    },
  );

  app.delete(
    '/api/v1/me/saved/:id',
    {
      config,
      schema: {
        tags,
        security,
        summary: 'Remove an item from your saved list',
        params: Type.Object({ id: IdSchema }),
        response: { 204: Type.Null({ description: 'Removed' }), ...errorResponses(400, 401, 403, 404, 415) },
      },
    },
    async (request, reply) => {
      await removeSaved(ctx.db, accountOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/v1/me/saved/submit',
    {
      config,
      schema: {
        tags,
        security,
        summary: 'Request your saved items (all, or those of `ids`) for one visit date, all or nothing; they leave the list',
        description:
          'One submission under the booking rules of each room the items are read in, with an appointment in each, in one transaction: every item is requested or none is. Components stand for their containers as in `POST /api/v1/requests`. `ids` not on your list are 404 before any rule answers; so is an empty list.',
        body: Type.Object(
          {
            visitDate: IsoDateSchema,
            ids: Type.Optional(Type.Array(IdSchema, { minItems: 1, maxItems: SAVED_LIST_MAX, uniqueItems: true, description: 'Saved items by id; all of them when left out' })),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ items: Type.Array(RequestSchema) }), ...errorResponses(400, 401, 403, 404, 409, 413, 415, 422) },
      },
    },
    async (request, reply) => {
      const created = await submitSaved(ctx, accountOf(request), request.body, clock);
      return reply.code(201).send({ items: created.map(requestView) });
    },
  );
};
