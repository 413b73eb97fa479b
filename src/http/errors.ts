import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import type { Refusal } from '../domain/booking-rules.ts';

/** An answer the API gives on purpose: a documented status and code, and a message for people. */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const notFound = (message: string) => new ApiError(404, 'NOT_FOUND', message);

const REFUSAL_STATUS: Record<Refusal['code'], number> = {
  VISIT_TOO_SOON: 422,
  VISIT_TOO_FAR: 422,
  VISIT_DAY_CLOSED: 422,
  REQUEST_LIMIT_EXCEEDED: 422,
  DUPLICATE_REQUEST: 409,
};

export const refused = (refusal: Refusal) => new ApiError(REFUSAL_STATUS[refusal.code], refusal.code, refusal.message);

/** @fastify/csrf-protection's refusals, answered with the contract's one code. */
const csrfCodes = new Set(['FST_CSRF_MISSING_SECRET', 'FST_CSRF_INVALID_TOKEN']);

export function errorBody(statusCode: number, code: string, message: string) {
  return { statusCode, code, error: STATUS_CODES[statusCode] ?? 'Error', message };
}

/** Answers with an ApiError directly, for hooks that run where another plugin's error handler rules. */
export function sendApiError(reply: FastifyReply, error: ApiError) {
  return reply.code(error.statusCode).send(errorBody(error.statusCode, error.code, error.message));
}

/**
 * The one error handler: every 4xx keeps its documented code (Fastify's own included, such as
 * FST_ERR_VALIDATION), and a 5xx is logged in full but answered without its details.
 */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | ApiError, request, reply) => {
    if (error instanceof ApiError) return sendApiError(reply, error);
    const statusCode = error.statusCode ?? 500;
    if (statusCode >= 500) {
      request.log.error({ err: error }, 'request failed');
      return reply.code(500).send(errorBody(500, 'INTERNAL_ERROR', 'Something went wrong on our side; it has been logged.'));
    }
    const code = error.validation ? 'FST_ERR_VALIDATION' : csrfCodes.has(error.code) ? 'CSRF_INVALID' : (error.code ?? 'BAD_REQUEST');
    return reply.code(statusCode).send(errorBody(statusCode, code, error.message));
  });

  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send(errorBody(404, 'NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0]}.`)),
  );
}

/** The headers helmet sets, for the few answers given before any hook runs. */
const BARE_SECURITY_HEADERS = {
  'content-security-policy': "default-src 'self';frame-ancestors 'self';object-src 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'SAMEORIGIN',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

/**
 * Fastify's router refuses some addresses before any hook or error handler runs (bad percent
 * encoding, a parameter over 100 characters): answered here in the documented shape, with the
 * security headers, and without repeating the address back.
 */
export function frameworkError(error: FastifyError, _request: unknown, reply: FastifyReply) {
  const tooLong = error.code === 'FST_ERR_MAX_PARAM_LENGTH';
  const statusCode = tooLong ? 414 : 400;
  const message = tooLong ? 'A part of the address is too long.' : 'The address is not valid.';
  return reply.code(statusCode).headers(BARE_SECURITY_HEADERS).send(errorBody(statusCode, error.code ?? 'BAD_REQUEST', message));
}
