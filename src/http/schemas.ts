import type { FastifyRequest } from 'fastify';
import { Type, type TLiteral, type TUnion } from 'typebox';
import { LARGEST_ID } from '../domain/ids.ts';
import { ApiError } from './errors.ts';

// Schemas shared by several routes. Each is validation, serialisation and OpenAPI at once.

/** A calendar date; the `date` format refuses impossible days such as 2026-02-30. */
export const IsoDateSchema = Type.String({ format: 'date', examples: ['2026-12-01'] });

/** A string that is one of a list of constants (roles, statuses), typed as that union. */
export function literals<const T extends readonly string[]>(values: T): TUnion<{ -readonly [K in keyof T]: TLiteral<T[K]> }> {
  return Type.Union(values.map((v) => Type.Literal(v))) as never;
}

export const IdSchema = Type.Integer({ minimum: 1, maximum: LARGEST_ID });

/**
 * A value or null: the one way to write it. Null comes first: Fastify's Ajv coerces types, and
 * tried the other way round it turns a null sent for a string into "" (an affiliation cleared
 * became an empty one) and for a number into 0 (unlimited seats became none), which the first
 * branch then accepts.
 */
export const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T, options?: Parameters<typeof Type.Union>[1]) =>
  Type.Union([Type.Null(), schema], options);

export const ErrorSchema = Type.Object(
  {
    statusCode: Type.Integer(),
    code: Type.String({ description: 'Stable machine-readable code, listed in docs/api.md' }),
    error: Type.String(),
    message: Type.String({ description: 'What went wrong, and what would work' }),
  },
  { description: 'Error' },
);

/** The error answers a route can give, for its response schema and so for the OpenAPI document. */
export function errorResponses<S extends number>(...statuses: S[]): Record<S, typeof ErrorSchema> {
  const responses = {} as Record<S, typeof ErrorSchema>;
  for (const status of statuses) responses[status] = ErrorSchema;
  return responses;
}

/** `limit` and `cursor` of the lists that can grow (docs/api.md). */
export const PageQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, description: '50 when left out' })),
  cursor: Type.Optional(Type.String({ maxLength: 200, description: 'Opaque: the `nextCursor` of the previous page' })),
};

/**
 * The page size asked for. Fastify's coercion lets `limit=Infinity` (or `1e400`) through the
 * schema's maximum as a non-finite number, which no database limit can take.
 */
export function pageLimit(limit: number | undefined): number {
  if (limit === undefined) return 50;
  if (!Number.isSafeInteger(limit)) throw new ApiError(400, 'FST_ERR_VALIDATION', 'querystring/limit must be a whole number from 1 to 200.');
  return limit;
}

/** An opaque cursor holding `position`: where the previous page ended, in the list's own order. */
export const cursorOf = (position: unknown) => Buffer.from(JSON.stringify({ after: position })).toString('base64url');

/**
 * The position a cursor holds, when `valid` says it is one this list gives; any other cursor (forged,
 * truncated, from another list) is a 400.
 */
export function positionOf<T>(cursor: string | undefined, valid: (position: unknown) => position is T): T | undefined {
  if (cursor === undefined) return undefined;
  try {
    const after = (JSON.parse(Buffer.from(cursor, 'base64url').toString()) as { after?: unknown }).after;
    if (valid(after)) return after;
  } catch {
    // Falls through to the refusal below.
  }
  throw new ApiError(400, 'FST_ERR_VALIDATION', 'querystring/cursor is not a cursor this API gave.');
}

/** The opaque cursor after an item with this id. */
export const cursorAfter = (id: number) => cursorOf(id);

/** The id a cursor stands after (one past every id stands after the last); a cursor this API did not give is a 400. */
export function afterCursor(cursor: string | undefined): number | undefined {
  const after = positionOf(cursor, (position): position is number => Number.isSafeInteger(position) && (position as number) >= 0);
  return after === undefined ? undefined : Math.min(after, LARGEST_ID);
}

/** A page of `limit` items asked for as `limit + 1`: the extra one says whether there is a next page. */
export function page<T extends { id: number }, V>(rows: T[], limit: number, view: (row: T) => V) {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items: items.map(view), nextCursor: rows.length > limit && last ? cursorAfter(last.id) : null };
}

/**
 * For POSTs whose body is optional (cancel, approve): a request without one is validated as `{}`,
 * so `curl -X POST …/cancel` works as well as `{"reason": "…"}`.
 */
export async function bodyMayBeEmpty(request: FastifyRequest): Promise<void> {
  request.body ??= {};
}
