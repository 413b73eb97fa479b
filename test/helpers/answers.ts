import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';

// What an answer must be: a refusal in docs/api.md's error shape, or a success with its JSON.

/** docs/api.md's error shape, `{statusCode, code, error, message}` and nothing else, with the given status and code. */
export function assertRefusal(response: LightMyRequestResponse, statusCode: number, code: string, context = ''): Record<string, unknown> {
  const said = `${context} ${response.body}`.trim();
  assert.equal(response.statusCode, statusCode, said);
  const body = response.json() as Record<string, unknown>;
  assert.deepEqual(Object.keys(body).sort(), ['code', 'error', 'message', 'statusCode'], said);
  assert.equal(body.statusCode, statusCode, said);
  assert.equal(body.code, code, said);
  assert.equal(typeof body.error, 'string', said);
  assert.equal(typeof body.message, 'string', said);
  return body;
}

/** Asserts a 2xx (or the given status) and returns the JSON body. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- an answer's JSON, read by the assertions that follow
export function ok<T = any>(response: LightMyRequestResponse, statusCode = 200, context = ''): T {
  assert.equal(response.statusCode, statusCode, `${context} ${response.body}`.trim());
  return (response.body === '' ? undefined : response.json()) as T;
}
