import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { HTTPMethods, InjectOptions, LightMyRequestResponse } from 'fastify';
import { and, asc, count, eq, inArray, sql } from 'drizzle-orm';
import { commit } from '../../db/transactions.ts';
import { collections, requests, savedItems, users, type Role } from '../../db/tables.ts';
import { mailsSince } from '../helpers/outbox-mail.ts';
import { addDays } from '../../src/domain/calendar.ts';
import { cursorAfter } from '../../src/http/schemas.ts';
import { resolveJwtSecret } from '../../src/accounts/jwt-secret.ts';
import { assertRefusal } from '../helpers/answers.ts';
import { type Account, asUser, bearer, makeAccount, PASSWORD, signIn } from '../helpers/people.ts';
import { startReadingRoom, THANKSGIVING_MORNING, type TestReadingRoom } from '../helpers/reading-room.ts';
import { forgedAuthorizations, signedOddities, signJwt } from '../fuzz/forged-tokens.ts';
import { assertSoundAnswer, DomainDigest } from '../fuzz/invariants.ts';
import { declaredRoutes } from '../helpers/declared-routes.ts';

// The OWASP API Security Top 10 (2023), the items that apply to this service, each as a test
// named by its item. The role matrix itself is test/accounts/authorization-matrix.test.ts and the
// per-address limits one request at a time are test/accounts/abuse.test.ts; here, the attacks.
// Not applicable: API7 (server-side request forgery: the API never fetches a URL it is given) and
// API10 (unsafe consumption of APIs: it consumes none).

let room: TestReadingRoom;
let digest: DomainDigest;
const people = new Map<string, Account & { token: string }>();
let ipCounter = 0;
/** A fresh client address per call, unless a test is about one address. */
const nextIp = () => `172.16.${(++ipCounter >> 8) & 255}.${ipCounter & 255}`;

async function person(key: string, role: Role): Promise<Account & { token: string }> {
  const account = await makeAccount(room.db, role, { email: `${key}@example.org`, name: `The ${key}` });
  const entry = { ...account, token: await signIn(room.app, account.email, account.password) };
  people.set(key, entry);
  return entry;
}
const who = (key: string) => {
  const p = people.get(key);
  assert.ok(p, key);
  return p;
};

/** An injected call whose address is a string, as every call of this file gives it. */
type Call = InjectOptions & { url: string };

async function call(token: string | undefined, options: Call): Promise<LightMyRequestResponse> {
  const response = await asUser(room.app, token, { remoteAddress: nextIp(), ...options });
  assertSoundAnswer(response, `${options.method} ${options.url} ${JSON.stringify(options.payload ?? '').slice(0, 200)}`, `${options.url}\n${typeof options.payload === 'string' ? options.payload : JSON.stringify(options.payload ?? '')}`);
  return response;
}

/** Open business days from the earliest visit date on (the calendar's own answer). */
let openDays: string[] = [];

async function submit(token: string, visitDate: string, containerIds: number[], extra: object = {}) {
  return call(token, { method: 'POST', url: '/api/v1/requests', payload: { visitDate, containerIds, ...extra } });
}

const saveBox = (token: string, containerId: number) => call(token, { method: 'POST', url: '/api/v1/me/saved', payload: { containerId } });

const requestRow = async (id: number) => (await room.db.select().from(requests).where(eq(requests.id, id)))[0];
/** How many users, requests and collections there are: a table dropped or emptied shows here. */
const tableCounts = async () => ({
  users: await rowsIn(users),
  requests: await rowsIn(requests),
  collections: await rowsIn(collections),
});
const rowsIn = async (table: typeof users | typeof requests | typeof collections) => (await room.db.select({ n: count() }).from(table))[0]?.n;
const userRow = async (id: number) => {
  const [row] = await room.db.select().from(users).where(eq(users.id, id));
  assert.ok(row, `user ${id}`);
  return row;
};

before(async () => {
  room = await startReadingRoom();
  digest = await DomainDigest.of(room.db);
  await Promise.all([
    person('alice', 'researcher'),
    person('bob', 'researcher'),
    person('desk', 'staff'),
    person('keeper', 'curator'),
    person('boss', 'admin'),
  ]);
  const calendar = (await call(undefined, { method: 'GET', url: '/api/v1/calendar' })).json() as { earliestVisitDate: string; days: { date: string; open: boolean }[] };
  openDays = calendar.days.filter((d) => d.open && d.date >= calendar.earliestVisitDate).map((d) => d.date);
  assert.ok(openDays.length > 20);
});
after(() => room.close());


describe('API1:2023 Broken Object Level Authorization', () => {
  it("API1: a researcher cannot read, list, follow or cancel another researcher's request: 404 as for a request that does not exist, and nothing changes", async () => {
    const alice = who('alice');
    const bob = who('bob');
    const created = await submit(alice.token, openDays[0] ?? '', [3]);
    assert.equal(created.statusCode, 201, created.body);
    const id = (created.json() as { items: { id: number }[] }).items[0]?.id ?? 0;
    const before = await requestRow(id);

    const missing = await call(bob.token, { method: 'GET', url: '/api/v1/requests/99999999' });
    assertRefusal(missing, 404, 'NOT_FOUND', 'a request that does not exist');
    // Ids run to 2,147,483,647 (src/domain/ids.ts) on both engines: one past it is no id at all.
    assertRefusal(await call(bob.token, { method: 'GET', url: '/api/v1/requests/2147483648' }), 400, 'FST_ERR_VALIDATION', 'an id past the largest');
    for (const [method, url, payload] of [
      ['GET', `/api/v1/requests/${id}`, undefined],
      ['GET', `/api/v1/requests/${id}/events`, undefined],
      ['POST', `/api/v1/requests/${id}/cancel`, { reason: 'Not mine, but why not' }],
      ['POST', `/api/v1/requests/${id}/cancel`, undefined],
    ] as const) {
      const response = await digest.unchangedBy(() => call(bob.token, { method, url, ...(payload ? { payload } : {}) }), `${method} ${url} by another researcher`);
      assertRefusal(response, 404, 'NOT_FOUND', `${method} ${url} by another researcher`);
    }
    assert.deepEqual(await requestRow(id), before, "alice's request is untouched");

    // Listing: a researcher's filters cannot reach someone else's requests.
    for (const query of [`researcherId=${alice.user.id}`, `researcherId=${alice.user.id}&visitDate=${openDays[0]}`, 'limit=200', `status=scheduled&researcherId=${alice.user.id}`]) {
      const list = await call(bob.token, { method: 'GET', url: `/api/v1/requests?${query}` });
      assert.equal(list.statusCode, 200, list.body);
      const items = (list.json() as { items: { id: number; researcherId: number }[] }).items;
      assert.ok(items.every((r) => r.researcherId === bob.user.id), `GET /api/v1/requests?${query} as bob shows only bob's: ${list.body.slice(0, 300)}`);
      assert.ok(!items.some((r) => r.id === id), `?${query}`);
    }
    // The owner still sees it, so the 404s above were about ownership.
    assert.equal((await call(alice.token, { method: 'GET', url: `/api/v1/requests/${id}` })).statusCode, 200);
  });

  it("API1: ids written in other ways (leading zeros, signs, exponent, padding) reach no one else's request", async () => {
    const alice = who('alice');
    const bob = who('bob');
    const created = await submit(alice.token, openDays[1] ?? '', [4]);
    const id = (created.json() as { items: { id: number }[] }).items[0]?.id ?? 0;
    for (const spelled of [`0${id}`, `00${id}`, `+${id}`, `${id}.0`, `${id}e0`, `%20${id}`, `${id}%20`, `${id}%00`, `${id};`, `${id}/`, `${id}?researcherId=${bob.user.id}`]) {
      const response = await call(bob.token, { method: 'GET', url: `/api/v1/requests/${spelled}` });
      assert.ok([400, 404].includes(response.statusCode), `/api/v1/requests/${spelled}: ${response.statusCode} ${response.body.slice(0, 200)}`);
    }
  });
});

