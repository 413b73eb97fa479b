import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Database } from '../../db/client.ts';
import type { Config } from '../config.ts';
import { sendWhileUnchanged } from '../http/answers.ts';
import { notFound } from '../domain/refusal.ts';
import { todayIn, type Clock } from '../domain/calendar.ts';
import { accountOf } from '../http/auth.ts';
import { cursorOf, errorResponses, IdSchema, IsoDateSchema, pageLimit, PageQuery, positionOf, Nullable } from '../http/schemas.ts';
import { CollectionSchema, CollectionSummarySchema, ContainerSchema, SurrogateSchema } from './schemas.ts';
import { collectionExists, containerView, findCollection, findCollections, findContainers } from './store.ts';
import { editContainer } from './container-edits.ts';

const CollectionParams = Type.Object({ collectionId: IdSchema });
const tags = ['collections'];

export const collectionRoutes: FastifyPluginAsyncTypebox<{ db: Database; clock: Clock; config: Pick<Config, 'timezone'> }> = async (app, { db, clock, config }) => {
  const today = () => todayIn(config.timezone, clock());

  app.get(
    '/api/v1/collections',
    {
      schema: {
        tags,
        summary: 'Collections by call number, a page at a time (without their containers)',
        querystring: Type.Object({
          callNumber: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
          q: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Part of the call number or the title' })),
          ...PageQuery,
        }),
        response: { 200: Type.Object({ items: Type.Array(CollectionSummarySchema), nextCursor: Type.Union([Type.String(), Type.Null()]) }), ...errorResponses(400) },
      },
    },
    async (request) => {
      const { callNumber, q, cursor } = request.query;
      const limit = pageLimit(request.query.limit);
      const rows = await findCollections(db, { callNumber, q, afterCallNumber: positionOf(cursor, (after): after is string => typeof after === 'string'), limit: limit + 1 });
      const items = rows.slice(0, limit);
      const last = items.at(-1);
      return { items, nextCursor: rows.length > limit && last ? cursorOf(last.callNumber) : null };
    },
  );

  app.get(
    '/api/v1/collections/:collectionId',
    {
      schema: {
        tags,
        summary: 'A collection with its series and containers',
        params: CollectionParams,
        response: { 200: CollectionSchema, ...errorResponses(400, 404) },
      },
    },
    async (request) => {
      const collection = await findCollection(db, request.params.collectionId, today());
      if (!collection) throw notFound(`There is no collection ${request.params.collectionId}.`);
      return collection;
    },
  );

  app.get(
    '/api/v1/collections/:collectionId/containers',
    {
      schema: {
        tags,
        summary: "A collection's containers; with a date, whether each is available that day",
        params: CollectionParams,
        querystring: Type.Object({ date: Type.Optional(IsoDateSchema) }),
        response: { 200: Type.Object({ items: Type.Array(ContainerSchema) }), ...errorResponses(400, 404) },
      },
    },
    async (request, reply) =>
      sendWhileUnchanged(request, reply, db, async () => {
        const { collectionId } = request.params;
        if (!(await collectionExists(db, collectionId))) throw notFound(`There is no collection ${collectionId}.`);
        return { items: await findContainers(db, collectionId, today(), request.query.date) };
      }),
  );

  app.patch(
    '/api/v1/containers/:containerId',
    {
      config: { access: ['staff', 'curator', 'admin'] },
      schema: {
        tags,
        security: [{ bearerAuth: [] }],
        summary: "Change a container: curators its restriction and surrogate, staff its location and barcode",
        description:
          'What is set here survives every later import. A restriction set here has no end and leaves requests already made as they are; new requests need approval. A field outside the caller\'s role is 403 `FORBIDDEN`.',
        params: Type.Object({ containerId: IdSchema }),
        body: Type.Object(
          {
            restricted: Type.Optional(Type.Boolean()),
            restrictionNote: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 2000 }))),
            surrogate: Type.Optional(Nullable(SurrogateSchema)),
            location: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 200 }))),
            barcode: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 100 }))),
          },
          { additionalProperties: false },
        ),
        response: { 200: ContainerSchema, ...errorResponses(400, 401, 403, 404, 413, 415) },
      },
    },
    async (request) => {
      const date = today();
      return containerView(await editContainer(db, request.params.containerId, request.body, accountOf(request).role, date), date);
    },
  );
};
