import assert from 'node:assert/strict';
import { createHmac, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import { asc, eq } from 'drizzle-orm';
import { closeDatabase, openConfiguredDatabase, type Database } from '../../db/client.ts';
import { containers, requestEvents, requests } from '../../db/tables.ts';
import { seedDatabase } from '../../db/seed/index.ts';
import { createAccount } from '../../src/accounts/staff.ts';
import { closuresFrom } from '../../src/calendar/store.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import { bookingHorizon, calendarDays, earliestVisitDate, todayIn } from '../../src/domain/calendar.ts';
import { resolveJwtSecret } from '../../src/accounts/jwt-secret.ts';
import { runScript, type Child } from './child.ts';
import { mailsSince } from './outbox-mail.ts';
import { testDatabase } from './postgres.ts';
import { freePort } from './redis-server.ts';
import { uniqueQueuePrefix } from './workers.ts';

// Shared parts of the fault suite (test/faults) and of the tests of several processes: a prepared
// database, researchers with signed tokens, `npm start` as a child process, and what to check in a
// SQLite file after a fault.

export const FAULT_PASSWORD = 'a fault suite pass phrase';

export interface FaultDatabase {
  folder: string;
  /** The SQLite file (under `npm run test:postgres`, where a SQLite-only step would write). */
  path: string;
  /** Where the database is, as child processes are configured: the file, or PostgreSQL's URL; and the queue prefix. */
  env: Record<string, string>;
  config: Config;
  /** The test's own connection (close it before a fault if the test must not write). */
  db: Database;
  /** Closes the test's connection, drops a PostgreSQL database and removes the folder. */
  remove(): Promise<void>;
}

/**
 * A fresh folder and a migrated and seeded database, as `npm start` leaves it on first start: a
 * SQLite file, or under `npm run test:postgres` a PostgreSQL database of the test's own.
 */
export async function freshDatabase(env: Record<string, string> = {}): Promise<FaultDatabase> {
  const folder = mkdtempSync(join(tmpdir(), 'reading-room-faults-'));
  const where = await testDatabase(folder);
  const placed = { ...where.env, QUEUE_PREFIX: uniqueQueuePrefix() };
  const config = loadConfig({ NODE_ENV: 'test', ...placed, ...env });
  const db = await openConfiguredDatabase(config);
  await seedDatabase(db, config, todayIn(config.timezone, new Date()));
  return {
    folder,
    path: config.databasePath,
    env: placed,
    config,
    db,
    async remove() {
      await closeDatabase(db);
      await where.drop();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

export interface Researcher {
  id: number;
  email: string;
  token: string;
}

/** An HS256 token with the claims login issues: {sub, role, ver, iat, exp}. */
export function signToken(secret: string, user: { id: number; role: string; tokenVersion: number }, lifetimeSeconds = 3600): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const iat = Math.floor(Date.now() / 1000);
  const unsigned = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode({ sub: String(user.id), role: user.role, ver: user.tokenVersion, iat, exp: iat + lifetimeSeconds })}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}

/**
 * `count` researchers made with createAccount (verified), each with a token signed with the
 * secret a server on this database uses (JWT_SECRET or the `jwt-secret` file beside it).
 */
export async function makeResearchers(db: Database, config: Config, count: number, label = 'r'): Promise<Researcher[]> {
  const secret = resolveJwtSecret(config);
  const made: Researcher[] = [];
  const tag = randomUUID().slice(0, 6);
  for (let start = 0; start < count; start += 8) {
    const batch = Array.from({ length: Math.min(8, count - start) }, (_, i) => start + i);
    const users = await Promise.all(
      batch.map((n) =>
        createAccount(
          { db, publicUrl: config.publicUrl },
          { email: `${label}-${tag}-${n}@example.org`, password: FAULT_PASSWORD, name: `Researcher ${label}${n}`, role: 'researcher' },
          null,
          { ip: 'fault suite', now: new Date() },
        ),
      ),
    );
    for (const user of users) made.push({ id: user.id, email: user.email, token: signToken(secret, user) });
  }
  return made;
}

/**
 * Open days well inside the booking window (the first two and the last three are left out, so a
 * test running across midnight in the reading room's zone still books valid dates).
 */
export async function visitDates(db: Database, config: Config): Promise<string[]> {
  const today = todayIn(config.timezone, new Date());
  const closures = await closuresFrom(db, 1, today);
  const open = calendarDays(earliestVisitDate(today, closures), bookingHorizon(today, config.maxAdvanceDays), closures)
    .filter((d) => d.open)
    .map((d) => d.date);
  return open.slice(2, -3);
}

/** The containers a researcher can book without a curator (GEN MSS 238: all but 23–27 and the broadside). */
export async function openContainerIds(db: Database): Promise<number[]> {
  const rows = await db.select({ id: containers.id }).from(containers).where(eq(containers.restricted, false)).orderBy(asc(containers.id));
  return rows.map((r) => r.id);
}

/**
 * The booking of a writer's `n`-th submission: researchers in turn, each through the dates, then
 * the next container. Never a duplicate, and far from the daily limit for a few thousand.
 */
export function nthBooking<R>(n: number, researchers: readonly R[], dates: readonly string[], containers: readonly number[]) {
  const round = Math.floor(n / researchers.length);
  return {
    researcher: researchers[n % researchers.length] as R,
    visitDate: dates[round % dates.length] as string,
    containerId: containers[Math.floor(round / dates.length) % containers.length] as number,
  };
}

export interface ServerChild {
  child: Child;
  port: number;
  url: string;
  /** SIGTERM, then the exit (code 0 expected). */
  stop(): Promise<Awaited<Child['exit']>>;
  /** SIGKILL, then the exit. */
  kill(): Promise<Awaited<Child['exit']>>;
}

/** `npm start` (src/server.ts) in a child process on a free port; resolves once /health answers. */
export async function startServer(env: Record<string, string>, timeoutMs = 30_000): Promise<ServerChild> {
  const port = await freePort();
  const child = runScript('src/server.ts', { NODE_ENV: 'test', RUN_WORKERS: 'false', HOST: '127.0.0.1', PORT: String(port), ...env });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.process.exitCode !== null || child.process.signalCode !== null) {
      const { code, signal, stderr } = await child.exit;
      throw new Error(`the server exited before answering (code ${code}, signal ${signal}): ${stderr}`);
    }
    const healthy = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1_000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (healthy) break;
    if (Date.now() > deadline) {
      child.process.kill('SIGKILL');
      throw new Error(`the server did not answer /health within ${timeoutMs} ms`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const signalled = (signal: NodeJS.Signals) => () => {
    if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill(signal);
    return child.exit;
  };
  return { child, port, url, stop: signalled('SIGTERM'), kill: signalled('SIGKILL') };
}

export interface Answer {
  status: number;
  body: string;
  /** When the answer was read, `Date.now()` of this process. */
  at: number;
}

/** A JSON call over the network with a bearer token; a network error is status 0. */
export async function callJson(url: string, token: string, method: 'GET' | 'POST', body?: unknown, timeoutMs = 15_000): Promise<Answer> {
  try {
    const response = await fetch(url, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    return { status: response.status, body: await response.text(), at: Date.now() };
  } catch (error) {
    return { status: 0, body: String((error as Error).cause ?? error), at: Date.now() };
  }
}

/** A file's `PRAGMA integrity_check` and `PRAGMA foreign_key_check`, opened as a new connection would (WAL recovered). */
export function checkFile(path: string): { integrity: string; foreignKeyViolations: number } {
  const sqlite = new Sqlite(path, { fileMustExist: true });
  try {
    const integrity = (sqlite.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check).join('; ');
    const foreignKeyViolations = (sqlite.pragma('foreign_key_check') as unknown[]).length;
    return { integrity, foreignKeyViolations };
  } finally {
    sqlite.close();
  }
}

/** The request ids named in the outbox's `requests-submitted` mails. */
export async function requestIdsInSubmittedMails(db: Database): Promise<Set<number>> {
  const ids = new Set<number>();
  for (const { jobName, mail } of await mailsSince(db, 0)) {
    if (jobName !== 'requests-submitted') continue;
    for (const c of (mail.data as { containers: { requestId: number }[] }).containers) ids.add(c.requestId);
  }
  return ids;
}

/** A request a server answered 201 for: what it said it stored. */
export interface Acknowledged {
  id: number;
  researcherId: number;
  status: string;
}

/**
 * Every acknowledged request is stored as it was answered, with its creation event and its
 * researcher's requests-submitted mail; and whatever committed, acknowledged or not, committed
 * whole. How many requests the database holds.
 */
export async function assertAcknowledgedKept(db: Database, acknowledged: readonly Acknowledged[]): Promise<number> {
  const stored = new Map((await db.select({ id: requests.id, researcherId: requests.researcherId, status: requests.status }).from(requests)).map((r) => [r.id, r]));
  // Each request's first event: its creation.
  const events = new Map<number, { fromStatus: string | null; toStatus: string }>();
  for (const e of await db.select({ id: requestEvents.requestId, fromStatus: requestEvents.fromStatus, toStatus: requestEvents.toStatus }).from(requestEvents).orderBy(asc(requestEvents.id))) {
    if (!events.has(e.id)) events.set(e.id, e);
  }
  const mailed = await requestIdsInSubmittedMails(db);
  const missing = acknowledged.filter((a) => stored.get(a.id)?.researcherId !== a.researcherId || stored.get(a.id)?.status !== a.status);
  assert.deepEqual(missing, [], `${missing.length} of ${acknowledged.length} acknowledged requests are missing or differ`);
  const withoutEvent = acknowledged.filter((a) => events.get(a.id)?.toStatus !== a.status || events.get(a.id)?.fromStatus !== null);
  assert.deepEqual(withoutEvent, [], 'each acknowledged request has its creation event');
  const withoutMail = acknowledged.filter((a) => !mailed.has(a.id));
  assert.deepEqual(withoutMail, [], "each acknowledged request is in its researcher's requests-submitted mail");
  const partial = [...stored.keys()].filter((id) => !events.has(id) || !mailed.has(id));
  assert.deepEqual(partial, [], 'no stored request lacks its event or its mail');
  return stored.size;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface WriterLines {
  acks: { kind: 'request' | 'registration'; ids?: number[]; email?: string; researcherId?: number; at: number }[];
  errors: { name?: string; code?: unknown; statusCode?: number; apiError: boolean; message: string }[];
  done: { writer: string; acks: number; errors: number; ms: number } | undefined;
}

/** What a test/helpers/fault-writer.ts child printed so far, parsed. */
export function writerLines(child: Child): () => WriterLines {
  let stdout = '';
  child.process.stdout?.on('data', (chunk) => (stdout += chunk));
  return () => {
    const lines: WriterLines = { acks: [], errors: [], done: undefined };
    for (const text of stdout.split('\n')) {
      const space = text.indexOf(' ');
      const [tag, json] = [text.slice(0, space), text.slice(space + 1)];
      if (tag === 'ack') lines.acks.push(JSON.parse(json));
      else if (tag === 'error') lines.errors.push(JSON.parse(json));
      else if (tag === 'done') lines.done = JSON.parse(json);
    }
    return lines;
  };
}

/** `npm run cli -- <args>`: src/cli.ts in a child process with exactly `env` (and PATH). */
export const runCli = (args: string[], env: Record<string, string>): Child => runScript('src/cli.ts', env, args);
