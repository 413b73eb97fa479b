import assert from 'node:assert/strict';
import { STATUS_CODES } from 'node:http';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import type { HTTPMethods, InjectOptions, LightMyRequestResponse } from 'fastify';
import { statement } from '../../db/statements.ts';
import type { Role } from '../../db/tables.ts';
import { todayIn } from '../../src/domain/calendar.ts';
import { resolveJwtSecret } from '../../src/accounts/jwt-secret.ts';
import { asUser, makeAccount, signIn } from '../helpers/people.ts';
import { startReadingRoom, THANKSGIVING_MORNING, type TestReadingRoom } from '../helpers/reading-room.ts';
import { forgedAuthorizations, signedOddities } from './forged-tokens.ts';
import { FuzzingAccounts, ROLES } from './fuzzing-accounts.ts';
import { assertSoundAnswer, DomainDigest } from './invariants.ts';
import { startWatchdog, type Watchdog } from './watchdog.ts';
import { anyString, beyond, boundary, encode, encodeText, extreme, invalid, setToday, valid, type JsonSchema } from './json-schema.ts';

// Every path and method of the OpenAPI document, read at test time (a route added later is fuzzed
// without anyone remembering to), called with valid, boundary and invalid inputs generated from
// its own schemas, as every role, without a token, and (where the route has `security`) with
// forged tokens. For every case: never a 5xx; every error in the contract's shape without a stack
// trace, SQL or password hash; and a 4xx changes no domain data.
//
// FUZZ_CASES (default 10,000) is the total; FUZZ_SEED replays a run. `npm run fuzz` runs 100,000.

const TOTAL_CASES = Number(process.env.FUZZ_CASES ?? 10_000);
/** Only the operations whose `METHOD /path` matches (to chase one bug); all by default. */
const ONLY = new RegExp(process.env.FUZZ_ROUTES ?? '');
/** One case may hold the event loop this long before the watchdog ends the run. */
const CASE_LIMIT_MS = Number(process.env.FUZZ_CASE_LIMIT_MS ?? 10_000);
const SEED = process.env.FUZZ_SEED === undefined ? Date.now() ^ (Math.random() * 0x7fffffff) : Number(process.env.FUZZ_SEED);

type Caller = Role | 'none' | 'forged';

interface Parameter {
  in: 'path' | 'query' | 'header' | 'cookie';
  name: string;
  required?: boolean;
  schema: JsonSchema;
}

interface Operation {
  method: string;
  path: string;
  parameters: Parameter[];
  body?: { required: boolean; schema: JsonSchema };
  secured: boolean;
  documented: Set<string>;
}

interface FuzzCase {
  kind: string;
  caller: Caller;
  forgery: number;
  path: Record<string, string>;
  query: string;
  payload?: string;
  contentType?: string;
}

// ---------------------------------------------------------------------------------------------
// The operations of the document

function operationsOf(document: { paths: Record<string, Record<string, Record<string, unknown>>> }): Operation[] {
  const operations: Operation[] = [];
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const requestBody = operation.requestBody as { required?: boolean; content?: Record<string, { schema: JsonSchema }> } | undefined;
      const json = requestBody?.content?.['application/json'];
      operations.push({
        method: method.toUpperCase(),
        path,
        parameters: (operation.parameters as Parameter[] | undefined) ?? [],
        ...(json ? { body: { required: requestBody?.required ?? false, schema: json.schema } } : {}),
        secured: Array.isArray(operation.security) && operation.security.length > 0,
        documented: new Set(Object.keys((operation.responses as Record<string, unknown>) ?? {})),
      });
    }
  }
  return operations;
}

/** Routes whose well-formed bodies reach argon2 (~50 ms a hash): they get a smaller share. */
const hashes = (op: Operation) => Object.keys(op.body?.schema.properties ?? {}).some((name) => /password/i.test(name));

// ---------------------------------------------------------------------------------------------
// Cases from the schemas


/** Segments a client should never send: bad percent-encoding, dots, encoded slashes, NUL. */
const RAW_SEGMENTS = ['%', '%zz', '%C0%AE', '%00', '%2F', '..', '.', '%2e%2e', '%E2%80%AE', '%F0%9F%98%80', '-1', '0', '1.5', '1e3', '0x1', '%201', '9007199254740992', '9'.repeat(400), "1%27%20OR%20%271%27%3D%271"];

