import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Database } from '../../db/client.ts';
import { collectionExists } from '../collections/store.ts';
import { notFound } from '../domain/refusal.ts';
import { findRoom } from '../reading-rooms/store.ts';
import { sendWhileCatalogueStands } from '../http/answers.ts';
import { ApiError } from '../http/errors.ts';
import { cursorOf, errorResponses, IdSchema, pageLimit, PageQuery, positionOf } from '../http/schemas.ts';
import { SearchHitSchema } from './schemas.ts';
import { searchEntries, searchWords, type SearchKey } from './search.ts';

/** A search cursor holds the last hit's place in the order (docs/search.md, "Paging"). */
const isSearchKey = (after: unknown): after is SearchKey => {
  const key = after as Partial<SearchKey> | null;
  return (
    typeof key === 'object' && key !== null && (key.tier === 0 || key.tier === 1) && Number.isFinite(key.score) && typeof key.callNumber === 'string' && Number.isSafeInteger(key.entry)
  );
};

/**
 * One page of a search, as the API answers it and the search page shows it: the hits after `cursor`
 * and the cursor of the next page (null on the last). A `q` without a word, or a cursor this search
 * did not give, is 400; an unknown collection 404.
 */
export async function searchFindingAids(db: Database, query: { q: string; collectionId?: number | undefined; readingRoomId?: number | undefined; limit: number; cursor?: string | undefined }) {
  const words = searchWords(query.q);
  if (words.length === 0) throw new ApiError(400, 'FST_ERR_VALIDATION', 'querystring/q holds no word to search for (letters or digits).');
  if (query.collectionId !== undefined && !(await collectionExists(db, query.collectionId))) throw notFound(`There is no collection ${query.collectionId}.`);
  if (query.readingRoomId !== undefined && !(await findRoom(db, query.readingRoomId))) throw notFound(`There is no reading room ${query.readingRoomId}.`);
  const found = await searchEntries(db, { words, collectionId: query.collectionId, readingRoomId: query.readingRoomId, after: positionOf(query.cursor, isSearchKey), limit: query.limit + 1 });
  const page = found.slice(0, query.limit);
  const last = page.at(-1);
  return { items: page.map((f) => f.hit), nextCursor: found.length > query.limit && last ? cursorOf({ tier: last.key.tier, score: last.key.score, callNumber: last.key.callNumber, entry: last.key.entry }) : null };
}

export const searchRoutes: FastifyPluginAsyncTypebox<{ db: Database }> = async (app, { db }) => {
  app.get(
    '/api/v1/search',
    {
      schema: {
        tags: ['finding aids'],
        summary: 'Search collection titles, abstracts and component titles, best match first',
        description:
          'Every word of `q` must match, each as the start of a word, accents and case ignored; quotes and operators are plain characters. ' +
          'A `q` without a letter or digit is 400. `readingRoomId` keeps the collections read in that room; an unknown room or collection is 404. ' +
          'The rules and the order are docs/search.md\'s.',
        querystring: Type.Object({
          q: Type.String({ minLength: 1, maxLength: 200 }),
          collectionId: Type.Optional(IdSchema),
          readingRoomId: Type.Optional(IdSchema),
          ...PageQuery,
        }),
        response: { 200: Type.Object({ items: Type.Array(SearchHitSchema), nextCursor: Type.Union([Type.String(), Type.Null()]) }), ...errorResponses(400, 404) },
      },
    },
    // Search depends on the catalogue alone: its answers are kept until the next import or edit.
    async (request, reply) =>
      sendWhileCatalogueStands(request, reply, db, () => {
        const { q, collectionId, readingRoomId, cursor } = request.query;
        return searchFindingAids(db, { q, collectionId, readingRoomId, cursor, limit: pageLimit(request.query.limit) });
      }),
  );
};