describe('API1:2023 Broken Object Level Authorization: saved lists', () => {
  it("API1: a researcher cannot remove, submit or find another researcher's saved items: 404 as for an item that does not exist, and nothing changes", async () => {
    const carol = await person('carol', 'researcher');
    const dave = await person('dave', 'researcher');
    const theirs = (await saveBox(dave.token, 8)).json() as { id: number };
    const mine = (await saveBox(carol.token, 9)).json() as { id: number };
    const attempts: [HTTPMethods, string, object | undefined][] = [
      ['DELETE', '/api/v1/me/saved/99999999', undefined],
      ['DELETE', `/api/v1/me/saved/${theirs.id}`, undefined],
      ['POST', '/api/v1/me/saved/submit', { visitDate: openDays[10], ids: [theirs.id] }],
      ['POST', '/api/v1/me/saved/submit', { visitDate: openDays[10], ids: [mine.id, theirs.id] }],
    ];
    for (const [method, url, payload] of attempts) {
      const context = `${method} ${url} ${JSON.stringify(payload ?? '')} by another researcher`;
      assertRefusal(await digest.unchangedBy(() => call(carol.token, { method, url, ...(payload ? { payload } : {}) }), context), 404, 'NOT_FOUND', context);
    }
    for (const spelled of [`0${theirs.id}`, `+${theirs.id}`, `${theirs.id}.0`, `${theirs.id}e0`, `${theirs.id}%20`, `${theirs.id}%00`, `${theirs.id};`]) {
      const response = await digest.unchangedBy(() => call(carol.token, { method: 'DELETE', url: `/api/v1/me/saved/${spelled}` }), spelled);
      assert.ok([400, 404].includes(response.statusCode), `/api/v1/me/saved/${spelled}: ${response.statusCode} ${response.body.slice(0, 200)}`);
    }
    const listOf = async (token: string) => ((await call(token, { method: 'GET', url: '/api/v1/me/saved' })).json() as { items: { id: number }[] }).items.map((item) => item.id);
    assert.deepEqual(await listOf(carol.token), [mine.id], 'her list shows her own item alone');
    assert.deepEqual(await listOf(dave.token), [theirs.id], "dave's item is untouched");
  });
});

describe('API2:2023 Broken Authentication', () => {
  it('API2: no token, `alg: none`, another secret, an expired token, a tampered payload, a token in the query string or a cookie, claims the server never signs: all 401 UNAUTHENTICATED', async () => {
    const secret = resolveJwtSecret(room.config);
    const boss = who('boss');
    const iat = Math.floor(Date.now() / 1000);
    const claims = { sub: String(boss.user.id), role: 'admin', ver: 0, iat, exp: iat + 3600 };
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const cases: [string, Record<string, string>, string][] = [
      ['no token', {}, '/api/v1/users'],
      ['alg none', bearer(`${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`), '/api/v1/users'],
      ['another secret', bearer(signJwt({ alg: 'HS256', typ: 'JWT' }, claims, `${secret}x`)), '/api/v1/users'],
      ['expired an hour ago (real secret)', bearer(signJwt({ alg: 'HS256', typ: 'JWT' }, { ...claims, iat: iat - 9 * 3600, exp: iat - 3600 }, secret)), '/api/v1/users'],
      ['HS512 with the real secret', bearer(signJwt({ alg: 'HS512', typ: 'JWT' }, claims, secret, 'sha512')), '/api/v1/users'],
      ['token in the query string', {}, `/api/v1/users?token=${boss.token}&access_token=${boss.token}`],
      ['token in a cookie', { cookie: `token=${boss.token}; rr_session=${boss.token}; access_token=${boss.token}` }, '/api/v1/users'],
      ['Basic credentials', { authorization: `Basic ${Buffer.from(`${boss.email}:${PASSWORD}`).toString('base64')}` }, '/api/v1/users'],
    ];
    const [head, , signature] = boss.token.split('.');
    cases.push(['a researcher payload under the admin signature', bearer(`${head}.${b64({ ...claims, sub: String(who('alice').user.id) })}.${signature}`), '/api/v1/me']);
    for (const [name, headers, url] of cases) {
      assertRefusal(await call(undefined, { method: 'GET', url, headers }), 401, 'UNAUTHENTICATED', name);
    }
    // None of the fuzzer's forgeries lets anyone in.
    const forgery = { secret, subjects: [...people.values()].map((p) => ({ id: p.user.id, role: p.user.role })), now: new Date() };
    for (const authorization of forgedAuthorizations(forgery)) {
      const response = await call(undefined, { method: 'GET', url: '/api/v1/me', headers: { authorization } });
      assertRefusal(response, 401, 'UNAUTHENTICATED', `forged: ${authorization.slice(0, 120)}`);
    }
    // A validly signed token's `role` claim is not what counts: a researcher's token claiming admin is a researcher's.
    const researcherAsAdmin = signJwt({ alg: 'HS256', typ: 'JWT' }, { sub: String(who('alice').user.id), role: 'admin', ver: 0, iat, exp: iat + 3600 }, secret);
    assertRefusal(await call(researcherAsAdmin, { method: 'GET', url: '/api/v1/users' }), 403, 'FORBIDDEN', 'a role claim the person does not have');
    // Tokens with the real signature: refused unless their claims are of the kind the server signs.
    for (const { authorization, answer, subject, why } of signedOddities(forgery)) {
      const response = await call(undefined, { method: 'GET', url: '/api/v1/me', headers: { authorization } });
      if (answer === 401) assertRefusal(response, 401, 'UNAUTHENTICATED', why);
      else {
        assert.equal(response.statusCode, 200, `${why}: ${response.body}`);
        const me = response.json() as { id: number; role: string };
        assert.equal(me.id, subject, why);
        assert.equal(me.role, (await userRow(me.id)).role, `${why}: the role is the database's`);
      }
    }
  });

  it('API2: a password change, a reset, a role change and a deactivation each end every token issued before (401)', async () => {
    const changer = await makeAccount(room.db, 'researcher', { email: 'changer@example.org' });
    const old = await signIn(room.app, changer.email, changer.password);
    const changed = await call(old, { method: 'POST', url: '/api/v1/me/password', payload: { currentPassword: changer.password, newPassword: 'a brand new passphrase' } });
    assert.equal(changed.statusCode, 200, changed.body);
    assertRefusal(await call(old, { method: 'GET', url: '/api/v1/me' }), 401, 'UNAUTHENTICATED', 'the token from before the password change');
    assert.equal((await call((changed.json() as { accessToken: string }).accessToken, { method: 'GET', url: '/api/v1/me' })).statusCode, 200, 'the new one works');

    const boss = who('boss');
    const promoted = await makeAccount(room.db, 'researcher', { email: 'promoted@example.org' });
    const beforeRole = await signIn(room.app, promoted.email, promoted.password);
    assert.equal((await call(boss.token, { method: 'PATCH', url: `/api/v1/users/${promoted.user.id}`, payload: { role: 'staff' } })).statusCode, 200);
    assertRefusal(await call(beforeRole, { method: 'GET', url: '/api/v1/me' }), 401, 'UNAUTHENTICATED', 'the token from before the role change');

    const leaver = await makeAccount(room.db, 'staff', { email: 'leaver@example.org' });
    const beforeDisable = await signIn(room.app, leaver.email, leaver.password);
    assert.equal((await call(boss.token, { method: 'PATCH', url: `/api/v1/users/${leaver.user.id}`, payload: { disabled: true } })).statusCode, 200);
    assertRefusal(await call(beforeDisable, { method: 'GET', url: '/api/v1/users' }), 401, 'UNAUTHENTICATED', 'the token of a disabled account');
    assertRefusal(await call(undefined, { method: 'POST', url: '/api/v1/auth/login', payload: { email: leaver.email, password: leaver.password } }), 403, 'ACCOUNT_DISABLED');
  });

  it('API2: an unknown address and a wrong password get the same answer', async () => {
    const alice = who('alice');
    const unknown = await call(undefined, { method: 'POST', url: '/api/v1/auth/login', payload: { email: 'nobody-at-all@example.org', password: 'wrong password here' } });
    const wrong = await call(undefined, { method: 'POST', url: '/api/v1/auth/login', payload: { email: alice.email, password: 'wrong password here' } });
    assertRefusal(unknown, 401, 'INVALID_CREDENTIALS');
    assertRefusal(wrong, 401, 'INVALID_CREDENTIALS');
    assert.equal(unknown.body, wrong.body);
  });
});

