import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Database } from '../../db/client.ts';
import { sendWhileUnchanged } from '../http/answers.ts';
import { notFound } from '../domain/refusal.ts';
import { errorResponses, IdSchema, IsoDateSchema } from '../http/schemas.ts';
import { CollectionSchema, ContainerSchema } from './schemas.ts';
import { collectionExists, findCollections, findContainers } from './store.ts';

const CollectionParams = Type.Object({ collectionId: IdSchema });
const tags = ['collections'];

export const collectionRoutes: FastifyPluginAsyncTypebox<{ db: Database }> = async (app, { db }) => {
  app.get(
    '/api/v1/collections',
    {
      schema: {
        tags,
        summary: 'Collections, or the one with a call number',
        querystring: Type.Object({ callNumber: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })) }),
        response: { 200: Type.Object({ items: Type.Array(CollectionSchema) }), ...errorResponses(400) },
      },
    },
    async (request) => ({ items: findCollections(db, { callNumber: request.query.callNumber }) }),
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
      const [collection] = findCollections(db, { id: request.params.collectionId });
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
      sendWhileUnchanged(request, reply, db, () => {
        const { collectionId } = request.params;
        if (!collectionExists(db, collectionId)) throw notFound(`There is no collection ${collectionId}.`);
        return { items: findContainers(db, collectionId, request.query.date) };
      }),
  );
};
