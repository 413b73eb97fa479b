import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import type { HTTPMethods, LightMyRequestResponse } from 'fastify';
import type { Role } from '../../db/tables.ts';
import { todayIn } from '../../src/domain/calendar.ts';
import { SESSION_COOKIE } from '../../src/http/auth.ts';
import { declaredRoutes, type DeclaredRoute } from '../helpers/declared-routes.ts';
import { startReadingRoom, THANKSGIVING_MORNING, type TestReadingRoom } from '../helpers/reading-room.ts';
import { FuzzingAccounts, ROLES } from './fuzzing-accounts.ts';
import { DomainDigest, leakIn } from './invariants.ts';
import { boundary, encode, invalid, setToday, valid, type JsonSchema } from './json-schema.ts';
import { startWatchdog, type Watchdog } from './watchdog.ts';

// The routes the OpenAPI fuzzing cannot see: the pages and their form posts (hidden from the
// document), called as a browser calls them, with valid, boundary and invalid values generated
// from their own schemas, form-encoded, as every role's signed-in browser (session cookie and CSRF
// token) and a browser signed in as no one, sometimes without the CSRF token or with a wrong one.
// For every case: never a 5xx, no stack trace, SQL or hash in the page, and a 4xx changes no domain data.
//
// FUZZ_PAGE_CASES (default 1,500 in `npm test`; `npm run fuzz` runs 20,000); FUZZ_SEED replays a run.

const TOTAL_CASES = Number(process.env.FUZZ_PAGE_CASES ?? 1_500);
const CASE_LIMIT_MS = Number(process.env.FUZZ_CASE_LIMIT_MS ?? 10_000);
const SEED = process.env.FUZZ_SEED === undefined ? Date.now() ^ (Math.random() * 0x7fffffff) : Number(process.env.FUZZ_SEED);

type Caller = Role | 'none';
type CsrfUse = 'token' | 'none' | 'wrong';

interface PageCase {
  kind: string;
  caller: Caller;
  csrf: CsrfUse;
  path: Record<string, unknown>;
  query: Record<string, unknown>;
  form: Record<string, unknown>;
}

/** Pages and form posts: hidden routes of the app's own, not Swagger UI's nor bull-board's. */
const isPage = (r: DeclaredRoute) => r.hidden && r.method !== 'HEAD' && !r.url.startsWith('/docs') && !r.url.startsWith('/admin/queues');

/** Form posts whose well-formed bodies reach argon2 (~50 ms a hash): they get a smaller share. */
const hashes = (r: DeclaredRoute) => Object.keys((r.schema.body as JsonSchema | undefined)?.properties ?? {}).some((name) => /password/i.test(name));

const propertiesOf = (schema: unknown) => Object.entries((schema as JsonSchema | undefined)?.properties ?? {}).filter(([name]) => name !== '_csrf');

/** A record of each property's value, `value` for every one, or `odd` for one of them. */
function fields(schema: unknown, value: (s: JsonSchema) => fc.Arbitrary<unknown>, odd?: (s: JsonSchema) => fc.Arbitrary<unknown>): fc.Arbitrary<Record<string, unknown>> {
  const properties = propertiesOf(schema);
  const required = new Set((schema as JsonSchema | undefined)?.required ?? []);
  const all = fc.record(Object.fromEntries(properties.map(([name, s]) => [name, required.has(name) ? value(s) : fc.option(value(s), { nil: undefined })])));
  if (!odd || properties.length === 0) return all;
  return fc.tuple(all, fc.constantFrom(...properties)).chain(([values, [name, s]]) => odd(s).map((v) => ({ ...values, [name]: v })));
}

function caseArbitrary(route: DeclaredRoute, callers: readonly Caller[]): fc.Arbitrary<PageCase> {
  const { params, querystring, body } = route.schema;
  const shaped = (kind: string, value: (s: JsonSchema) => fc.Arbitrary<unknown>, odd?: (s: JsonSchema) => fc.Arbitrary<unknown>) =>
    fc.record({ kind: fc.constant(kind), path: fields(params, value), query: fields(querystring, value), form: fields(body, value, odd) });
  const base = fc.oneof(
    { weight: hashes(route) ? 2 : 6, arbitrary: shaped('valid', valid) },
    { weight: 2, arbitrary: shaped('boundary', boundary) },
    { weight: 3, arbitrary: shaped('invalid field', valid, invalid) },
    { weight: propertiesOf(params).length > 0 ? 2 : 0, arbitrary: fc.record({ kind: fc.constant('invalid path'), path: fields(params, valid, invalid), query: fields(querystring, valid), form: fields(body, valid) }) },
    { weight: propertiesOf(querystring).length > 0 ? 2 : 0, arbitrary: fc.record({ kind: fc.constant('invalid query'), path: fields(params, valid), query: fields(querystring, valid, invalid), form: fields(body, valid) }) },
  );
  return fc.record({
    base,
    caller: fc.constantFrom(...callers),
    csrf: fc.oneof({ weight: 8, arbitrary: fc.constant<CsrfUse>('token') }, { weight: 1, arbitrary: fc.constantFrom<CsrfUse>('none', 'wrong') }),
  }).map(({ base: b, caller, csrf }) => ({ ...b, caller, csrf }));
}