const queryText = (pairs: [string, unknown][]) => pairs.map(([k, v]) => `${encodeText(k)}=${encode(v)}`).join('&');

/** Query strings that are wrong as text, whatever the schema. */
const RAW_QUERIES = ['%', 'a=%zz', '&&&', '=x', '__proto__[role]=admin', 'constructor[prototype][x]=1', 'limit[]=1', 'date[]=2026-12-01', 'x'.repeat(5000) + '=1', 'limit=1&limit=2', 'status=scheduled&status=paged'];

function caseArbitrary(op: Operation, callers: readonly Caller[], forgeries: number): fc.Arbitrary<FuzzCase> {
  const pathParams = op.parameters.filter((p) => p.in === 'path');
  const queryParams = op.parameters.filter((p) => p.in === 'query');

  const pathOf = (value: (p: Parameter) => fc.Arbitrary<unknown>) =>
    fc.record(Object.fromEntries(pathParams.map((p) => [p.name, value(p).map(encode)]))) as fc.Arbitrary<Record<string, string>>;
  const validPath = pathOf((p) => valid(p.schema));
  const boundaryPath = pathOf((p) => boundary(p.schema));
  const invalidPath =
    pathParams.length === 0
      ? validPath
      : fc.tuple(validPath, fc.constantFrom(...pathParams)).chain(([path, param]) =>
          fc.oneof(invalid(param.schema).map(encode), fc.constantFrom(...RAW_SEGMENTS)).map((segment) => ({ ...path, [param.name]: segment })),
        );

  const queryOf = (value: (p: Parameter) => fc.Arbitrary<unknown>) =>
    fc
      .tuple(...queryParams.map((p) => (p.required ? value(p).map((v) => [[p.name, v]]) : fc.option(value(p).map((v) => [[p.name, v]]), { nil: [], freq: 2 }))))
      .map((pairs) => queryText(pairs.flat() as [string, unknown][]));
  const validQuery = queryParams.length === 0 ? fc.constant('') : queryOf((p) => valid(p.schema));
  const boundaryQuery = queryParams.length === 0 ? fc.constant('') : queryOf((p) => boundary(p.schema));
  const invalidQuery = fc.oneof(
    ...(queryParams.length > 0
      ? [
          fc.tuple(validQuery, fc.constantFrom(...queryParams)).chain(([query, param]) =>
            invalid(param.schema).map((v) => [query.split('&').filter((kv) => kv && !kv.startsWith(`${param.name}=`)).join('&'), `${encodeText(param.name)}=${encode(v)}`].filter(Boolean).join('&')),
          ),
          fc.tuple(validQuery, fc.constantFrom(...queryParams), fc.constantFrom(...queryParams)).chain(([query, a, b]) =>
            fc.tuple(valid(a.schema), valid(b.schema)).map(([x, y]) => [query, queryText([[a.name, x], [a.name, y]])].filter(Boolean).join('&')),
          ),
        ]
      : []),
    fc.tuple(validQuery, fc.constantFrom('role', 'researcherId', 'status', 'limit', 'admin', 'debug', '__proto__'), anyString).map(([query, k, v]) => [query, queryText([[k, v]])].filter(Boolean).join('&')),
    fc.constantFrom(...RAW_QUERIES),
  );

  const json = (value: unknown) => ({ payload: JSON.stringify(value) ?? 'null', contentType: 'application/json' });
  const schema = op.body?.schema;
  const validBody = schema ? valid(schema).map(json) : fc.constant({});
  const boundaryBody = schema ? boundary(schema).map(json) : fc.constant({});
  const invalidBody = schema ? invalid(schema).map(json) : fc.constant({});
  const badJson = fc
    .oneof(
      fc.constantFrom('{', '}', '{"a":}', "{'a':1}", '{"a":1,}', 'nul', 'undefined', 'NaN', '\u0000', '\ufeff{}', '{"a":"\\x00"}', '{"a":"\\ud800"}', '[1,2', '{"__proto__":{"role":"admin"}}', '{"constructor":{"prototype":{"role":"admin"}}}', '{"a":1}{"b":2}', '1e99999'),
      fc.integer({ min: 1000, max: 6000 }).map((n) => '['.repeat(n) + ']'.repeat(n)),
      fc.integer({ min: 1000, max: 6000 }).map((n) => '{"a":'.repeat(n) + '1' + '}'.repeat(n)),
      fc.string({ unit: 'binary', maxLength: 100 }),
    )
    .map((payload) => ({ payload, contentType: 'application/json' }));
  const wrongContentType = fc
    .tuple(
      schema ? valid(schema).map((v) => JSON.stringify(v) ?? '') : fc.constant('{"a":1}'),
      fc.constantFrom('text/plain', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded', 'application/xml', 'application/octet-stream', 'application/json; charset=utf-16', 'application/jsonx', 'text/json', '*/*', '', 'application/json, text/plain'),
    )
    .map(([text, contentType]) => {
      if (contentType.startsWith('multipart')) return { payload: `--x\r\nContent-Disposition: form-data; name="body"\r\n\r\n${text}\r\n--x--\r\n`, contentType };
      if (contentType === 'application/x-www-form-urlencoded') {
        const object = (() => {
          try {
            return JSON.parse(text) as unknown;
          } catch {
            return {};
          }
        })();
        const pairs = object && typeof object === 'object' && !Array.isArray(object) ? Object.entries(object) : [];
        return { payload: queryText(pairs), contentType };
      }
      return { payload: text, contentType };
    });
  const missingBody = fc.constantFrom({}, { payload: '', contentType: 'application/json' }, { payload: '', contentType: 'text/plain' }, { payload: 'null', contentType: 'application/json' });

  const expensive = hashes(op);
  const kinds: { weight: number; arbitrary: fc.Arbitrary<Omit<FuzzCase, 'caller' | 'forgery'>> }[] = [
    { weight: expensive ? 2 : 7, arbitrary: fc.record({ kind: fc.constant('valid'), path: validPath, query: validQuery, body: validBody }).map(flatten) },
    { weight: expensive ? 1 : 3, arbitrary: fc.record({ kind: fc.constant('boundary'), path: boundaryPath, query: boundaryQuery, body: boundaryBody }).map(flatten) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('invalid body'), path: validPath, query: validQuery, body: op.body ? invalidBody : wrongContentType }).map(flatten) },
    { weight: pathParams.length > 0 ? 2 : 0, arbitrary: fc.record({ kind: fc.constant('invalid path'), path: invalidPath, query: validQuery, body: validBody }).map(flatten) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('invalid query'), path: validPath, query: invalidQuery, body: validBody }).map(flatten) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('bad JSON'), path: validPath, query: validQuery, body: badJson }).map(flatten) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('wrong content type'), path: validPath, query: validQuery, body: wrongContentType }).map(flatten) },
    { weight: op.body ? 1 : 0, arbitrary: fc.record({ kind: fc.constant('missing body'), path: validPath, query: validQuery, body: missingBody }).map(flatten) },
  ];
  const caller = fc.oneof(...callers.map((c) => ({ weight: c === 'none' || c === 'forged' ? 1 : 2, arbitrary: fc.constant(c) })));
  return fc.record({
    base: fc.oneof(...kinds.filter((k) => k.weight > 0)),
    caller,
    forgery: fc.nat({ max: Math.max(0, forgeries - 1) }),
  }).map(({ base, caller, forgery }) => ({ ...base, caller, forgery }));
}

/**
 * Cases run before the random ones, on every run whatever the seed: the far edges of every
 * parameter and body field at once (the last day of the calendar, the longest texts, the largest
 * ids and lists), then each parameter alone just past its limit; as each caller.
 */
function extremeCases(op: Operation, callers: readonly Caller[]): FuzzCase[] {
  const pathParams = op.parameters.filter((p) => p.in === 'path');
  const queryParams = op.parameters.filter((p) => p.in === 'query');
  const edges = (['max', 'min'] as const).flatMap((side) => {
    const path = Object.fromEntries(pathParams.map((p) => [p.name, encode(extreme(p.schema, side))]));
    const query = queryText(queryParams.filter((p) => side === 'max' || p.required).map((p) => [p.name, extreme(p.schema, side)]));
    const body = op.body ? { payload: JSON.stringify(extreme(op.body.schema, side)), contentType: 'application/json' } : {};
    return callers.map((caller) => ({ kind: `extreme ${side}`, caller, forgery: 0, path, query, ...body }));
  });
  // One parameter at a time just past its limit, the others at their smallest.
  const past = [...pathParams, ...queryParams].flatMap((param) => {
    const path = Object.fromEntries(pathParams.map((p) => [p.name, p === param ? encodeText(beyond(p.schema)) : encode(extreme(p.schema, 'min'))]));
    const pairs = queryParams.filter((p) => p.required || p === param).map((p): [string, unknown] => [p.name, p === param ? beyond(p.schema) : extreme(p.schema, 'min')]);
    const body = op.body ? { payload: JSON.stringify(extreme(op.body.schema, 'min')), contentType: 'application/json' } : {};
    return callers.map((caller) => ({ kind: `${param.name} beyond its limit`, caller, forgery: 0, path, query: queryText(pairs), ...body }));
  });
  return [...edges, ...past];
}

function flatten({ kind, path, query, body }: { kind: string; path: Record<string, string>; query: string; body: { payload?: string; contentType?: string } }) {
  return { kind, path, query, ...body };
}

// ---------------------------------------------------------------------------------------------
// The run

interface RouteStats {
  cases: number;
  ms: number;
  statuses: Map<number, number>;
}

let room: TestReadingRoom;
let digest: DomainDigest;
let watchdog: Watchdog;
let fuzzing: FuzzingAccounts;
let forged: string[] = [];
let operations: Operation[] = [];
const stats = new Map<string, RouteStats>();

/**
 * Contract points checked on every case but reported together at the end (a test each), so that
 * one of them failing does not stop the fuzzing of a route: findings, by kind, by route and status.
 */
const FINDINGS = {
  undocumented: 'every status an operation answers is documented in the OpenAPI document (docs/api.md: "for every status it can answer")',
  reasonPhrase: "every error's `error` is the reason phrase of its statusCode (Fastify's shape)",
  headers: "every answer carries helmet's headers (x-content-type-options, content-security-policy) and no x-powered-by",
  notJson: 'a body that is not JSON is refused with 415 (docs/api.md), never accepted',
} as const;
const findings = new Map<keyof typeof FINDINGS, Map<string, string>>(Object.keys(FINDINGS).map((k) => [k as keyof typeof FINDINGS, new Map()]));

function noteFindings(op: Operation, c: FuzzCase, response: LightMyRequestResponse, context: string): void {
  const status = response.statusCode;
  const where = `${op.method} ${op.path} → ${status}`;
  const example = () => `${context}\n→ ${status} ${JSON.stringify(response.headers).slice(0, 200)} ${response.body.slice(0, 200)}`;
  const note = (kind: keyof typeof FINDINGS, key = where) => {
    const seen = findings.get(kind);
    const id = key.split(' (first on ')[0] ?? key;
    if (seen && ![...seen.keys()].some((k) => (k.split(' (first on ')[0] ?? k) === id)) seen.set(key, example());
  };
  if (!op.documented.has(String(status)) && !op.documented.has('default')) note('undocumented');
  let code = '';
  if (status >= 400) {
    try {
      const body = response.json() as { error?: unknown; code?: unknown };
      code = String(body.code);
      if (body.error !== STATUS_CODES[status]) note('reasonPhrase', `${status} ${code} says "${String(body.error)}" (first on ${op.method} ${op.path})`);
    } catch {
      // Not JSON: the core property reports it.
    }
  }
  if (response.headers['x-content-type-options'] !== 'nosniff' || !response.headers['content-security-policy'] || response.headers['x-powered-by'] !== undefined) {
    note('headers', `${status} ${code} (first on ${op.method} ${op.path})`);
  }
  const type = (c.contentType ?? '').toLowerCase();
  if (op.body && status < 300 && c.payload && !/^application\/json\s*(;|$)/.test(type)) note('notJson', `${where} (${c.contentType ?? 'no content-type'})`);
}

let remote = 0;

function describeCase(op: Operation, c: FuzzCase, url: string, authorization: string | undefined): string {
  const body = c.payload === undefined ? '(no body)' : `${c.payload.length > 300 ? `${JSON.stringify(c.payload.slice(0, 300))}… (${c.payload.length} chars)` : JSON.stringify(c.payload)}`;
  const who = c.caller === 'forged' ? `forged Authorization ${JSON.stringify((authorization ?? '').slice(0, 120))}` : c.caller === 'none' ? 'no token' : `a ${c.caller}`;
  return `${op.method} ${url.length > 300 ? `${url.slice(0, 300)}…` : url} [${c.kind}] as ${who}, content-type ${JSON.stringify(c.contentType ?? null)}, body ${body}`;
}

async function runCase(op: Operation, c: FuzzCase): Promise<void> {
  remote += 1;
  const url = op.path.replace(/\{(\w+)\}/g, (_, name: string) => c.path[name] ?? '1') + (c.query ? `?${c.query}` : '');
  const headers: Record<string, string> = {};
  if (c.contentType !== undefined) headers['content-type'] = c.contentType;
  let authorization: string | undefined;
  if (c.caller === 'forged') authorization = forged[c.forgery % forged.length];
  else if (c.caller !== 'none') authorization = `Bearer ${fuzzing.token(c.caller)}`;
  if (authorization !== undefined) headers.authorization = authorization;
  const options: InjectOptions = {
    method: op.method as HTTPMethods,
    url,
    headers,
    // A new address each case, so that the per-IP limit of the account routes never answers instead.
    remoteAddress: `10.${(remote >> 16) & 255}.${(remote >> 8) & 255}.${remote & 255}`,
    ...(c.payload === undefined ? {} : { payload: c.payload }),
  };
  const context = describeCase(op, c, url, authorization);

  const before = await digest.now();
  const started = performance.now();
  watchdog.busy(context);
  const response: LightMyRequestResponse = await asUser(room.app, undefined, options);
  watchdog.idle();
  const elapsed = performance.now() - started;

  const key = `${op.method} ${op.path}`;
  const route = stats.get(key) ?? { cases: 0, ms: 0, statuses: new Map() };
  route.cases += 1;
  route.ms += elapsed;
  route.statuses.set(response.statusCode, (route.statuses.get(response.statusCode) ?? 0) + 1);
  stats.set(key, route);
  noteFindings(op, c, response, context);

  try {
    assertSoundAnswer(response, context, `${url}\n${c.payload ?? ''}\n${authorization ?? ''}`);
    await digest.assertRefusalChangedNothing(before, response.statusCode, `${context}: ${response.body.slice(0, 300)}`);
  } finally {
    await fuzzing.restore();
  }
}

before(async () => {
  room = await startReadingRoom();
  setToday(todayIn(room.config.timezone, THANKSGIVING_MORNING));
  fuzzing = await FuzzingAccounts.make(room, 'fuzz');
  await seedRequests();
  const forgery = { secret: resolveJwtSecret(room.config), subjects: ROLES.map((role) => ({ id: fuzzing.account(role).user.id, role })), now: new Date() };
  forged = [...forgedAuthorizations(forgery), ...signedOddities(forgery).map((o) => o.authorization)];
  const document = await room.app.inject({ method: 'GET', url: '/docs/json' });
  assert.equal(document.statusCode, 200);
  operations = operationsOf(document.json()).filter((op) => ONLY.test(`${op.method} ${op.path}`));
  digest = await DomainDigest.of(room.db);
  // The digest sees a change to a domain table (a new row, a changed one), and sees it undone.
  const untouched = (await digest.now()).digest;
  await statement(room.db.$writer, "insert into closures (date, reason) values ('1900-01-01', 'digest check')").write();
  const inserted = (await digest.now()).digest;
  assert.notEqual(inserted, untouched, 'the digest sees a new row');
  await statement(room.db.$writer, "update closures set reason = 'digest check, changed' where date = '1900-01-01'").write();
  assert.notEqual((await digest.now()).digest, inserted, 'sees a row changed');
  await statement(room.db.$writer, "delete from closures where date = '1900-01-01'").write();
  assert.equal((await digest.now()).digest, untouched, 'and sees it gone');
  watchdog = startWatchdog(CASE_LIMIT_MS);
});
after(async () => {
  await watchdog?.stop();
  await room?.close();
});

/** Requests of two researchers in several statuses, so ids near 1 name real requests. */
async function seedRequests(): Promise<void> {
  const other = await makeAccount(room.db, 'researcher', { email: 'fuzz-other@example.org' });
  const otherToken = await signIn(room.app, other.email, other.password);
  const calendar = (await room.app.inject({ method: 'GET', url: '/api/v1/calendar' })).json() as { earliestVisitDate: string; days: { date: string; open: boolean }[] };
  const open = calendar.days.filter((d) => d.open && d.date >= calendar.earliestVisitDate).map((d) => d.date);
  const researcher = fuzzing.token('researcher');
  const staff = fuzzing.token('staff');
  for (const [i, date] of open.slice(0, 6).entries()) {
    const mine = await asUser(room.app, researcher, { method: 'POST', url: '/api/v1/requests', payload: { visitDate: date, containerIds: [1 + i, 2 + i, 23 + (i % 5)] } });
    assert.equal(mine.statusCode, 201, mine.body);
    const theirs = await asUser(room.app, otherToken, { method: 'POST', url: '/api/v1/requests', payload: { visitDate: date, containerIds: [1 + i, 10 + i] } });
    assert.equal(theirs.statusCode, 201, theirs.body);
    const first = (mine.json() as { items: { id: number }[] }).items[0];
    if (i % 2 === 0 && first) await asUser(room.app, staff, { method: 'POST', url: `/api/v1/requests/${first.id}/transition`, payload: { to: 'paged' } });
  }
}

describe('fuzzing every operation of the OpenAPI document', () => {
  it(`${TOTAL_CASES} cases over every path and method: no 5xx, errors in the contract's shape without leaks, a 4xx changes no domain data`, async (t) => {
    if (!process.env.FUZZ_ROUTES) assert.ok(operations.length >= 20, `the document lists the operations (${operations.length})`);
    const weights = operations.map((op) => (hashes(op) ? 1 : 4));
    const unit = TOTAL_CASES / weights.reduce((a, b) => a + b, 0);
    const started = performance.now();
    let planned = 0;
    const stopped = new Set<Operation>();
    t.diagnostic(`seed ${SEED} (FUZZ_SEED=${SEED} replays it); ${operations.length} operations; domain tables: ${digest.covered.join(', ')}`);
    for (const [i, op] of operations.entries()) {
      const numRuns = Math.max(20, Math.round(unit * (weights[i] ?? 1)));
      const callers: Caller[] = [...ROLES, 'none', ...(op.secured ? (['forged'] as const) : [])];
      planned += numRuns;
      await t.test(`${op.method} ${op.path}`, async () => {
        stopped.add(op);
        await fc.assert(
          fc.asyncProperty(caseArbitrary(op, callers, forged.length), (c) => runCase(op, c)),
          { numRuns, seed: SEED + i, endOnFailure: true, includeErrorInReport: true, examples: extremeCases(op, callers).map((c) => [c]) },
        );
        stopped.delete(op);
      });
    }
    const seconds = (performance.now() - started) / 1000;
    const lines = [...stats.entries()].map(([key, s]) => {
      const statuses = [...s.statuses.entries()].sort(([a], [b]) => a - b).map(([status, n]) => `${status}×${n}`).join(' ');
      return `${key.padEnd(52)} ${String(s.cases).padStart(6)} cases ${(s.ms / s.cases).toFixed(2).padStart(7)} ms/case  ${statuses}`;
    });
    const total = [...stats.values()].reduce((sum, s) => sum + s.cases, 0);
    for (const line of [...lines, `${total} cases in ${seconds.toFixed(1)} s`]) t.diagnostic(line);
    // A route whose property failed stops at its first counterexample; every other one ran in full.
    const cut = operations.filter((op) => stopped.has(op)).map((op) => `${op.method} ${op.path}`);
    if (cut.length === 0) assert.ok(total >= planned, `${total} cases ran of ${planned}`);
    else t.diagnostic(`stopped at a counterexample: ${cut.join(', ')}`);
  });

  for (const [kind, title] of Object.entries(FINDINGS)) {
    it(title, () => {
      const found = findings.get(kind as keyof typeof FINDINGS) ?? new Map<string, string>();
      assert.ok(stats.size > 0, 'the fuzzing ran');
      if (found.size > 0) assert.fail(`${found.size} found (route → status, then one reproducing case each):\n${[...found.keys()].join('\n')}\n\n${[...found.values()].map((e) => e.slice(0, 700)).join('\n\n')}`);
    });
  }
});
