import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';

const stylesheet = readFileSync(new URL('../../templates/assets/reading-room.css', import.meta.url), 'utf8');

/** The pages' stylesheet, served from our origin so the content security policy can forbid inline styles. */
export async function pageAssets(app: FastifyInstance): Promise<void> {
  app.get('/assets/reading-room.css', { schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(stylesheet),
  );
}