describe('API3:2023 Broken Object Property Level Authorization (mass assignment)', () => {
  it('API3: `status`, `researcherId`, `overrideLeadTime` and `restricted` sent with a new request are refused or ignored, never applied', async () => {
    const alice = who('alice');
    const bob = who('bob');
    const date = openDays[2] ?? '';
    const extras: Record<string, unknown>[] = [
      { status: 'scheduled' },
      { researcherId: bob.user.id },
      { status: 'delivered', researcherId: bob.user.id },
      { overrideLeadTime: true },
      { restricted: false },
      { id: 1 },
      { createdAt: '2020-01-01T00:00:00Z' },
    ];
    for (const extra of extras) {
      const before = await digest.now();
      const response = await submit(alice.token, date, [24], extra); // box 24 is restricted: it must wait for a curator
      if (response.statusCode === 201) {
        const item = (response.json() as { items: { id: number; researcherId: number; status: string }[] }).items[0];
        assert.equal(item?.researcherId, alice.user.id, `${JSON.stringify(extra)}: the request is alice's`);
        assert.equal(item?.status, 'awaiting_approval', `${JSON.stringify(extra)}: restricted material still waits`);
        assert.equal((await requestRow(item?.id ?? 0))?.researcherId, alice.user.id);
        assert.equal((await requestRow(item?.id ?? 0))?.status, 'awaiting_approval');
        await call(alice.token, { method: 'POST', url: `/api/v1/requests/${item?.id}/cancel` });
      } else {
        // Naming a researcher and overriding the lead time are staff's (docs/requests.md, "On a researcher's behalf").
        const staffs = 'researcherId' in extra || 'overrideLeadTime' in extra;
        assertRefusal(response, staffs ? 403 : 400, staffs ? 'FORBIDDEN' : 'FST_ERR_VALIDATION', JSON.stringify(extra));
        const afterwards = await digest.now();
        assert.equal(afterwards.digest, before.digest, `${JSON.stringify(extra)}: a refusal changed ${DomainDigest.changed(before, afterwards).join(', ')}`);
      }
    }
    const bobs = (await call(bob.token, { method: 'GET', url: `/api/v1/requests?visitDate=${date}` })).json() as { items: unknown[] };
    assert.equal(bobs.items.length, 0, 'nothing was created in bob\'s name');
  });

  it('API3: `status` sent to approve, deny, transition or cancel is ignored or refused: the request takes the status of the action, never the one sent', async () => {
    const alice = who('alice');
    const date = openDays[3] ?? '';
    const fresh = async (box: number) => ((await submit(alice.token, date, [box])).json() as { items: { id: number; status: string }[] }).items[0] ?? { id: 0, status: '' };
    const attempts: [string, number, string, object, string][] = [
      ['keeper', 25, 'approve', { note: 'ok', status: 'delivered', researcherId: who('bob').user.id }, 'scheduled'],
      ['keeper', 26, 'deny', { reason: 'no', status: 'scheduled' }, 'denied'],
      ['desk', 6, 'transition', { to: 'paged', status: 'reshelved' }, 'paged'],
      ['alice', 7, 'cancel', { reason: 'x', status: 'scheduled', researcherId: who('bob').user.id }, 'cancelled'],
    ];
    for (const [caller, box, action, payload, expected] of attempts) {
      const request = await fresh(box);
      const before = await requestRow(request.id);
      const response = await call(who(caller).token, { method: 'POST', url: `/api/v1/requests/${request.id}/${action}`, payload });
      const after = await requestRow(request.id);
      assert.equal(after?.researcherId, alice.user.id, `${action}: still alice's`);
      if (response.statusCode === 200) assert.equal(after?.status, expected, `${action} ${JSON.stringify(payload)}: ${response.body.slice(0, 200)}`);
      else {
        assertRefusal(response, 400, 'FST_ERR_VALIDATION', action);
        assert.deepEqual(after, before, `${action}: a refusal changes nothing`);
      }
    }
  });

  it('API3: `role`, `emailVerified`, `identityVerified` and `email` sent to the user routes are refused or ignored, never applied', async () => {
    const boss = who('boss');
    const target = await makeAccount(room.db, 'researcher', { email: 'target-of-mass@example.org' });
    const before = await userRow(target.user.id);
    // An admin's PATCH may change role and disabled only.
    const patched = await call(boss.token, {
      method: 'PATCH',
      url: `/api/v1/users/${target.user.id}`,
      payload: { emailVerified: false, identityVerified: true, email: 'hijacked@example.org', passwordHash: 'x', tokenVersion: 0 },
    });
    const afterPatch = await userRow(target.user.id);
    for (const column of ['email', 'emailVerifiedAt', 'identityVerifiedAt', 'passwordHash', 'role'] as const) {
      assert.deepEqual(afterPatch[column], before[column], `PATCH /users/:id (${patched.statusCode}) left ${column} alone`);
    }
    // Staff record an identity check: they cannot change the role with it.
    const desk = who('desk');
    const checked = await call(desk.token, { method: 'POST', url: `/api/v1/users/${target.user.id}/identity-verification`, payload: { documentType: 'passport', role: 'admin', emailVerified: false } });
    assert.equal((await userRow(target.user.id)).role, 'researcher', `identity-verification (${checked.statusCode}) did not change the role`);
    // A new staff account made by an admin with `emailVerified: false` or extra privileges.
    const made = await call(boss.token, { method: 'POST', url: '/api/v1/users', payload: { email: 'made@example.org', password: PASSWORD, name: 'Made', role: 'staff', disabled: false, identityVerified: true } });
    assert.ok(made.statusCode === 400 || made.statusCode === 201, made.body);
    if (made.statusCode === 201) assert.equal((await userRow((made.json() as { id: number }).id)).identityVerifiedAt, null);
    // A researcher's own PATCH /me with `role` stays a researcher (abuse.test.ts has the full list).
    const alice = who('alice');
    await call(alice.token, { method: 'PATCH', url: '/api/v1/me', payload: { role: 'admin' } });
    assert.equal((await userRow(alice.user.id)).role, 'researcher');
  });

  it('API3: `researcherId`, `collectionId` and `id` sent with a save, `researcherId` and `overrideLeadTime` with a submission: refused or ignored, never applied', async () => {
    const erin = await person('erin', 'researcher');
    const frank = await person('frank', 'researcher');
    const saved = await call(erin.token, { method: 'POST', url: '/api/v1/me/saved', payload: { containerId: 10, researcherId: frank.user.id, collectionId: 999, id: 1 } });
    if (saved.statusCode === 201) {
      const item = saved.json() as { id: number; collectionId: number };
      assert.equal(item.collectionId, 1, 'the box\'s own collection');
      assert.equal((await room.db.select({ researcherId: savedItems.researcherId }).from(savedItems).where(eq(savedItems.id, item.id)))[0]?.researcherId, erin.user.id);
    } else assertRefusal(saved, 400, 'FST_ERR_VALIDATION');
    assert.deepEqual((await call(frank.token, { method: 'GET', url: '/api/v1/me/saved' })).json(), { items: [] }, 'nothing was saved in his name');
    // A day too soon for a researcher: staff's override of the lead time is not hers to send.
    const submitted = await digest.unchangedBy(
      () => call(erin.token, { method: 'POST', url: '/api/v1/me/saved/submit', payload: { visitDate: '2026-11-27', overrideLeadTime: true, researcherId: frank.user.id } }),
      'a submission with overrideLeadTime and researcherId',
    );
    assert.ok([400, 422].includes(submitted.statusCode), submitted.body);
    assertRefusal(submitted, submitted.statusCode, submitted.statusCode === 400 ? 'FST_ERR_VALIDATION' : 'VISIT_TOO_SOON');
  });

  it('API3: answers never carry password hashes, token versions or other people\'s addresses to a researcher', async () => {
    const alice = who('alice');
    for (const url of ['/api/v1/me', '/api/v1/requests?limit=200', `/api/v1/collections`]) {
      const response = await call(alice.token, { method: 'GET', url });
      assert.doesNotMatch(response.body, /\$argon2|passwordHash|password_hash|tokenVersion|token_version/, url);
      assert.doesNotMatch(response.body, /bob@example\.org|desk@example\.org|boss@example\.org/, `${url} shows no one else's address`);
    }
  });
});

