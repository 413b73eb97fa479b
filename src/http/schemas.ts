import { Type } from 'typebox';

// Schemas shared by several routes. Each is validation, serialisation and OpenAPI at once.

/** A calendar date; the `date` format refuses impossible days such as 2026-02-30. */
export const IsoDateSchema = Type.String({ format: 'date', examples: ['2026-12-01'] });

export const IdSchema = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER });

export const ErrorSchema = Type.Object(
  {
    statusCode: Type.Integer(),
    code: Type.String({ description: 'Stable machine-readable code, listed in API.md' }),
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
