import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { Refusal, type RefusalCode } from '../domain/refusal.ts';

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

/** The one table from the domain's refusals to HTTP statuses (docs/api.md, "Errors"). */
const REFUSAL_STATUS: Record<RefusalCode, number> = {
  VISIT_TOO_SOON: 422,
  VISIT_TOO_FAR: 422,
  VISIT_DAY_CLOSED: 422,
  REQUEST_LIMIT_EXCEEDED: 422,
  DUPLICATE_REQUEST: 409,
  INVALID_TRANSITION: 409,
  READING_ROOM_FULL: 409,
  DUPLICATE_APPOINTMENT: 409,
  ROOM_CODE_TAKEN: 409,
  INVALID_HOLD: 422,
  IDENTITY_NOT_VERIFIED: 409,
  CLOSURE_EXISTS: 409,
  CLOSURE_HAS_REQUESTS: 409,
  INVALID_RANGE: 400,
  INVALID_CREDENTIALS: 401,
  EMAIL_NOT_VERIFIED: 403,
  ACCOUNT_DISABLED: 403,
  INVALID_TOKEN: 400,
  WRONG_PASSWORD: 400,
  EMAIL_TAKEN: 409,
  LAST_ADMIN: 409,
  RATE_LIMITED: 429,
  INVALID_EAD: 400,
  CALL_NUMBER_TAKEN: 409,
  CONTAINER_WITHDRAWN: 422,
  NOT_REQUESTABLE: 422,
  SAVED_LIST_FULL: 422,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
};

/** The answer for a refusal of the domain, or for an answer given on purpose; undefined for a failure. */
export function apiErrorOf(error: unknown): ApiError | undefined {
  if (error instanceof ApiError) return error;
  if (error instanceof Refusal) return new ApiError(REFUSAL_STATUS[error.code], error.code, error.message);
  return undefined;
}

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
  app.setErrorHandler((error: FastifyError | ApiError | Refusal, request, reply) => {
    const answer = apiErrorOf(error);
    if (answer) return sendApiError(reply, answer);
    const failure = error as FastifyError;
    const statusCode = failure.statusCode ?? 500;
    if (statusCode >= 500) {
      request.log.error({ err: failure }, 'request failed');
      return reply.code(500).send(errorBody(500, 'INTERNAL_ERROR', 'Something went wrong on our side; it has been logged.'));
    }
    const code = failure.validation ? 'FST_ERR_VALIDATION' : csrfCodes.has(failure.code) ? 'CSRF_INVALID' : (failure.code ?? 'BAD_REQUEST');
    return reply.code(statusCode).send(errorBody(statusCode, code, failure.message));
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
export function frameworkError(error: FastifyError, _request: unknown, reply: FastifyReply): void {
  const tooLong = error.code === 'FST_ERR_MAX_PARAM_LENGTH';
  const statusCode = tooLong ? 414 : 400;
  const message = tooLong ? 'A part of the address is too long.' : 'The address is not valid.';
  void reply.code(statusCode).headers(BARE_SECURITY_HEADERS).send(errorBody(statusCode, error.code ?? 'BAD_REQUEST', message));
}
