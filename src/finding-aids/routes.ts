import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Database } from '../../db/client.ts';
import type { Config } from '../config.ts';
import { todayIn, type Clock } from '../domain/calendar.ts';
import { notFound } from '../domain/refusal.ts';
import { sendWhileCatalogueStands } from '../http/answers.ts';
import { ApiError } from '../http/errors.ts';
import { errorResponses, IdSchema } from '../http/schemas.ts';
import { collectionExists, findCollections } from '../collections/store.ts';
import { importFindingAid } from './import.ts';
import { ComponentSchema, ComponentWithAncestorsSchema, ImportResultSchema } from './schemas.ts';
import { componentsUnder, findComponent } from './tree.ts';

const tags = ['finding aids'];
const xmlTypes = ['application/xml', 'text/xml'];

export const findingAidRoutes: FastifyPluginAsyncTypebox<{ db: Database; clock: Clock; config: Pick<Config, 'timezone' | 'importMaxBytes'> }> = async (
  app,
  { db, clock, config },
) => {
  // Only this plugin's routes take XML, as bytes: the reader decodes them (an XML declaration may
  // name the encoding) and refuses what is not EAD.
  app.addContentTypeParser(xmlTypes, { parseAs: 'buffer', bodyLimit: config.importMaxBytes }, (_request, body, done) => done(null, body));

  app.post(
    '/api/v1/collections/import',
    {
      config: { access: ['admin'] },
      bodyLimit: config.importMaxBytes,
      schema: {
        tags,
        security: [{ bearerAuth: [] }],
        summary: 'Import an EAD finding aid (EAD 2002 or EAD3) as a collection, or update the one with its call number',
        description:
          'The body is the EAD document (`content-type: application/xml` or `text/xml`), at most `IMPORT_MAX_BYTES`. One import is one transaction. The mapping rules are docs/finding-aids.md\'s. `readingRoomId` puts the collection in that room; without it, a new collection goes to the first room and an updated one stays where it is.',
        querystring: Type.Object({ readingRoomId: Type.Optional(IdSchema) }),
        response: { 200: ImportResultSchema, 201: ImportResultSchema, ...errorResponses(400, 401, 403, 404, 409, 413, 415) },
      },
    },
    async (request, reply) => {
      if (!Buffer.isBuffer(request.body)) {
        throw new ApiError(415, 'FST_ERR_CTP_INVALID_MEDIA_TYPE', 'Send the finding aid as `content-type: application/xml` (or `text/xml`).');
      }
      const result = await importFindingAid(db, request.body, todayIn(config.timezone, clock()), { readingRoomId: request.query.readingRoomId });
      const [collection] = await findCollections(db, { id: result.collectionId });
      const { collectionId: _id, ...rest } = result;
      return reply.code(result.created ? 201 : 200).send({ ...rest, collection: collection! });
    },
  );

  app.get(
    '/api/v1/collections/:collectionId/components',
    {
      schema: {
        tags,
        summary: "A finding aid's top level, or the children of `parentId`, in finding-aid order",
        params: Type.Object({ collectionId: IdSchema }),
        querystring: Type.Object({ parentId: Type.Optional(IdSchema) }),
        response: { 200: Type.Object({ items: Type.Array(ComponentSchema) }), ...errorResponses(400, 404) },
      },
    },
    // The tree changes only with the catalogue: its answers are kept until the next import or edit.
    async (request, reply) =>
      sendWhileCatalogueStands(request, reply, db, async () => {
        const { collectionId } = request.params;
        if (!(await collectionExists(db, collectionId))) throw notFound(`There is no collection ${collectionId}.`);
        const items = await componentsUnder(db, collectionId, request.query.parentId);
        if (!items) throw notFound(`Collection ${collectionId} has no component ${request.query.parentId}.`);
        return { items };
      }),
  );

  app.get(
    '/api/v1/components/:componentId',
    {
      schema: {
        tags,
        summary: 'A component with its containers and its ancestors',
        params: Type.Object({ componentId: IdSchema }),
        response: { 200: ComponentWithAncestorsSchema, ...errorResponses(400, 404) },
      },
    },
    async (request, reply) =>
      sendWhileCatalogueStands(request, reply, db, async () => {
        const component = await findComponent(db, request.params.componentId);
        if (!component) throw notFound(`There is no component ${request.params.componentId}.`);
        return component;
      }),
  );
};
