import assert from 'node:assert/strict';
import type { HTTPMethods, LightMyRequestResponse } from 'fastify';
import { DateTime } from 'luxon';
import type { Database } from '../../db/client.ts';
import type { Role } from '../../db/schema.ts';
import { createAccount } from '../../src/accounts/staff.ts';
import type { UserRow } from '../../src/accounts/users.ts';
import type { App } from '../../src/app.ts';

// People and calls for the request tests: accounts made as the command line makes them, signed in
// through POST /api/v1/auth/login, and calls with their bearer token.

export const REQUESTER_PASSWORD = 'a long enough test password';

export interface Person {
  user: UserRow;
  email: string;
  token: string;
}

let logins = 0;

/** POST /api/v1/auth/login; each login from its own address, so the per-IP limit never counts tests. */
export async function signIn(app: App, email: string, password = REQUESTER_PASSWORD): Promise<string> {
  logins += 1;
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email, password },
    remoteAddress: `10.${(logins >> 16) & 255}.${(logins >> 8) & 255}.${logins & 255}`,
  });
  assert.equal(response.statusCode, 200, `login of ${email}: ${response.body}`);
  return response.json().accessToken as string;
}

let accounts = 0;

/** An account of any role, made with `createAccount` (no actor, so verified), not yet signed in. */
export async function makeUser(db: Database, role: Role, name?: string): Promise<{ user: UserRow; email: string }> {
  accounts += 1;
  const email = `${role}-${accounts}-${Math.random().toString(36).slice(2, 8)}@example.org`;
  const user = await createAccount(
    { db, publicUrl: 'http://localhost:3000' },
    { email, password: REQUESTER_PASSWORD, name: name ?? `${role[0]?.toUpperCase()}${role.slice(1)} ${accounts}`, role },
    null,
    { ip: 'test', now: new Date() },
  );
  return { user, email };
}

/** An account of any role, signed in. */
export async function makePerson(room: { app: App; db: Database }, role: Role, name?: string): Promise<Person> {
  const { user, email } = await makeUser(room.db, role, name);
  return { user, email, token: await signIn(room.app, email) };
}

/** An injected call with a bearer token (or none). */
export function call(app: App, token: string | undefined, method: HTTPMethods, url: string, payload?: unknown): Promise<LightMyRequestResponse> {
  return app.inject({
    method,
    url,
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
}

/** docs/api.md's error shape with the given status and code. */
export function assertRefusal(response: LightMyRequestResponse, statusCode: number, code: string, context = ''): Record<string, unknown> {
  assert.equal(response.statusCode, statusCode, `${context} ${response.body}`.trim());
  const body = response.json() as Record<string, unknown>;
  assert.deepEqual(Object.keys(body).sort(), ['code', 'error', 'message', 'statusCode'], context);
  assert.equal(body.statusCode, statusCode, context);
  assert.equal(body.code, code, `${context} ${response.body}`.trim());
  assert.equal(typeof body.message, 'string', context);
  return body;
}

/** How many rows a table holds. */
export function rowCount(db: Database, table: 'requests' | 'request_events' | 'outbox'): number {
  return (db.$client.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
}

/** Every row of the request tables and the outbox, to compare before and after a refused call. */
export function requestTablesSnapshot(db: Database): string {
  return JSON.stringify(
    ['requests', 'request_events', 'outbox'].map((t) => db.$client.prepare(`select * from ${t} order by id`).all()),
  );
}

/** A wall-clock time on a date in the reading room's zone (New York by default). */
export function localInstant(date: string, time: string, zone = 'America/New_York'): Date {
  const instant = DateTime.fromISO(`${date}T${time}`, { zone });
  assert.ok(instant.isValid, `${date}T${time} in ${zone}`);
  return instant.toJSDate();
}

