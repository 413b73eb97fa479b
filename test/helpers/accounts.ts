import assert from 'node:assert/strict';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import type { Database } from '../../db/client.ts';
import type { Role } from '../../db/schema.ts';
import { createAccount } from '../../src/accounts/staff.ts';
import type { UserRow } from '../../src/accounts/users.ts';
import type { App } from '../../src/app.ts';

/** A password of a legal length (12 to 128 characters) that nobody else in the tests uses. */
export const PASSWORD = 'correct horse battery staple';

export interface Account {
  user: UserRow;
  email: string;
  password: string;
}

/**
 * An account made the way the command line makes the first admin (`createAccount`, no actor):
 * its address counts as verified. Any role, researcher included.
 */
export async function makeAccount(
  db: Database,
  role: Role,
  options: { email?: string; password?: string; name?: string; now?: Date } = {},
): Promise<Account> {
  const email = options.email ?? `${role}-${Math.random().toString(36).slice(2, 10)}@example.org`;
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

/** Signs in and returns the bearer token, failing the test unless the login answers 200. */
export async function tokenFor(app: App, email: string, password: string): Promise<string> {
  const response = await login(app, email, password);
  assert.equal(response.statusCode, 200, `login of ${email}: ${response.body}`);
  return response.json().accessToken as string;
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** An injected request with a bearer token. */
export function asUser(app: App, token: string | undefined, options: InjectOptions): Promise<LightMyRequestResponse> {
  return app.inject({ ...options, headers: { ...(options.headers ?? {}), ...(token ? bearer(token) : {}) } });
}

/** The error shape of docs/api.md: Fastify's, with a stable code. */
export function assertError(response: LightMyRequestResponse, statusCode: number, code: string, context = ''): void {
  assert.equal(response.statusCode, statusCode, `${context} ${response.body}`.trim());
  const body = response.json();
  assert.deepEqual(Object.keys(body).sort(), ['code', 'error', 'message', 'statusCode'], context);
  assert.equal(body.statusCode, statusCode, context);
  assert.equal(body.code, code, context);
  assert.equal(typeof body.error, 'string', context);
  assert.equal(typeof body.message, 'string', context);
}

/** The token of a `<PUBLIC_URL>/<page>?token=…` link in a text. */
export function tokenInLink(text: string, publicUrl: string, page: 'verify-email' | 'reset-password'): string | undefined {
  const escaped = `${publicUrl}/${page}`.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  return new RegExp(`${escaped}\\?token=([A-Za-z0-9_-]+)`).exec(text)?.[1];
}

/** Every row of every table, as one JSON text: to look for something that must not rest there. */
export function everyStoredText(db: Database, tables?: string[]): string {
  const names =
    tables ??
    (db.$client.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%'").all() as { name: string }[]).map((t) => t.name);
  return JSON.stringify(Object.fromEntries(names.map((name) => [name, db.$client.prepare(`select * from "${name}"`).all()])));
}
