import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Database } from '../../db/client.ts';
import { sendWhileUnchanged } from '../http/answers.ts';
import { notFound } from '../domain/refusal.ts';
import { errorResponses, IdSchema, IsoDateSchema } from '../http/schemas.ts';
import { CustodySchema, PickItemSchema } from '../requests/schemas.ts';
import { custodyOf } from './custody.ts';
import { pickList } from './pick-list.ts';

const security = [{ bearerAuth: [] }];

export const pagingRoutes: FastifyPluginAsyncTypebox<{ db: Database }> = async (app, { db }) => {
  app.get(
    '/api/v1/paging/pick-list',
    {
      config: { access: ['staff'] },
      schema: {
        tags: ['paging'],
        security,
        summary: "A day's scheduled and paged requests in walking order (location, call number, box)",
        querystring: Type.Object({ date: IsoDateSchema }),
        response: { 200: Type.Object({ date: IsoDateSchema, items: Type.Array(PickItemSchema) }), ...errorResponses(400, 401, 403) },
      },
    },
    async (request, reply) => sendWhileUnchanged(request, reply, db, async () => ({ date: request.query.date, items: await pickList(db, request.query.date) })),
  );

  app.get(
    '/api/v1/containers/:containerId/history',
    {
      config: { access: ['staff', 'curator'] },
      schema: {
        tags: ['paging'],
        security,
        summary: "A box's chain of custody across every request, oldest first",
        params: Type.Object({ containerId: IdSchema }),
        response: { 200: Type.Object({ items: Type.Array(CustodySchema) }), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const { containerId } = request.params;
      const items = await custodyOf(db, containerId);
      if (!items) throw notFound(`There is no container ${containerId}.`);
      return { items: items.map((e) => ({ ...e, at: e.at.toISOString() })) };
    },
  );
};