/** Values as a form or a query string carries them: lists as repeated fields, anything else as text. */
function formText(values: Record<string, unknown>): string {
  return Object.entries(values)
    .filter(([, value]) => value !== undefined)
    .flatMap(([name, value]) => (Array.isArray(value) ? value : [value]).map((one) => `${encodeURIComponent(name)}=${encode(one)}`))
    .join('&');
}

let room: TestReadingRoom;
let digest: DomainDigest;
let watchdog: Watchdog;
let routes: DeclaredRoute[] = [];
let fuzzing: FuzzingAccounts;
/** The CSRF secret's cookie and a token made from it: the pages' CSRF tokens are not tied to a session. */
let csrfCookie = '';
let csrfToken = '';
let remote = 0;

async function runCase(route: DeclaredRoute, c: PageCase): Promise<void> {
  remote += 1;
  const url = route.url.replace(/:(\w+)/g, (_, name: string) => encode(c.path[name] ?? '1'));
  const query = formText(c.query);
  const csrf = c.csrf === 'none' ? {} : { _csrf: c.csrf === 'token' ? csrfToken : `${csrfToken.slice(0, -4)}AAAA` };
  const form = formText({ ...c.form, ...csrf });
  const session = c.caller === 'none' ? undefined : fuzzing.token(c.caller);
  const cookie = [csrfCookie, ...(session ? [`${SESSION_COOKIE}=${session}`] : [])].join('; ');
  const post = route.method !== 'GET';
  const target = `${url}${query ? `?${query}` : ''}`;
  const context = `${route.method} ${target.slice(0, 300)} [${c.kind}, CSRF ${c.csrf}] as ${c.caller === 'none' ? 'no one' : `a ${c.caller}`}${post ? `, form ${form.slice(0, 300)}` : ''}`;

  const before = await digest.now();
  watchdog.busy(context);
  const response: LightMyRequestResponse = await room.app.inject({
    method: route.method as HTTPMethods,
    url: target,
    headers: { cookie, accept: 'text/html', ...(post ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
    remoteAddress: `10.${(remote >> 16) & 255}.${(remote >> 8) & 255}.${remote & 255}`,
    ...(post ? { payload: form } : {}),
  });
  watchdog.idle();
  try {
    assert.ok(response.statusCode < 500, `${context}\n→ ${response.statusCode}: ${response.body.slice(0, 500)}`);
    // A page may show back what was typed (a form filled in again): the values as sent count as the request's text.
    const leak = leakIn(response.body, `${target}\n${form}\n${JSON.stringify(c)}`, response.statusCode);
    assert.equal(leak, undefined, `${context}\n→ ${response.statusCode} carries ${leak}: ${response.body.slice(0, 500)}`);
    await digest.assertRefusalChangedNothing(before, response.statusCode, context);
  } finally {
    await fuzzing.restore();
  }
}

before(async () => {
  room = await startReadingRoom();
  setToday(todayIn(room.config.timezone, THANKSGIVING_MORNING));
  fuzzing = await FuzzingAccounts.make(room, 'page-fuzz');
  const signIn = await room.app.inject({ method: 'GET', url: '/sign-in' });
  const secret = signIn.cookies.find((c) => c.name === '_csrf');
  assert.ok(secret, 'the sign-in page gives a CSRF secret');
  csrfCookie = `_csrf=${secret.value}`;
  csrfToken = /name="_csrf" value="([^"]+)"/.exec(signIn.body)?.[1] ?? '';
  assert.ok(csrfToken, 'and a token in its form');
  const declared = await declaredRoutes({ config: room.config, db: room.db, redis: room.redis, clock: () => THANKSGIVING_MORNING });
  await declared.app.close();
  routes = declared.routes.filter(isPage);
  digest = await DomainDigest.of(room.db);
  watchdog = startWatchdog(CASE_LIMIT_MS);
});
after(async () => {
  await watchdog?.stop();
  await room?.close();
});

describe('fuzzing the pages and their form posts', () => {
  it(`${TOTAL_CASES} cases over every page and form post, as every role and no one: no 5xx, no leak, a 4xx changes no domain data`, async (t) => {
    assert.ok(routes.filter((r) => r.method === 'POST').length >= 15, `the form posts are found (${routes.length} page routes)`);
    const weights = routes.map((r) => (hashes(r) ? 1 : 4));
    const unit = TOTAL_CASES / weights.reduce((a, b) => a + b, 0);
    t.diagnostic(`seed ${SEED} (FUZZ_SEED=${SEED} replays it); ${routes.length} page routes`);
    for (const [i, route] of routes.entries()) {
      await t.test(`${route.method} ${route.url}`, async () => {
        await fc.assert(
          fc.asyncProperty(caseArbitrary(route, [...ROLES, 'none']), (c) => runCase(route, c)),
          { numRuns: Math.max(10, Math.round(unit * (weights[i] ?? 1))), seed: SEED + i, endOnFailure: true },
        );
      });
    }
  });
});
