import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from './errors.ts';

// Values no engine can keep or look for, refused at the door on both engines alike:
// - text holding a NUL character: PostgreSQL's text cannot hold one (it refuses the query), XML
//   cannot, and no name, note or call number needs one. The API refuses it with the part of the
//   request that held it, and so do the pages (src/pages/index.ts), whose links and forms declare
//   no schema, but for where to go next, which they ignore instead;
// - a number that is not finite: Ajv coerces "Infinity" or "1e400" in an address to Infinity, takes
//   it for an integer, and checks a `maximum` only of finite numbers, so an id of Infinity passes
//   the schema; PostgreSQL then refuses the query. The pages read their ids with `isId` instead.

/** What a tree of plain values (a parsed query, JSON, a form) holds that no engine keeps, if anything. */
const unstorable = (value: unknown): string | undefined => {
  if (typeof value === 'string') return value.includes('\u0000') ? 'a NUL character (\\u0000), which no text here may hold' : undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : 'a number that is not finite';
  // A parsed query's object has no Object prototype, hence no prototype test.
  if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      const found = unstorable(key) ?? unstorable(inner);
      if (found) return found;
    }
  }
  return undefined;
};

/** Bodies of text: JSON and forms. A file's bytes (a multipart upload) are not text, and its parser judges them. */
const textBody = (request: FastifyRequest) => /^application\/(?:json|x-www-form-urlencoded)\b/.test(request.headers['content-type'] ?? '');

/**
 * A 400 for an API request whose query, path or body holds what no engine keeps where the route
 * takes it: checked once they are validated and coerced (what a route does not declare, it does not read).
 */
export function refuseUnstorableValues(app: FastifyInstance): void {
  app.addHook('preHandler', async (request) => {
    if (!request.routeOptions.url?.startsWith('/api/')) return;
    const schema = request.routeOptions.schema ?? {};
    const parts = [
      ['querystring', schema.querystring, request.query],
      ['params', schema.params, request.params],
      ['body', textBody(request) ? schema.body : undefined, request.body],
    ] as const;
    for (const [part, declared, value] of parts) {
      const found = declared === undefined ? undefined : unstorable(value);
      if (found) throw new ApiError(400, 'FST_ERR_VALIDATION', `${part} holds ${found}.`);
    }
  });
}

/**
 * A page's `next` or `back`, where to go afterwards, is judged by `pathOnThisSite`
 * (src/pages/kit.ts): one that is not a path of this site, a control character included, is
 * ignored and the person lands on the page's own default (API.md), so it is not refused here.
 */
const withoutDestinations = (part: unknown) =>
  part !== null && typeof part === 'object' ? Object.fromEntries(Object.entries(part).filter(([key]) => key !== 'next' && key !== 'back')) : part;

/** Whether a page's link or form holds a NUL character: its query, its path or its form, but where to go next. */
export function pageInputHoldsNul(request: FastifyRequest): boolean {
  return [request.query, request.params, textBody(request) ? request.body : undefined].some((part) => unstorable(withoutDestinations(part)) !== undefined);
}
