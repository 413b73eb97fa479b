import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from '../../db/client.ts';
import { whileCatalogueStands, whileUnchanged } from '../caches.ts';

/**
 * Sends a read's answer as the bytes the route's response schema made of it the last time the
 * same person asked for the same URL, if the database has not changed since (src/caches.ts);
 * otherwise `build()` reads it anew. The person and the whole URL, path and query, are all that
 * the answers of the routes using this depend on. `build()` may await; a refusal it throws is not kept.
 */
export async function sendWhileUnchanged(
  request: FastifyRequest,
  reply: FastifyReply,
  db: Database,
  build: () => unknown,
  keep: (db: Database, key: string, read: () => Promise<Buffer>) => Promise<Buffer> = whileUnchanged,
): Promise<FastifyReply> {
  const key = `answer:${request.account?.id ?? 'public'}:${request.url}`;
  const body = await keep(db, key, async () => Buffer.from(reply.serialize(await build()) as string));
  return reply.type('application/json; charset=utf-8').send(body);
}

/** The same, for answers that depend on the catalogue alone: kept across requests' writes (src/caches.ts). */
export const sendWhileCatalogueStands = (request: FastifyRequest, reply: FastifyReply, db: Database, build: () => unknown): Promise<FastifyReply> =>
  sendWhileUnchanged(request, reply, db, build, whileCatalogueStands);
