import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import type { Database } from '../../db/client.ts';
import type { Role } from '../../db/schema.ts';
import { createAccount } from '../../src/accounts/staff.ts';
import type { UserRow } from '../../src/accounts/users.ts';
import type { App } from '../../src/app.ts';

/** A legal password (12 to 128 characters) shared by the people of these tests. */
const PASSWORD = 'a reading room pass phrase';

/** Someone with an account and a signed-in token, who calls the API as themselves. */
export interface Person {
  user: UserRow;
  id: number;
  email: string;
  name: string;
  role: Role;
  token: string;
  /** An injected call with this person's bearer token; `payload` becomes the JSON body. */
  call(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown): Promise<LightMyRequestResponse>;
}

let serial = 0;

/**
 * An account made as an admin makes one (`createAccount`, so its address counts as verified),
 * signed in through POST /api/v1/auth/login. Argon2 costs ~50 ms a hash: make few, reuse them.
 */
export async function makePerson(app: App, db: Database, role: Role, name: string, publicUrl = 'http://localhost:3000'): Promise<Person> {
  serial += 1;
  const email = `${role}-${serial}-${Math.random().toString(36).slice(2, 8)}@example.org`;
  const user = await createAccount({ db, publicUrl }, { email, password: PASSWORD, name, role }, null, { ip: 'test', now: new Date() });
  const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password: PASSWORD } });
  assert.equal(login.statusCode, 200, `login of ${email}: ${login.body}`);
  const token = login.json().accessToken as string;
  return {
    user,
    id: user.id,
    email,
    name,
    role,
    token,
    call: (method, url, payload) =>
      app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) }),
  };
}

/** Asserts docs/api.md's error shape: the status and the stable code. */
export function assertRefused(response: LightMyRequestResponse, statusCode: number, code: string, context = ''): void {
  assert.equal(response.statusCode, statusCode, `${context} ${response.body}`.trim());
  assert.equal(response.json().code, code, `${context} ${response.body}`.trim());
}

/** Asserts a 2xx (or the given status) and returns the JSON body. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- an answer's JSON, read by the assertions that follow
export function ok<T = any>(response: LightMyRequestResponse, statusCode = 200, context = ''): T {
  assert.equal(response.statusCode, statusCode, `${context} ${response.body}`.trim());
  return (response.body === '' ? undefined : response.json()) as T;
}
