import assert from 'node:assert/strict';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import type { Database } from '../../db/client.ts';
import type { Role } from '../../db/tables.ts';
import { createAccount } from '../../src/accounts/staff.ts';
import type { UserRow } from '../../src/accounts/users.ts';
import type { App } from '../../src/app.ts';

// The people of the tests: accounts made as the command line makes the first admin, signed in
// through POST /api/v1/auth/login, and calls with their bearer token. Argon2 makes every account slow
// to make on purpose: make few people, and reuse them.

/** The password of every account made here: a legal length (12 to 128 characters). */
export const PASSWORD = 'correct horse battery staple';

/** An account, not yet signed in. */
export interface Account {
  user: UserRow;
  email: string;
  password: string;
}

/** Someone with an account and a signed-in token, who calls the API as themselves. */
export interface Person extends Account {
  id: number;
  name: string;
  role: Role;
  token: string;
  /** An injected call with this person's bearer token; `payload` becomes the JSON body. */
  call(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown): Promise<LightMyRequestResponse>;
}

let accounts = 0;

/**
 * An account of any role, researcher included, made with `createAccount` and no actor, so its
 * address counts as verified.
 */
export async function makeAccount(
  db: Database,
  role: Role,
  options: { email?: string; password?: string; name?: string; now?: Date } = {},
): Promise<Account> {
  accounts += 1;
  const email = options.email ?? `${role}-${accounts}-${Math.random().toString(36).slice(2, 8)}@example.org`;
  const password = options.password ?? PASSWORD;
  const user = await createAccount(
    { db, publicUrl: 'http://localhost:3000' },
    { email, password, name: options.name ?? `A ${role}`, role },
    null,
    { ip: '127.0.0.1', now: options.now ?? new Date() },
  );
  return { user, email, password };
}

/** POST /api/v1/auth/login, as a client sends it. */
export function login(app: App, email: string, password: string, remoteAddress?: string): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password }, ...(remoteAddress ? { remoteAddress } : {}) });
}

let logins = 0;

/**
 * Signs in and returns the bearer token, failing the test unless the login answers 200. Each login
 * comes from an address of its own, so the per-IP limits never count the tests' sign-ins.
 */
export async function signIn(app: App, email: string, password = PASSWORD): Promise<string> {
  logins += 1;
  const response = await login(app, email, password, `10.${(logins >> 16) & 255}.${(logins >> 8) & 255}.${logins & 255}`);
  assert.equal(response.statusCode, 200, `login of ${email}: ${response.body}`);
  return response.json().accessToken as string;
}

/** An account of any role, signed in. */
export async function makePerson(room: { app: App; db: Database }, role: Role, name = `A ${role}`): Promise<Person> {
  const account = await makeAccount(room.db, role, { name });
  const token = await signIn(room.app, account.email, account.password);
  return {
    ...account,
    id: account.user.id,
    name,
    role,
    token,
    call: (method, url, payload) => asUser(room.app, token, { method, url, ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) }),
  };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** An injected request with a bearer token, or none. */
export function asUser(app: App, token: string | undefined, options: InjectOptions): Promise<LightMyRequestResponse> {
  return app.inject({ ...options, headers: { ...(options.headers ?? {}), ...(token ? bearer(token) : {}) } });
}

/** The token of a `<PUBLIC_URL>/<page>?token=…` link in a text. */
export function tokenInLink(text: string, publicUrl: string, page: 'verify-email' | 'reset-password'): string | undefined {
  const escaped = `${publicUrl}/${page}`.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  return new RegExp(`${escaped}\\?token=([A-Za-z0-9_-]+)`).exec(text)?.[1];
}