describe('API4:2023 Unrestricted Resource Consumption', () => {
  it('API4: e-mail bombing through register: 5 registrations of one address an hour, the 6th is 429 and queues no 6th mail, whatever the IP or spelling', async () => {
    const victim = 'bombed@example.org';
    const spellings = [victim, 'Bombed@Example.org', 'BOMBED@EXAMPLE.ORG', 'bombed@EXAMPLE.org', victim, 'bOmBeD@example.ORG', victim];
    const mailsTo = async () => (await mailsSince(room.db, 0)).filter((r) => ['verify-email', 'already-registered'].includes(r.jobName) && r.mail.to.email.toLowerCase() === victim).length;
    const answers: number[] = [];
    for (const email of spellings) {
      const response = await call(undefined, { method: 'POST', url: '/api/v1/auth/register', payload: { email, password: PASSWORD, name: 'Anyone' } });
      answers.push(response.statusCode);
      if (response.statusCode === 429) assertRefusal(response, 429, 'RATE_LIMITED');
    }
    assert.deepEqual(answers, [202, 202, 202, 202, 202, 429, 429], 'five, then 429 from any IP and any spelling');
    assert.equal(await mailsTo(), 5, 'five mails queued, no sixth');
  });

  it('API4: a body over 64 KiB is 413 FST_ERR_CTP_BODY_TOO_LARGE on every JSON route, and changes nothing', async () => {
    const alice = who('alice');
    const big = JSON.stringify({ visitDate: openDays[0], containerIds: [1], note: 'x'.repeat(70 * 1024) });
    for (const [token, url] of [
      [alice.token, '/api/v1/requests'],
      [undefined, '/api/v1/auth/register'],
      [undefined, '/api/v1/auth/login'],
      [alice.token, '/api/v1/me/password'],
      [who('boss').token, '/api/v1/closures'],
    ] as const) {
      const response = await digest.unchangedBy(() => call(token, { method: 'POST', url, payload: big, headers: { 'content-type': 'application/json' } }), url);
      assertRefusal(response, 413, 'FST_ERR_CTP_BODY_TOO_LARGE', url);
    }
    const patch = await call(alice.token, { method: 'PATCH', url: '/api/v1/me', payload: JSON.stringify({ name: 'é'.repeat(40 * 1024) }), headers: { 'content-type': 'application/json' } });
    assertRefusal(patch, 413, 'FST_ERR_CTP_BODY_TOO_LARGE', 'PATCH /me with 80 KiB of two-byte characters');
    // Just under the limit is not a 413 (a 400: the note is longer than 2,000 characters).
    const justUnder = JSON.stringify({ visitDate: openDays[0], containerIds: [1], note: 'x'.repeat(64 * 1024 - 100) });
    assertRefusal(await call(alice.token, { method: 'POST', url: '/api/v1/requests', payload: justUnder, headers: { 'content-type': 'application/json' } }), 400, 'FST_ERR_VALIDATION');
  });

  it('API4: `limit` beyond 200 (100000, 201, Infinity), zero or negative is 400; more than 200 containers in one request is 400', async () => {
    const alice = who('alice');
    const desk = who('desk');
    for (const limit of ['100000', '201', '0', '-1', '1e6', '9007199254740993', 'Infinity', '1e400', '9'.repeat(400)]) {
      assertRefusal(await call(alice.token, { method: 'GET', url: `/api/v1/requests?limit=${limit}` }), 400, 'FST_ERR_VALIDATION', `requests limit=${limit}`);
      assertRefusal(await call(desk.token, { method: 'GET', url: `/api/v1/users?limit=${limit}` }), 400, 'FST_ERR_VALIDATION', `users limit=${limit}`);
    }
    const huge = Array.from({ length: 5000 }, (_, i) => i + 1);
    assertRefusal(await submit(alice.token, openDays[0] ?? '', huge), 400, 'FST_ERR_VALIDATION', '5,000 container ids');
  });

  it('API4: a saved list holds at most 200 items, answered whole: the 201st save is 422 SAVED_LIST_FULL and changes nothing; a submission names at most 200 ids', async () => {
    const gina = await person('gina', 'researcher');
    // 200 folders already saved (since removed from their finding aid by an import: the list keeps them).
    const full = Array.from({ length: 200 }, (_, i) => ({ researcherId: gina.user.id, componentId: 5_000_000 + i, collectionId: 1 }));
    (await room.db.$writer.insert(savedItems).values(full));
    const refused = await digest.unchangedBy(() => saveBox(gina.token, 11), 'the 201st save');
    assertRefusal(refused, 422, 'SAVED_LIST_FULL');
    const list = await call(gina.token, { method: 'GET', url: '/api/v1/me/saved' });
    assert.equal((list.json() as { items: unknown[] }).items.length, 200);
    const ids = Array.from({ length: 201 }, (_, i) => i + 1);
    assertRefusal(await call(gina.token, { method: 'POST', url: '/api/v1/me/saved/submit', payload: { visitDate: openDays[10], ids } }), 400, 'FST_ERR_VALIDATION', '201 ids');
  });

  it('API4: deep pagination: a cursor far past the end is an empty last page, answered about as fast as the first page; a made-up cursor is 400', async () => {
    const alice = who('alice');
    // 3,000 past requests of alice's (cancelled: they hold nothing), as a long history would have.
    const rows = Array.from({ length: 3000 }, (_, i) => ({ researcherId: alice.user.id, containerId: 1 + (i % 29), visitDate: addDays('2020-01-06', i), readingRoomId: 1, status: 'cancelled' as const }));
    for (let i = 0; i < rows.length; i += 500) await commit(room.db, (tx) => tx.insert(requests).values(rows.slice(i, i + 500)));

    // Answers are kept while the database is unchanged (src/caches.ts): timed as they were,
    // every sample but the first was a kept answer, whatever the query cost. A write (that changes
    // nothing alice sees) before each sample makes every call run its query.
    const changeTheDatabase = () => commit(room.db, (tx) => tx.update(users).set({ name: sql`${users.name}` }).where(eq(users.id, alice.user.id)));
    const time = async (url: string) => {
      const samples: number[] = [];
      let response: LightMyRequestResponse | undefined;
      for (let i = 0; i < 7; i++) {
        await changeTheDatabase();
        const started = performance.now();
        response = await call(alice.token, { method: 'GET', url });
        samples.push(performance.now() - started);
      }
      samples.sort((a, b) => a - b);
      return { response: response as LightMyRequestResponse, ms: samples[3] ?? 0 };
    };
    const first = await time('/api/v1/requests?limit=200');
    const far = await time(`/api/v1/requests?limit=200&cursor=${cursorAfter(Number.MAX_SAFE_INTEGER)}`);
    assert.equal(first.response.statusCode, 200);
    assert.equal(far.response.statusCode, 200, far.response.body);
    assert.deepEqual(far.response.json(), { items: [], nextCursor: null });
    assert.ok(far.ms <= first.ms * 3 + 5, `a cursor far past the end took ${far.ms.toFixed(1)} ms, the first page ${first.ms.toFixed(1)} ms`);

    // Walking every page gives every request once.
    const seen = new Set<number>();
    let cursor: string | null = null;
    let pages = 0;
    do {
      const url: string = `/api/v1/requests?limit=200${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await call(alice.token, { method: 'GET', url })).json() as { items: { id: number }[]; nextCursor: string | null };
      for (const item of page.items) {
        assert.ok(!seen.has(item.id), `request ${item.id} twice`);
        seen.add(item.id);
      }
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor && pages < 100);
    assert.ok(seen.size >= 3000, `${seen.size} requests over ${pages} pages`);

    for (const bad of ['x', '%00', Buffer.from('{"after":-5}').toString('base64url'), Buffer.from('{"after":"1 OR 1=1"}').toString('base64url'), Buffer.from('{"after":1e400}').toString('base64url'), Buffer.from('{"__proto__":{"after":1}}').toString('base64url'), 'A'.repeat(201)]) {
      assertRefusal(await call(alice.token, { method: 'GET', url: `/api/v1/requests?cursor=${bad}` }), 400, 'FST_ERR_VALIDATION', `cursor ${bad.slice(0, 40)}`);
    }
  });
});

describe('API5:2023 Broken Function Level Authorization', () => {
  const staffOrAdmin: [HTTPMethods, string, object | undefined][] = [
    ['GET', '/api/v1/users', undefined],
    ['POST', '/api/v1/users', { email: 'escalate@example.org', password: PASSWORD, name: 'Escalate', role: 'admin' }],
    ['PATCH', '/api/v1/users/1', { role: 'admin' }],
    ['POST', '/api/v1/users/1/identity-verification', { documentType: 'passport' }],
    ['GET', '/api/v1/paging/pick-list?date=2026-12-01', undefined],
    ['GET', '/api/v1/containers/1/history', undefined],
    ['POST', '/api/v1/closures', { date: '2027-01-20', reason: 'Because I said so' }],
    ['DELETE', '/api/v1/closures/2026-12-25', undefined],
    ['POST', '/api/v1/requests/1/approve', { note: 'self-approved' }],
    ['POST', '/api/v1/requests/1/deny', { reason: 'no' }],
    ['POST', '/api/v1/requests/1/transition', { to: 'paged' }],
    ['GET', '/metrics', undefined],
    ['GET', '/admin/queues', undefined],
  ];

  it('API5: a researcher calling staff, curator and admin routes gets 403 FORBIDDEN, and nothing changes', async () => {
    const alice = who('alice');
    for (const [method, url, payload] of staffOrAdmin) {
      const response = await digest.unchangedBy(() => call(alice.token, { method, url, ...(payload ? { payload } : {}) }), `${method} ${url} by a researcher`);
      assertRefusal(response, 403, 'FORBIDDEN', `${method} ${url} by a researcher`);
    }
  });

  it("API5: staff cannot approve or deny (a curator's call), curators cannot move boxes or administer, and nothing changes", async () => {
    const alice = who('alice');
    const created = await submit(alice.token, openDays[4] ?? '', [26]);
    const id = (created.json() as { items: { id: number }[] }).items[0]?.id ?? 0;
    const desk = who('desk');
    const keeper = who('keeper');
    const refusals: [Account & { token: string }, HTTPMethods, string, object | undefined][] = [
      [desk, 'POST', `/api/v1/requests/${id}/approve`, { note: 'staff approving' }],
      [desk, 'POST', `/api/v1/requests/${id}/deny`, { reason: 'staff denying' }],
      [desk, 'POST', '/api/v1/closures', { date: '2027-01-21', reason: 'staff closing' }],
      [desk, 'PATCH', `/api/v1/users/${desk.user.id}`, { role: 'admin' }],
      [keeper, 'POST', `/api/v1/requests/${id}/transition`, { to: 'paged' }],
      [keeper, 'GET', '/api/v1/paging/pick-list?date=2026-12-01', undefined],
      [keeper, 'POST', `/api/v1/users/${alice.user.id}/identity-verification`, { documentType: 'passport' }],
      [keeper, 'POST', '/api/v1/users', { email: 'keeper-made@example.org', password: PASSWORD, name: 'K', role: 'curator' }],
      [keeper, 'POST', '/api/v1/requests', { visitDate: openDays[4], containerIds: [5] }],
      // A saved list is a researcher's own: staff, curators and admins have none, and submit none.
      [desk, 'POST', '/api/v1/me/saved', { containerId: 5 }],
      [desk, 'POST', '/api/v1/me/saved/submit', { visitDate: openDays[4] }],
      [keeper, 'GET', '/api/v1/me/saved', undefined],
      [who('boss'), 'POST', '/api/v1/me/saved/submit', { visitDate: openDays[4] }],
    ];
    for (const [caller, method, url, payload] of refusals) {
      const response = await digest.unchangedBy(() => call(caller.token, { method, url, ...(payload ? { payload } : {}) }), `${method} ${url} by ${caller.user.role}`);
      assertRefusal(response, 403, 'FORBIDDEN', `${method} ${url} by ${caller.user.role}`);
    }
    assert.equal((await requestRow(id))?.status, 'awaiting_approval');
  });

  it('API5: spelling a protected path differently (case, slashes, dots, encoding, HEAD, method override) does not get around the check', async () => {
    const alice = who('alice');
    for (const url of ['/API/v1/users', '/api/v1/users/', '/api/v1//users', '//api/v1/users', '/api/v1/./users', '/api/v1/x/../users', '/api/v1/%75sers', '/api/v1/users%2F', '/api/v1/users;', '/api/v1/users?role=admin#']) {
      for (const caller of [alice.token, undefined]) {
        const response = await call(caller, { method: 'GET', url });
        assert.ok(response.statusCode >= 400 && response.statusCode !== 200, `GET ${url} ${caller ? 'as a researcher' : 'without a token'}: ${response.statusCode} ${response.body.slice(0, 200)}`);
        assert.doesNotMatch(response.body, /"items"/, `GET ${url} lists nothing`);
      }
    }
    const head = await asUser(room.app, alice.token, { method: 'HEAD', url: '/api/v1/users' });
    assert.equal(head.statusCode, 403, 'HEAD');
    assert.equal(head.body, '', 'HEAD answers no body');
    const override = await digest.unchangedBy(
      () => call(alice.token, { method: 'GET', url: '/api/v1/users', headers: { 'x-http-method-override': 'POST', 'x-method-override': 'DELETE', 'x-original-url': '/api/v1/me', 'x-rewrite-url': '/api/v1/me' } }),
      'method override headers',
    );
    assertRefusal(override, 403, 'FORBIDDEN', 'method override headers');
  });
});

describe('API6:2023 Unrestricted Access to Sensitive Business Flows', () => {
  it('API6: one researcher firing 25 single-box requests for one day at once still holds at most DAILY_REQUEST_LIMIT (10)', async () => {
    const hoarder = await person('hoarder', 'researcher');
    const date = openDays[5] ?? '';
    const answers = await Promise.all(
      Array.from({ length: 25 }, (_, i) => call(hoarder.token, { method: 'POST', url: '/api/v1/requests', payload: { visitDate: date, containerIds: [1 + i] } })),
    );
    const created = answers.filter((r) => r.statusCode === 201).length;
    for (const r of answers) if (r.statusCode !== 201) assertRefusal(r, 422, 'REQUEST_LIMIT_EXCEEDED');
    const [active] = await room.db
      .select({ n: count() })
      .from(requests)
      .where(and(eq(requests.researcherId, hoarder.user.id), eq(requests.visitDate, date), inArray(requests.status, ['awaiting_approval', 'waitlisted', 'scheduled', 'paged', 'delivered', 'returned'])));
    assert.equal(created, 10);
    assert.equal(active?.n, 10);
  });
});

describe('API6:2023 Unrestricted Access to Sensitive Business Flows: saved lists', () => {
  it('API6: a saved list submitted twice at once requests each box once; a list over the daily limit is refused whole', async () => {
    const racer = await person('racer', 'researcher');
    for (const box of [12, 13]) assert.equal((await saveBox(racer.token, box)).statusCode, 201);
    const date = openDays[11] ?? '';
    const submitTwice = () => call(racer.token, { method: 'POST', url: '/api/v1/me/saved/submit', payload: { visitDate: date } });
    const answers = await Promise.all([submitTwice(), submitTwice()]);
    assert.deepEqual(answers.map((r) => r.statusCode).sort(), [201, 404], answers.map((r) => r.body).join('\n'));
    const requested = await room.db.select({ containerId: requests.containerId }).from(requests).where(eq(requests.researcherId, racer.user.id)).orderBy(asc(requests.containerId));
    assert.deepEqual(requested.map((r) => r.containerId), [12, 13], 'each box requested once');

    for (let box = 1; box <= 11; box++) assert.equal((await saveBox(racer.token, box)).statusCode, 201);
    const over = await digest.unchangedBy(() => call(racer.token, { method: 'POST', url: '/api/v1/me/saved/submit', payload: { visitDate: openDays[12] } }), 'eleven boxes for one day');
    assertRefusal(over, 422, 'REQUEST_LIMIT_EXCEEDED');
  });
});

describe('API8:2023 Security Misconfiguration', () => {
  const helmetHeaders = ['content-security-policy', 'x-content-type-options', 'x-frame-options', 'strict-transport-security', 'referrer-policy', 'cross-origin-opener-policy', 'cross-origin-resource-policy'];

  /** What is missing from an answer's headers, or wrongly there. */
  function unhardened(response: LightMyRequestResponse): string[] {
    const problems = helmetHeaders.filter((header) => !response.headers[header]).map((header) => `no ${header}`);
    if (response.headers['x-content-type-options'] !== undefined && response.headers['x-content-type-options'] !== 'nosniff') problems.push('x-content-type-options is not nosniff');
    for (const header of ['x-powered-by', 'server', 'access-control-allow-origin']) if (response.headers[header] !== undefined) problems.push(`${header}: ${String(response.headers[header])}`);
    return problems;
  }
  function assertHardened(response: LightMyRequestResponse, context: string): void {
    assert.deepEqual(unhardened(response), [], `${context} (${response.statusCode})`);
  }

  it("API8: helmet's headers on every kind of answer, errors included (200, 201, 204, 400, 401, 403, 404, 409, 413, 415, 422, 429)", async () => {
    const alice = who('alice');
    const boss = who('boss');
    const answers: [string, Call, string | undefined][] = [
      ['200 health', { method: 'GET', url: '/health' }, undefined],
      ['200 collections', { method: 'GET', url: '/api/v1/collections' }, undefined],
      ['201 closure', { method: 'POST', url: '/api/v1/closures', payload: { date: '2027-01-22', reason: 'Headers' } }, boss.token],
      ['204 reopen', { method: 'DELETE', url: '/api/v1/closures/2027-01-22' }, boss.token],
      ['400 validation', { method: 'GET', url: '/api/v1/calendar?from=2026-02-30' }, undefined],
      ['400 empty JSON body', { method: 'POST', url: '/api/v1/auth/login', payload: '', headers: { 'content-type': 'application/json' } }, undefined],
      ['400 bad JSON', { method: 'POST', url: '/api/v1/auth/login', payload: '{"email":', headers: { 'content-type': 'application/json' } }, undefined],
      ['401', { method: 'GET', url: '/api/v1/me' }, undefined],
      ['403', { method: 'GET', url: '/api/v1/users' }, alice.token],
      ['404 route', { method: 'GET', url: '/no/such/route' }, undefined],
      ['404 resource', { method: 'GET', url: '/api/v1/collections/999' }, undefined],
      ['409', { method: 'POST', url: '/api/v1/closures', payload: { date: '2026-12-25', reason: 'Already' } }, boss.token],
      ['413', { method: 'POST', url: '/api/v1/auth/login', payload: JSON.stringify({ email: 'a@b.co', password: 'x'.repeat(70_000) }), headers: { 'content-type': 'application/json' } }, undefined],
      ['415', { method: 'POST', url: '/api/v1/auth/login', payload: 'email=a', headers: { 'content-type': 'text/plain' } }, undefined],
      ['422', { method: 'POST', url: '/api/v1/requests', payload: { visitDate: '2026-11-27', containerIds: [1] } }, alice.token],
      ['400 bad percent-encoding in the path', { method: 'GET', url: '/api/v1/requests/%zz' }, alice.token],
      ['a path parameter longer than the router allows', { method: 'GET', url: `/api/v1/requests/${'9'.repeat(120)}` }, alice.token],
    ];
    const failures: string[] = [];
    for (const [name, options, token] of answers) {
      const response = await call(token, options);
      const problems = unhardened(response);
      if (problems.length > 0) failures.push(`${name}: ${options.method} ${options.url.slice(0, 60)} → ${response.statusCode} ${problems.join(', ')}`);
    }
    // 429, from the per-IP limit of the account routes.
    const ip = '192.0.2.200';
    let last: LightMyRequestResponse | undefined;
    for (let i = 0; i < 301; i++) last = await asUser(room.app, undefined, { method: 'POST', url: '/api/v1/auth/verify-email', payload: { token: `nope-${i}` }, remoteAddress: ip });
    assert.ok(last);
    assertRefusal(last, 429, 'RATE_LIMITED');
    if (unhardened(last).length > 0) failures.push(`429: ${unhardened(last).join(', ')}`);
    assert.deepEqual(failures, [], 'answers without the security headers');
  });

  it('API8: the pages carry a content security policy that allows no inline script and no framing', async () => {
    for (const url of ['/verify-email?token=abc', '/reset-password?token=abc', '/docs']) {
      const response = await call(undefined, { method: 'GET', url });
      const page = response.statusCode === 302 ? await call(undefined, { method: 'GET', url: String(response.headers.location) }) : response;
      assert.equal(page.statusCode, 200, `${url}: ${page.statusCode}`);
      assertHardened(page, url);
      const csp = String(page.headers['content-security-policy']);
      assert.match(csp, /default-src 'self'/, `${url}: ${csp}`);
      assert.match(csp, /object-src 'none'/, `${url}: ${csp}`);
      assert.match(csp, /frame-ancestors '(self|none)'/, `${url}: ${csp}`);
      const scripts = /script-src ([^;]*)/.exec(csp)?.[1] ?? '';
      assert.doesNotMatch(scripts, /'unsafe-inline'|'unsafe-eval'|\*/, `${url}: script-src ${scripts}`);
    }
  });

  it('API8/API4: no stack trace, SQL or hash in any error, for inputs that would break a naive query; LIKE wildcards match only themselves', async () => {
    const payloads = ["' OR '1'='1", "1' OR 1=1 --", "'; DROP TABLE requests; --", '" OR ""="', "' UNION SELECT password_hash FROM users --", '%', '_', '\\', "\\'", '\u0000', "1); DELETE FROM users; --", '%27%20OR%201%3D1', '${7*7}', '<script>alert(1)</script>'];
    const desk = who('desk');
    const alice = who('alice');
    const boss = who('boss');
    const countsBefore = await tableCounts();
    for (const p of payloads) {
      const q = encodeURIComponent(p);
      const probes: [string | undefined, Call][] = [
        [undefined, { method: 'GET', url: `/api/v1/collections?callNumber=${q}` }],
        [desk.token, { method: 'GET', url: `/api/v1/users?q=${q}` }],
        [alice.token, { method: 'GET', url: `/api/v1/requests?cursor=${q}` }],
        [alice.token, { method: 'GET', url: `/api/v1/requests?status=${q}` }],
        [alice.token, { method: 'GET', url: `/api/v1/requests/${q}` }],
        [undefined, { method: 'GET', url: `/api/v1/calendar?from=${q}` }],
        [undefined, { method: 'POST', url: '/api/v1/auth/login', payload: { email: `${p}@example.org`, password: p } }],
        [undefined, { method: 'POST', url: '/api/v1/auth/verify-email', payload: { token: p } }],
        [undefined, { method: 'POST', url: '/api/v1/auth/password-reset/confirm', payload: { token: p, password: 'long enough password' } }],
        [alice.token, { method: 'POST', url: '/api/v1/requests', payload: { visitDate: p, containerIds: [1] } }],
        [boss.token, { method: 'DELETE', url: `/api/v1/closures/${q}` }],
      ];
      for (const [token, options] of probes) {
        const response = await call(token, options);
        assert.ok(response.statusCode < 500, `${options.method} ${options.url}: ${response.statusCode}`);
      }
      const byCallNumber = await call(undefined, { method: 'GET', url: `/api/v1/collections?callNumber=${q}` });
      // No text here holds a NUL character (src/http/unstorable-values.ts): asking with one is a 400.
      if (p.includes('\u0000')) assertRefusal(byCallNumber, 400, 'FST_ERR_VALIDATION', `callNumber=${JSON.stringify(p)}`);
      else assert.equal((byCallNumber.json() as { items: unknown[] }).items.length, 0, `callNumber=${p} matches no collection`);
    }
    // `%` and `_` in q are literal, not wildcards: nobody's name or address contains them.
    for (const wildcard of ['%', '_', '%%', '_%_']) {
      const found = (await call(desk.token, { method: 'GET', url: `/api/v1/users?q=${encodeURIComponent(wildcard)}` })).json() as { items: unknown[] };
      assert.equal(found.items.length, 0, `q=${wildcard} is not a wildcard`);
    }
    // Text that looks like SQL is stored and shown as text.
    const named = await call(alice.token, { method: 'PATCH', url: '/api/v1/me', payload: { name: "Robert'); DROP TABLE users; --" } });
    assert.equal(named.statusCode, 200);
    assert.equal((named.json() as { name: string }).name, "Robert'); DROP TABLE users; --");
    // A NUL character in a JSON body's text or in one of its keys is refused, and stores nothing.
    for (const payload of [{ name: 'Ro\u0000bert' }, { visitDate: openDays[13], containerIds: [2], note: 'before\u0000after' }, { 'visit\u0000Date': openDays[13], containerIds: [2] }]) {
      const url = 'name' in payload ? '/api/v1/me' : '/api/v1/requests';
      const refused = await digest.unchangedBy(() => call(alice.token, { method: 'name' in payload ? 'PATCH' : 'POST', url, payload }), `NUL in ${JSON.stringify(payload)}`);
      assertRefusal(refused, 400, 'FST_ERR_VALIDATION', `NUL in ${JSON.stringify(payload)}`);
    }
    // An id of Infinity (Ajv coerces "Infinity" and "1e400" in an address, and lets them past a
    // maximum) is refused as one too large, and changes nothing: on PostgreSQL it reached a query.
    for (const infinite of ['Infinity', '1e400', '-Infinity']) {
      const probes: [string, Call][] = [
        [alice.token, { method: 'GET', url: `/api/v1/requests/${infinite}` }],
        [alice.token, { method: 'POST', url: `/api/v1/requests/${infinite}/cancel`, payload: {} }],
        [alice.token, { method: 'GET', url: `/api/v1/closures?readingRoomId=${infinite}` }],
        [boss.token, { method: 'PATCH', url: `/api/v1/users/${infinite}`, payload: { role: 'staff' } }],
      ];
      for (const [token, options] of probes) {
        const refused = await digest.unchangedBy(() => call(token, options), `${options.method} ${options.url}`);
        assertRefusal(refused, 400, 'FST_ERR_VALIDATION', `${options.method} ${options.url}`);
      }
    }
    // A property the route does not take, nested 30,000 deep (a recursive walk of it would
    // overflow the stack): the schema drops it before any guard looks at the body.
    const deep = `${'['.repeat(30_000)}${']'.repeat(30_000)}`;
    const nested = await call(alice.token, { method: 'PATCH', url: '/api/v1/me', headers: { 'content-type': 'application/json' }, payload: `{"name":"Alice Deep","deep":${deep}}` });
    assert.equal(nested.statusCode, 200, nested.body.slice(0, 300));
    assert.equal((nested.json() as { name: string }).name, 'Alice Deep');
    const countsAfter = await tableCounts();
    assert.deepEqual(countsAfter, countsBefore, 'no table lost or gained rows');
  });
});

describe('API9:2023 Improper Inventory Management', () => {
  it('API9: every /api route the app serves is in the OpenAPI document, and no other API version answers', async () => {
    const { routes, app } = await declaredRoutes({ config: room.config, db: room.db, redis: room.redis, clock: () => THANKSGIVING_MORNING });
    const document = (await app.inject({ method: 'GET', url: '/docs/json' })).json() as { paths: Record<string, Record<string, unknown>> };
    await app.close();
    const documented = new Set(Object.entries(document.paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`)));
    const served = routes.map((route) => `${route.method} ${route.url.replace(/:(\w+)/g, '{$1}')}`);
    const missing = served.filter((key) => key.includes(' /api/') && !key.startsWith('HEAD ') && !documented.has(key));
    assert.deepEqual(missing, [], 'API routes missing from /docs/json');
    for (const url of ['/api/v0/collections', '/api/v2/collections', '/api/collections', '/v1/collections', '/api/v1/debug', '/api/v1/internal', '/.env', '/api/v1/../../etc/passwd']) {
      const response = await call(undefined, { method: 'GET', url });
      assert.ok([400, 404].includes(response.statusCode), `${url}: ${response.statusCode}`);
    }
  });
});

