import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import type { Database } from '../../db/client.ts';
import { onPostgres } from '../../db/engine.ts';
import { statement } from '../../db/statements.ts';
import { everyRowOf, everyTable } from '../helpers/stored-rows.ts';

// What holds for every answer, whatever was asked (docs/api.md, Errors): never a 5xx; every error in
// Fastify's shape with a stable code; no stack trace, SQL fragment or password hash; and a 4xx
// changes no data (security audit records and rate-limit counters aside).

/**
 * Leaks no error may carry. The SQL-looking ones only count when the request did not carry them
 * itself (a message may quote the input). A successful answer is only checked for password hashes
 * and secret fields: it may show stored text, which the fuzzing fills with SQL and HTML payloads.
 */
const SUCCESS_LEAKS = [
  { what: 'a password hash', pattern: /\$argon2/ },
  { what: 'a secret field', pattern: /(?<!\\)"(?:passwordHash|password_hash|tokenVersion|token_version|tokenHash|token_hash)"\s*:/ },
];
const LEAKS: { what: string; pattern: RegExp; echoable: boolean }[] = [
  { what: 'a password hash', pattern: /\$argon2/, echoable: false },
  { what: 'a stack trace', pattern: /\n\s+at [\w.<>[\] ]+ \(|\bat (?:async )?\S+ \((?:file|node):|\.(?:ts|js|mjs|cjs):\d+:\d+/, echoable: true },
  { what: 'an SQLite error', pattern: /SQLITE_[A-Z]+|SqliteError|better-sqlite3|no such (?:table|column)|syntax error|constraint failed/i, echoable: true },
  { what: 'a PostgreSQL error', pattern: /duplicate key value|violates (?:unique|foreign key|check|not-null|exclusion) constraint|relation "\w+" does not exist|invalid input syntax for type|DatabaseError|SQLSTATE/i, echoable: true },
  { what: 'an SQL fragment', pattern: /\b(?:select\s+[\w*"`., ]+\s+from|insert\s+into|update\s+"?\w+"?\s+set|delete\s+from)\b/i, echoable: true },
  { what: 'a column name', pattern: /\b(?:password_hash|token_hash|token_version|researcher_id|email_verified_at)\b/, echoable: true },
];

/** The first leak in an answer's text that the request's own text does not explain. */
export function leakIn(body: string, requestText = '', status = 400): string | undefined {
  if (status < 400) return SUCCESS_LEAKS.find(({ pattern }) => pattern.test(body))?.what;
  for (const { what, pattern, echoable } of LEAKS) {
    if (pattern.test(body) && !(echoable && pattern.test(requestText))) return what;
  }
  return undefined;
}

/**
 * The contract's invariants for one answer. Returns nothing; throws with `context` (which should
 * say how to reproduce the case) on the first broken one.
 */
export function assertSoundAnswer(response: LightMyRequestResponse, context: string, requestText = ''): void {
  const status = response.statusCode;
  assert.ok(status < 500, `${context}\n→ ${status}: ${response.body.slice(0, 500)}`);
  const leak = leakIn(response.body, requestText, status);
  assert.equal(leak, undefined, `${context}\n→ ${status} carries ${leak}: ${response.body.slice(0, 500)}`);
  if (status < 400) return;
  const type = String(response.headers['content-type'] ?? '');
  assert.match(type, /^application\/json/, `${context}\n→ ${status} is not JSON (${type}): ${response.body.slice(0, 300)}`);
  let body: Record<string, unknown>;
  try {
    body = response.json();
  } catch {
    assert.fail(`${context}\n→ ${status} body is not JSON: ${response.body.slice(0, 300)}`);
  }
  assert.ok(body !== null && typeof body === 'object' && !Array.isArray(body), `${context}\n→ ${status} body is not an object: ${response.body.slice(0, 300)}`);
  assert.equal(body.statusCode, status, `${context}\n→ statusCode in the body: ${response.body.slice(0, 300)}`);
  for (const key of ['code', 'error', 'message'] as const) {
    assert.ok(typeof body[key] === 'string' && (body[key] as string).length > 0, `${context}\n→ ${status} without a ${key}: ${response.body.slice(0, 300)}`);
  }
  assert.ok(!('stack' in body), `${context}\n→ ${status} has a stack: ${response.body.slice(0, 300)}`);
}

/** Tables whose changes a 4xx may make: the audit trail, which is also the per-address rate counter. */
const NOT_DOMAIN = new Set(['security_events', '__drizzle_migrations']);

/**
 * A digest of every domain table (collections, series, containers, closures, users, requests,
 * request_events, outbox, account_tokens, and any table added later), all rows and columns.
 * Recomputed only when a key of the tables' changes moved since the last time, each engine's own:
 * on SQLite the writing connection's `total_changes()` (a write, even one rolled back, moves it;
 * nothing else changes rows: the app writes through that one connection, db/client.ts); on
 * PostgreSQL each table's row count and highest `xmin`, the transaction that wrote a row version
 * (an insert or an update makes a version of a newer transaction than any before it, a delete
 * lowers the count; a write rolled back changes neither, nor any row).
 */
export class DomainDigest {
  private cached: { changes: number | string; digest: string; perTable: Map<string, string> } | undefined;

  private constructor(
    private readonly tables: string[],
    private readonly reads: Map<string, () => Promise<unknown[]>>,
    private readonly changes: () => Promise<number | string>,
  ) {}

  /** The digest of a database's domain tables. */
  static async of(db: Database): Promise<DomainDigest> {
    const tables = (await everyTable(db)).filter((name) => !NOT_DOMAIN.has(name));
    const reads = new Map<string, () => Promise<unknown[]>>();
    for (const name of tables) {
      const text = await everyRowOf(db, name);
      if (onPostgres) {
        const read = statement(db, text);
        reads.set(name, () => read.rows());
      } else {
        const read = db.$client.prepare(text).raw();
        reads.set(name, async () => read.all());
      }
    }
    if (onPostgres) {
      // One statement for every table: PostgreSQL's own statistics of changes come late.
      const key = statement<{ key: string }>(
        db,
        `select concat_ws(';', ${tables.map((name) => `(select count(*) || ':' || coalesce(max(xmin::text::bigint), 0) from "${name}")`).join(', ')}) as key`,
      );
      return new DomainDigest(tables, reads, async () => (await key.first())!.key);
    }
    const changes = db.$writer.$client.prepare('select total_changes() as n').pluck();
    return new DomainDigest(tables, reads, async () => changes.get() as number);
  }

  /** The tables it covers. */
  get covered(): readonly string[] {
    return this.tables;
  }

  private async compute(): Promise<{ digest: string; perTable: Map<string, string> }> {
    const perTable = new Map<string, string>();
    const all = createHash('sha256');
    for (const [name, read] of this.reads) {
      const rows = await read();
      const digest = createHash('sha256').update(JSON.stringify(rows, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : Buffer.isBuffer(v) ? v.toString('hex') : v))).digest('hex');
      perTable.set(name, `${rows.length}:${digest}`);
      all.update(`${name}=${digest};`);
    }
    return { digest: all.digest('hex'), perTable };
  }

  /** The digest now, with the per-table digests (row count and hash) to say what changed. */
  async now(): Promise<{ digest: string; perTable: Map<string, string> }> {
    const changes = await this.changes();
    if (this.cached?.changes !== changes) this.cached = { changes, ...(await this.compute()) };
    return this.cached;
  }

  /** A refusal (a 4xx) changed no domain data since `before`, or the assertion says which tables it changed. */
  async assertRefusalChangedNothing(before: { digest: string; perTable: Map<string, string> }, status: number, context: string): Promise<void> {
    if (status < 400 || status >= 500) return;
    const afterwards = await this.now();
    assert.equal(afterwards.digest, before.digest, `${context}\n→ a ${status} changed ${DomainDigest.changed(before, afterwards).join(', ')}`);
  }

  /** Runs `attempt` and checks that no domain data changed, whatever it answered; its answer. */
  async unchangedBy<Answer extends { statusCode: number }>(attempt: () => Promise<Answer>, context: string): Promise<Answer> {
    const before = await this.now();
    const answer = await attempt();
    const afterwards = await this.now();
    assert.equal(afterwards.digest, before.digest, `${context}: ${answer.statusCode} changed ${DomainDigest.changed(before, afterwards).join(', ')}`);
    return answer;
  }

  /** The tables whose rows differ between two digests. */
  static changed(before: { perTable: Map<string, string> }, after: { perTable: Map<string, string> }): string[] {
    return [...after.perTable.keys()].filter((name) => before.perTable.get(name) !== after.perTable.get(name));
  }
}
