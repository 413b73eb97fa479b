import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from './errors.ts';

// No text the reading room keeps or looks for holds a NUL character: PostgreSQL's text cannot hold
// one (it refuses the query), XML cannot, and no name, note or call number needs one. The API
// refuses it at the door, on both engines alike, with the part of the request that held it, and so
// do the pages (src/pages/index.ts), whose links and forms declare no schema.

const holdsNul = (value: unknown): boolean => {
  if (typeof value === 'string') return value.includes('\u0000');
  if (Array.isArray(value)) return value.some(holdsNul);
  // Parsed queries, JSON and forms are trees of plain values (a parsed query's object has no Object
  // prototype, hence no prototype test).
  if (value !== null && typeof value === 'object') return Object.entries(value).some(([key, inner]) => key.includes('\u0000') || holdsNul(inner));
  return false;
};

/** Bodies of text: JSON and forms. A file's bytes (a multipart upload) are not text, and its parser judges them. */
const textBody = (request: FastifyRequest) => /^application\/(?:json|x-www-form-urlencoded)\b/.test(request.headers['content-type'] ?? '');

/**
 * A 400 for an API request whose query, path or body holds a NUL character where the route takes
 * it: checked once they are validated (what a route does not declare, it does not read).
 */
export function refuseNulCharacters(app: FastifyInstance): void {
  app.addHook('preHandler', async (request) => {
    if (!request.routeOptions.url?.startsWith('/api/')) return;
    const schema = request.routeOptions.schema ?? {};
    const parts = [
      ['querystring', schema.querystring, request.query],
      ['params', schema.params, request.params],
      ['body', textBody(request) ? schema.body : undefined, request.body],
    ] as const;
    for (const [part, declared, value] of parts) {
      if (declared !== undefined && holdsNul(value)) throw new ApiError(400, 'FST_ERR_VALIDATION', `${part} holds a NUL character (\\u0000), which no text here may hold.`);
    }
  });
}

/** Whether a page's link or form holds a NUL character anywhere: its query, its path or its form. */
export function pageInputHoldsNul(request: FastifyRequest): boolean {
  return holdsNul(request.query) || holdsNul(request.params) || (textBody(request) && holdsNul(request.body));
}