/**
 * A burst of 12 on one address, five an hour allowed: five are accepted (202) and the rest refused
 * with 429 RATE_LIMITED. Per-address limits are exact within one process (RELIABILITY.md), and an
 * answer of any other kind (a 500 included) is a failure, not a refusal that counts as holding.
 */
function assertAcceptedThenLimited(answers: LightMyRequestResponse[], what: string): void {
  const statuses = answers.map((r) => r.statusCode);
  assert.equal(statuses.filter((s) => s === 202).length, 5, `5 of 12 ${what} accepted: ${statuses.join(' ')}`);
  for (const refused of answers.filter((r) => r.statusCode !== 202)) assertRefusal(refused, 429, 'RATE_LIMITED', `${what}: ${statuses.join(' ')}`);
}

describe('rate limits hold under a burst', () => {
  it('30 failed logins for one address from one client at once: at most 10 are 401 INVALID_CREDENTIALS, the rest 429; then even the right password is 429 from there', async () => {
    const target = await makeAccount(room.db, 'researcher', { email: 'burst-target@example.org' });
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        asUser(room.app, undefined, { method: 'POST', url: '/api/v1/auth/login', payload: { email: target.email, password: `wrong guess number ${i}` }, remoteAddress: '198.18.0.1' }),
      ),
    );
    const statuses = answers.map((r) => r.statusCode);
    const failed = statuses.filter((s) => s === 401).length;
    const limited = statuses.filter((s) => s === 429).length;
    assert.equal(failed + limited, 30, `only 401 and 429: ${statuses.join(' ')}`);
    assert.ok(failed <= 10, `${failed} guesses were checked (at most 10 allowed in 15 minutes); answers: ${statuses.join(' ')}`);
    assertRefusal(await asUser(room.app, undefined, { method: 'POST', url: '/api/v1/auth/login', payload: { email: target.email, password: target.password }, remoteAddress: '198.18.0.1' }), 429, 'RATE_LIMITED', 'the right password after the burst');
  });

  it('12 registrations of one address at once: 5 are accepted with one mail each, the other 7 are 429 RATE_LIMITED', async () => {
    const email = 'burst-register@example.org';
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        asUser(room.app, undefined, { method: 'POST', url: '/api/v1/auth/register', payload: { email, password: PASSWORD, name: 'Burst' }, remoteAddress: `198.18.2.${i + 1}` }),
      ),
    );
    const mails = (await mailsSince(room.db, 0)).filter((r) => ['verify-email', 'already-registered'].includes(r.jobName) && r.mail.to.email === email).length;
    assertAcceptedThenLimited(answers, 'registrations');
    assert.equal(mails, 5, 'one verification mail for each accepted registration, no more');
  });

  it('12 password resets of one address at once: 5 are accepted with one mail each, the other 7 are 429 RATE_LIMITED', async () => {
    const target = await makeAccount(room.db, 'researcher', { email: 'burst-reset@example.org' });
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        asUser(room.app, undefined, { method: 'POST', url: '/api/v1/auth/password-reset', payload: { email: target.email }, remoteAddress: `198.18.3.${i + 1}` }),
      ),
    );
    const mails = (await mailsSince(room.db, 0)).filter((r) => r.jobName === 'password-reset' && r.mail.to.email === target.email).length;
    assertAcceptedThenLimited(answers, 'resets');
    assert.equal(mails, 5, 'one reset mail for each accepted reset, no more');
  });

  it('320 attempts at once from one IP on the account routes: at most 300 get past the per-IP limit', async () => {
    const ip = '198.18.9.9';
    const answers = await Promise.all(
      Array.from({ length: 320 }, (_, i) => asUser(room.app, undefined, { method: 'POST', url: '/api/v1/auth/verify-email', payload: { token: `burst-${i}` }, remoteAddress: ip })),
    );
    const passed = answers.filter((r) => r.statusCode !== 429).length;
    assert.ok(passed <= 300, `${passed} got past the limit`);
    assert.ok(answers.every((r) => r.statusCode === 400 || r.statusCode === 429));
  });
});
