import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { asc, eq, gt, max } from 'drizzle-orm';
import { securityEvents, users } from '../../db/tables.ts';
import { assertRefusal } from '../helpers/answers.ts';
import { mailsSince } from '../helpers/outbox-mail.ts';
import { type Account, bearer, makeAccount, PASSWORD } from '../helpers/people.ts';
import { startReadingRoom, THANKSGIVING_MORNING, type TestReadingRoom } from '../helpers/reading-room.ts';
import { rowCount } from '../helpers/stored-rows.ts';
import { freePort } from '../helpers/redis-server.ts';
import { buildApp } from '../../src/app.ts';
import { createRedisProbe } from '../../src/redis.ts';

// What someone trying to break in, or to break the service, meets on the account routes: limits
// per address and per IP, an audit trail, no mass assignment, password lengths, and no 5xx or
// malformed error for any body at all. No worker runs: outbox rows just wait.

let room: TestReadingRoom;
before(async () => {
  room = await startReadingRoom();
});
after(() => room.close());

/** Every answer of this file goes through here: none may ever carry a password hash. */
async function send(options: InjectOptions & { url: string }, app = room.app): Promise<LightMyRequestResponse> {
  const response = await app.inject(options);
  assert.doesNotMatch(response.body, /\$argon2/, `${options.method} ${options.url} answered a password hash`);
  return response;
}

const post = (url: string, payload: object, remoteAddress?: string, token?: string) =>
  send({ method: 'POST', url, payload, ...(remoteAddress ? { remoteAddress } : {}), ...(token ? { headers: bearer(token) } : {}) });
const loginAs = (email: string, password: string, ip?: string) => post('/api/v1/auth/login', { email, password }, ip);
const registerAs = (email: string, password = PASSWORD, ip?: string, extra: object = {}) =>
  post('/api/v1/auth/register', { email, password, name: 'Prudent Reader', ...extra }, ip);
const resetFor = (email: string, ip?: string) => post('/api/v1/auth/password-reset', { email }, ip);

async function tokenOf(account: Account, ip?: string): Promise<string> {
  const response = await loginAs(account.email, account.password, ip);
  assert.equal(response.statusCode, 200, response.body);
  return response.json().accessToken;
}

/** The link of the latest mail of a kind waiting in the outbox for an address. */
async function queuedToken(email: string, kind: 'verify-email' | 'password-reset'): Promise<string> {
  const mails = (await mailsSince(room.db, 0)).filter((row) => row.jobName === kind).map((row) => row.mail as unknown as { to: { email: string }; data: { link: string } });
  const mail = mails.filter((m) => m.to.email === email).at(-1);
  assert.ok(mail, `a ${kind} mail to ${email} is waiting in the outbox`);
  return new URL(mail.data.link).searchParams.get('token') ?? '';
}

const userRow = async (email: string) => (await room.db.select().from(users).where(eq(users.email, email)))[0];

/** The id of the latest security event: "since now" for `eventsSince`. */
const lastEventId = async () => (await room.db.select({ id: max(securityEvents.id) }).from(securityEvents))[0]?.id ?? 0;
const eventsSince = (id: number) => room.db.select().from(securityEvents).where(gt(securityEvents.id, id)).orderBy(asc(securityEvents.id));

describe('limits per address (429 RATE_LIMITED)', () => {
  it('after 10 failed logins for one address from one IP in 15 minutes, the 11th from there is 429 even with the right password, the same for an unknown address, and another address is not affected', async () => {
    const ip = '198.51.100.1';
    const victim = await makeAccount(room.db, 'researcher', { email: 'victim@example.org' });
    const bystander = await makeAccount(room.db, 'researcher', { email: 'bystander@example.org' });
    for (let i = 1; i <= 10; i++) {
      assertRefusal(await loginAs(victim.email, `wrong password number ${i}`, ip), 401, 'INVALID_CREDENTIALS', `attempt ${i}`);
      assertRefusal(await loginAs('ghost@example.org', `wrong password number ${i}`, ip), 401, 'INVALID_CREDENTIALS', `unknown, attempt ${i}`);
    }
    const known = await loginAs(victim.email, victim.password, ip);
    const unknown = await loginAs('ghost@example.org', victim.password, ip);
    assertRefusal(known, 429, 'RATE_LIMITED', 'the right password, after 10 failures');
    assertRefusal(unknown, 429, 'RATE_LIMITED', 'an unknown address, after 10 failures');
    assert.equal(known.body, unknown.body, 'a 429 tells nothing about whether the address has an account');
    assertRefusal(await loginAs(victim.email.toUpperCase(), victim.password, ip), 429, 'RATE_LIMITED', 'the same address in capitals');

    assert.equal((await loginAs(bystander.email, bystander.password, ip)).statusCode, 200, 'another address, from the same IP');

    room.setNow(new Date(THANKSGIVING_MORNING.getTime() + 15 * 60_000 + 1000));
    try {
      assert.equal((await loginAs(victim.email, victim.password, ip)).statusCode, 200, 'fifteen minutes later');
    } finally {
      room.setNow(THANKSGIVING_MORNING);
    }
  });

  it('5 registrations of one address in an hour, then 429; another address is not affected', async () => {
    const ip = '198.51.100.2';
    for (let i = 1; i <= 5; i++) assert.equal((await registerAs('eager@example.org', PASSWORD, ip)).statusCode, 202, `registration ${i}`);
    assertRefusal(await registerAs('eager@example.org', PASSWORD, ip), 429, 'RATE_LIMITED');
    assertRefusal(await registerAs('EAGER@Example.org', PASSWORD, ip), 429, 'RATE_LIMITED', 'the same address in capitals');
    assert.equal((await registerAs('patient@example.org', PASSWORD, ip)).statusCode, 202);
  });

  it('5 password resets of one address in an hour, then 429, whether or not it has an account; another address is not affected', async () => {
    const ip = '198.51.100.3';
    const member = await makeAccount(room.db, 'researcher', { email: 'resetter@example.org' });
    for (let i = 1; i <= 5; i++) {
      assert.equal((await resetFor(member.email, ip)).statusCode, 202, `reset ${i}`);
      assert.equal((await resetFor('no-account@example.org', ip)).statusCode, 202, `unknown, reset ${i}`);
    }
    const known = await resetFor(member.email, ip);
    const unknown = await resetFor('no-account@example.org', ip);
    assertRefusal(known, 429, 'RATE_LIMITED');
    assertRefusal(unknown, 429, 'RATE_LIMITED');
    assert.equal(known.body, unknown.body);
    assert.equal((await resetFor('someone-else@example.org', ip)).statusCode, 202);
  });
});

describe('nobody can lock a chosen person out (the failed-login limits hurt the guesser)', () => {
  it('10 failed logins from the attacking IP stop that IP (429, even with the right password), while the person signs in from another IP', async () => {
    const victim = await makeAccount(room.db, 'researcher', { email: 'chosen-victim@example.org' });
    const attackerIp = '203.0.113.13';
    for (let i = 1; i <= 10; i++) assertRefusal(await loginAs(victim.email, `a guess of the attacker ${i}`, attackerIp), 401, 'INVALID_CREDENTIALS', `guess ${i}`);
    assertRefusal(await loginAs(victim.email, 'one guess too many', attackerIp), 429, 'RATE_LIMITED', 'the attacker, after 10 failures');

    assert.equal((await loginAs(victim.email, victim.password, '198.51.100.113')).statusCode, 200, 'the person, from another IP');
    assertRefusal(await loginAs(victim.email, victim.password, attackerIp), 429, 'RATE_LIMITED', 'the attacker is still stopped, even with the right password');
  });

  it('guesses spread over many IPs meet a limit per address (50 in 15 minutes) that stops every new client but not one the person signed in from before', async () => {
    const victim = await makeAccount(room.db, 'researcher', { email: 'spread-victim@example.org' });
    const homeIp = '198.51.100.114';
    assert.equal((await loginAs(victim.email, victim.password, homeIp)).statusCode, 200, 'the person signs in from home once');
    for (let host = 1; host <= 5; host++) {
      for (let i = 1; i <= 10; i++) {
        assertRefusal(await loginAs(victim.email, `guess ${i} from host ${host}`, `203.0.113.${100 + host}`), 401, 'INVALID_CREDENTIALS', `host ${host}, guess ${i}`);
      }
    }
    assertRefusal(await loginAs(victim.email, 'a 51st guess', '203.0.113.106'), 429, 'RATE_LIMITED', 'a sixth attacking IP');
    assertRefusal(await loginAs(victim.email, victim.password, '192.0.2.114'), 429, 'RATE_LIMITED', 'a client never seen with this account, even with the right password');
    assert.equal((await loginAs(victim.email, victim.password, homeIp)).statusCode, 200, 'the person, from where they signed in before');
  });
});

describe('password changes: wrong current passwords are limited and audited', () => {
  const change = (token: string, currentPassword: string, ip: string, newPassword = 'a new password of mine') =>
    post('/api/v1/me/password', { currentPassword, newPassword }, ip, token);

  it('per account: of 15 wrong guesses sent at once at most 10 are checked, the rest 429; then even the right password is 429 until 15 minutes have passed; every failure and the change are audited', async () => {
    const ip = '198.51.100.60';
    const reader = await makeAccount(room.db, 'researcher', { email: 'guessed-at@example.org' });
    const token = await tokenOf(reader, ip);
    const before = await lastEventId();

    const answers = await Promise.all(Array.from({ length: 15 }, (_, i) => change(token, `a guess at the password ${i}`, ip)));
    const wrong = answers.filter((r) => r.statusCode === 400);
    const limited = answers.filter((r) => r.statusCode === 429);
    assert.equal(wrong.length + limited.length, 15, answers.map((r) => r.statusCode).join(' '));
    assert.ok(wrong.length <= 10, `${wrong.length} guesses were checked`);
    for (const r of wrong) assertRefusal(r, 400, 'WRONG_PASSWORD');
    for (const r of limited) assertRefusal(r, 429, 'RATE_LIMITED');
    assertRefusal(await change(token, reader.password, '198.51.100.61'), 429, 'RATE_LIMITED', 'the right password, from another IP too: the account is limited');

    const other = await makeAccount(room.db, 'researcher', { email: 'not-guessed-at@example.org' });
    assert.equal((await change(await tokenOf(other, ip), other.password, ip)).statusCode, 200, 'another account, from the same IP');

    room.setNow(new Date(THANKSGIVING_MORNING.getTime() + 15 * 60_000 + 1000));
    try {
      assert.equal((await change(token, reader.password, ip)).statusCode, 200, 'fifteen minutes later');
    } finally {
      room.setNow(THANKSGIVING_MORNING);
    }

    const events = (await eventsSince(before)).filter((e) => e.userId === reader.user.id && e.kind.startsWith('password_change'));
    assert.equal(events.filter((e) => e.kind === 'password_change_failed').length, wrong.length, 'one record per wrong guess checked');
    assert.equal(events.filter((e) => e.kind === 'password_changed').length, 1, 'and one for the change');
    for (const e of events) assert.deepEqual({ actor: e.actorId, ip: e.ip }, { actor: reader.user.id, ip }, e.kind);
    assert.ok(!JSON.stringify(events).includes('a guess at the password'), 'no guess is written down');
  });

  it('per IP: 30 wrong guesses in 15 minutes over several accounts, then 429 from that IP for any account; another IP is not affected', async () => {
    const ip = '198.51.100.62';
    const holders = await Promise.all([1, 2, 3, 4].map((n) => makeAccount(room.db, 'researcher', { email: `token-holder-${n}@example.org` })));
    const tokens = await Promise.all(holders.map((holder) => tokenOf(holder, '198.51.100.63')));
    for (let i = 0; i < 30; i++) {
      const token = tokens[i % 4] ?? '';
      assertRefusal(await change(token, `guess number ${i}`, ip), 400, 'WRONG_PASSWORD', `guess ${i + 1} (at most 8 per account)`);
    }
    const fresh = await makeAccount(room.db, 'researcher', { email: 'token-holder-5@example.org' });
    const freshToken = await tokenOf(fresh, '198.51.100.63');
    assertRefusal(await change(freshToken, fresh.password, ip), 429, 'RATE_LIMITED', 'an account without a failure, from that IP');
    assert.equal((await change(freshToken, fresh.password, '198.51.100.64')).statusCode, 200, 'the same account, from another IP');
  });
});

describe('the limit per IP address', () => {
  it('300 attempts an hour on an account route, then 429 from that address only; other routes are not limited', async () => {
    const ip = '192.0.2.77';
    for (let i = 1; i <= 300; i++) {
      const response = await post('/api/v1/auth/verify-email', { token: `not-a-token-${i}` }, ip);
      assert.equal(response.statusCode, 400, `attempt ${i}: ${response.body}`);
    }
    assertRefusal(await post('/api/v1/auth/verify-email', { token: 'one-more' }, ip), 429, 'RATE_LIMITED');
    assert.equal((await post('/api/v1/auth/verify-email', { token: 'one-more' }, '192.0.2.78')).statusCode, 400, 'another IP');
    assert.equal((await send({ method: 'GET', url: '/api/v1/collections', remoteAddress: ip })).statusCode, 200, 'a route outside the account routes');
  });

  it(
    'the 300 an hour count the account routes together: spread over them, the 301st attempt is 429',
    async () => {
      const ip = '192.0.2.99';
      const attempts = [
        () => post('/api/v1/auth/verify-email', { token: 'not-a-token' }, ip),
        () => post('/api/v1/auth/password-reset', { email: `spread-${Math.random()}@example.org` }, ip),
      ];
      for (let i = 0; i < 300; i++) assert.ok(((await attempts[i % 2]?.())?.statusCode ?? 0) < 429, `attempt ${i + 1}`);
      assertRefusal(await post('/api/v1/auth/verify-email', { token: 'one-more' }, ip), 429, 'RATE_LIMITED', 'verify, 301st attempt');
      assertRefusal(await loginAs('fresh-address@example.org', PASSWORD, ip), 429, 'RATE_LIMITED', 'login, same IP');
    },
  );

  it('while Redis does not answer, an API process counts on its own: every attempt is answered, and the 301st is 429', async () => {
    const noRedis = createRedisProbe({ redisUrl: `redis://127.0.0.1:${await freePort()}` });
    const alone = await buildApp({ config: room.config, db: room.db, redis: noRedis, clock: () => THANKSGIVING_MORNING });
    try {
      assert.equal(await noRedis.status(), 'down');
      const verify = (token: string) => send({ method: 'POST', url: '/api/v1/auth/verify-email', payload: { token }, remoteAddress: '192.0.2.120' }, alone);
      for (let i = 1; i <= 300; i++) assert.equal((await verify(`not-a-token-${i}`)).statusCode, 400, `attempt ${i}`);
      assertRefusal(await verify('one-more'), 429, 'RATE_LIMITED');
    } finally {
      await alone.close();
      await noRedis.close();
    }
  });
});

describe('the audit trail', () => {
  it('records failed and successful logins, registrations, role changes and identity checks with kind, actor, time and IP', async () => {
    const ip = '203.0.113.7';
    const admin = await makeAccount(room.db, 'admin', { email: 'audit-admin@example.org' });
    const staff = await makeAccount(room.db, 'staff', { email: 'audit-staff@example.org' });
    const reader = await makeAccount(room.db, 'researcher', { email: 'audited-reader@example.org' });
    const before = await lastEventId();

    assertRefusal(await loginAs(reader.email, 'not the right password', ip), 401, 'INVALID_CREDENTIALS');
    assert.equal((await loginAs(reader.email, reader.password, ip)).statusCode, 200);
    assert.equal((await registerAs('audited-newcomer@example.org', PASSWORD, ip)).statusCode, 202);
    const adminToken = await tokenOf(admin, ip);
    const promoted = await send({ method: 'PATCH', url: `/api/v1/users/${reader.user.id}`, headers: bearer(adminToken), payload: { role: 'curator' }, remoteAddress: ip });
    assert.equal(promoted.statusCode, 200);
    const staffToken = await tokenOf(staff, ip);
    const checked = await post(`/api/v1/users/${reader.user.id}/identity-verification`, { documentType: 'passport', note: 'First visit' }, ip, staffToken);
    assert.equal(checked.statusCode, 200);
    assert.equal(checked.json().identityVerified, true);

    const events = await eventsSince(before);
    type Event = (typeof events)[number];
    const one = (kind: string, filter: (e: Event) => boolean = () => true) => {
      const found = events.filter((e) => e.kind === kind && filter(e));
      assert.equal(found.length, 1, `one ${kind} event: ${JSON.stringify(events)}`);
      return found[0] as Event;
    };
    const at = THANKSGIVING_MORNING;

    const failed = one('login_failed');
    assert.deepEqual({ email: failed.email, userId: failed.userId, ip: failed.ip, at: failed.at }, { email: reader.email, userId: reader.user.id, ip, at });
    const succeeded = one('login_succeeded', (e) => e.userId === reader.user.id);
    assert.deepEqual({ ip: succeeded.ip, at: succeeded.at }, { ip, at });
    const registration = one('registration');
    assert.deepEqual({ email: registration.email, ip: registration.ip, at: registration.at }, { email: 'audited-newcomer@example.org', ip, at });
    const roleChange = one('role_changed');
    assert.deepEqual(
      { actor: roleChange.actorId, user: roleChange.userId, ip: roleChange.ip, at: roleChange.at, detail: roleChange.detail },
      { actor: admin.user.id, user: reader.user.id, ip, at, detail: { from: 'researcher', to: 'curator' } },
    );
    const identity = one('identity_verified');
    assert.deepEqual(
      { actor: identity.actorId, user: identity.userId, ip: identity.ip, at: identity.at, documentType: (identity.detail as { documentType?: string } | null)?.documentType },
      { actor: staff.user.id, user: reader.user.id, ip, at, documentType: 'passport' },
    );
    const trail = JSON.stringify(events);
    assert.ok(!trail.includes(reader.password) && !trail.includes('not the right password'), 'no password, right or wrong, is written down');
  });
});

describe('mass assignment', () => {
  it('registering with role, emailVerified and id in the body creates a plain, unverified researcher', async () => {
    const [first] = await room.db.select().from(users).orderBy(asc(users.id)).limit(1);
    assert.ok(first);
    const email = 'sneaky@example.org';
    const response = await registerAs(email, PASSWORD, '198.51.100.20', {
      role: 'admin',
      emailVerified: true,
      id: first.id,
      identityVerified: true,
      tokenVersion: 7,
      disabled: false,
    });
    assert.equal(response.statusCode, 202, response.body);

    const row = await userRow(email);
    assert.ok(row, 'the account exists');
    assert.notEqual(row.id, first.id);
    assert.equal(row.role, 'researcher');
    assert.equal(row.emailVerifiedAt, null);
    assert.equal(row.identityVerifiedAt, null);
    assert.equal(row.tokenVersion, 0);
    assert.deepEqual((await room.db.select().from(users).where(eq(users.id, first.id)))[0], first, 'the account whose id was sent is untouched');
    assertRefusal(await loginAs(email, PASSWORD, '198.51.100.20'), 403, 'EMAIL_NOT_VERIFIED');

    const verified = await post('/api/v1/auth/verify-email', { token: await queuedToken(email, 'verify-email') }, '198.51.100.20');
    assert.equal(verified.statusCode, 200);
    assert.equal(verified.json().user.role, 'researcher');
    assert.equal(verified.json().user.identityVerified, false);
    const signedIn = await loginAs(email, PASSWORD, '198.51.100.20');
    assert.equal(signedIn.json().user.role, 'researcher');
    assertRefusal(await send({ method: 'GET', url: '/api/v1/users', headers: bearer(signedIn.json().accessToken) }), 403, 'FORBIDDEN');
  });

  it('PATCH /api/v1/me with role, email or verification fields changes none of them', async () => {
    const reader = await makeAccount(room.db, 'researcher', { email: 'patcher@example.org' });
    const token = await tokenOf(reader, '198.51.100.21');
    const before = await userRow(reader.email);
    const response = await send({
      method: 'PATCH',
      url: '/api/v1/me',
      headers: bearer(token),
      payload: { role: 'admin', email: 'taken-over@example.org', emailVerified: false, identityVerified: true, disabled: true, id: 1, tokenVersion: 5 },
    });
    assert.ok(response.statusCode === 200 || response.statusCode === 400, `${response.statusCode} ${response.body}`);
    const after = await userRow(reader.email);
    assert.ok(after, 'the address is unchanged');
    assert.equal(await userRow('taken-over@example.org'), undefined);
    for (const column of ['id', 'role', 'email', 'emailVerifiedAt', 'identityVerifiedAt', 'disabledAt', 'tokenVersion', 'passwordHash'] as const) {
      assert.deepEqual(after[column], before?.[column], column);
    }
    const me = await send({ method: 'GET', url: '/api/v1/me', headers: bearer(token) });
    assert.equal(me.statusCode, 200, 'the token still works: nothing that ends it changed');
    assert.equal(me.json().role, 'researcher');
  });
});

describe('password lengths: 12 to 128 characters', () => {
  const ip = '198.51.100.30';

  it('registration refuses 11 and 129 characters (400) and accepts 12 and 128, which then sign in', async () => {
    assertRefusal(await registerAs('short@example.org', 'x'.repeat(11), ip), 400, 'FST_ERR_VALIDATION', '11 characters');
    assertRefusal(await registerAs('long@example.org', 'x'.repeat(129), ip), 400, 'FST_ERR_VALIDATION', '129 characters');
    assert.equal(await userRow('short@example.org'), undefined, 'a 4xx changes no data');
    assert.equal(await userRow('long@example.org'), undefined);
    for (const length of [12, 128]) {
      const email = `length-${length}@example.org`;
      const password = 'p'.repeat(length - 1) + '!';
      assert.equal((await registerAs(email, password, ip)).statusCode, 202, `${length} characters`);
      assert.equal((await post('/api/v1/auth/verify-email', { token: await queuedToken(email, 'verify-email') }, ip)).statusCode, 200);
      assert.equal((await loginAs(email, password, ip)).statusCode, 200, `a ${length}-character password signs in`);
    }
  });

  it('a password change and a reset refuse 11 and 129 characters and change nothing', async () => {
    const reader = await makeAccount(room.db, 'researcher', { email: 'length-change@example.org' });
    const token = await tokenOf(reader, ip);
    for (const newPassword of ['y'.repeat(11), 'y'.repeat(129)]) {
      const response = await post('/api/v1/me/password', { currentPassword: reader.password, newPassword }, ip, token);
      assertRefusal(response, 400, 'FST_ERR_VALIDATION', `${newPassword.length} characters`);
    }
    assert.equal((await send({ method: 'GET', url: '/api/v1/me', headers: bearer(token) })).statusCode, 200, 'the token still works');

    assert.equal((await resetFor(reader.email, ip)).statusCode, 202);
    const resetToken = await queuedToken(reader.email, 'password-reset');
    for (const password of ['z'.repeat(11), 'z'.repeat(129)]) {
      assertRefusal(await post('/api/v1/auth/password-reset/confirm', { token: resetToken, password }, ip), 400, 'FST_ERR_VALIDATION');
    }
    assert.equal((await loginAs(reader.email, reader.password, ip)).statusCode, 200, 'the password is unchanged');
    assert.equal((await post('/api/v1/auth/password-reset/confirm', { token: resetToken, password: 'z'.repeat(128) }, ip)).statusCode, 200, 'and the link still works');
  });
});

describe('no answer carries a password hash', () => {
  it('every account route, on its successful path', async () => {
    const ip = '198.51.100.40';
    const admin = await makeAccount(room.db, 'admin', { email: 'hash-admin@example.org' });
    const adminToken = await tokenOf(admin, ip);
    const email = 'hash-reader@example.org';
    const answers: LightMyRequestResponse[] = [];
    const keep = async (response: Promise<LightMyRequestResponse>) => {
      const r = await response;
      assert.ok(r.statusCode < 300, `${r.statusCode} ${r.body}`);
      answers.push(r);
      return r;
    };
    await keep(registerAs(email, PASSWORD, ip));
    await keep(post('/api/v1/auth/verify-email', { token: await queuedToken(email, 'verify-email') }, ip));
    const token = (await keep(loginAs(email, PASSWORD, ip))).json().accessToken;
    await keep(send({ method: 'GET', url: '/api/v1/me', headers: bearer(token) }));
    await keep(send({ method: 'PATCH', url: '/api/v1/me', headers: bearer(token), payload: { researchTopic: 'Hashes' } }));
    const changed = await keep(post('/api/v1/me/password', { currentPassword: PASSWORD, newPassword: 'another good password' }, ip, token));
    await keep(resetFor(email, ip));
    await keep(post('/api/v1/auth/password-reset/confirm', { token: await queuedToken(email, 'password-reset'), password: PASSWORD }, ip));
    const created = await keep(post('/api/v1/users', { email: 'hash-staff@example.org', password: PASSWORD, name: 'Desk', role: 'staff' }, ip, adminToken));
    await keep(send({ method: 'PATCH', url: `/api/v1/users/${created.json().id}`, headers: bearer(adminToken), payload: { role: 'curator' } }));
    await keep(send({ method: 'GET', url: `/api/v1/users?q=hash`, headers: bearer(adminToken) }));
    await keep(post(`/api/v1/users/${created.json().id}/identity-verification`, { documentType: 'other' }, ip, adminToken));
    assert.ok(changed.json().accessToken);
    for (const answer of answers) {
      assert.doesNotMatch(answer.body, /\$argon2|password_?hash|passwordHash|tokenVersion/i);
    }
  });
});

describe('any body at all, on the public account routes (property)', () => {
  const routes = ['/api/v1/auth/register', '/api/v1/auth/login', '/api/v1/auth/verify-email', '/api/v1/auth/password-reset', '/api/v1/auth/password-reset/confirm'];
  let fuzzRoom: TestReadingRoom;
  before(async () => {
    fuzzRoom = await startReadingRoom();
    await makeAccount(fuzzRoom.db, 'researcher', { email: 'fuzz-known@example.org' });
  });
  after(() => fuzzRoom.close());

  const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
  const text = fc.oneof(
    { weight: 3, arbitrary: fc.string() },
    { weight: 3, arbitrary: fc.string({ unit: 'grapheme' }) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary' }) },
    { weight: 1, arbitrary: fc.string({ unit: loneSurrogate }) },
    { weight: 2, arbitrary: fc.emailAddress() },
    { weight: 1, arbitrary: fc.constantFrom('fuzz-known@example.org', 'FUZZ-KNOWN@example.org ', '', ' ', '\u0000', 'a@b', '__proto__') },
    { weight: 1, arbitrary: fc.integer({ min: 100, max: 40_000 }).map((n) => 'é'.repeat(n)) },
    { weight: 1, arbitrary: fc.string({ minLength: 12, maxLength: 130 }) },
  );
  const value: fc.Arbitrary<unknown> = fc.oneof(
    { weight: 6, arbitrary: text },
    { weight: 1, arbitrary: fc.integer() },
    { weight: 1, arbitrary: fc.double() },
    { weight: 1, arbitrary: fc.boolean() },
    { weight: 1, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: fc.array(text, { maxLength: 3 }) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  );
  const field = fc.option(value, { nil: undefined, freq: 4 });
  const shaped = fc.record(
    { email: field, password: field, name: field, affiliation: field, researchTopic: field, token: field, role: field },
    { requiredKeys: [] },
  );
  const plausible = fc.record({
    email: fc.oneof(fc.emailAddress(), fc.constant('fuzz-known@example.org')),
    password: fc.string({ minLength: 10, maxLength: 130 }),
    name: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }),
    token: fc.string({ maxLength: 210 }),
  });
  const payload = fc.oneof(
    { weight: 4, arbitrary: shaped.map((b) => JSON.stringify(b)) },
    { weight: 5, arbitrary: plausible.map((b) => JSON.stringify(b)) },
    { weight: 2, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: fc.dictionary(fc.string(), value, { maxKeys: 5 }).map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: fc.string() },
    { weight: 1, arbitrary: fc.constantFrom('', '{', '{"email":', '{"__proto__":{"role":"admin"}}', '{"constructor":{"prototype":{"x":1}}}', 'null', '[]', '"x"') },
    { weight: 1, arbitrary: fc.integer({ min: 60_000, max: 80_000 }).map((n) => JSON.stringify({ email: 'a@example.org', password: 'x'.repeat(n), name: 'Big' })) },
  );
  const contentType = fc.oneof(
    { weight: 8, arbitrary: fc.constant('application/json') },
    { weight: 1, arbitrary: fc.constantFrom('application/json; charset=utf-8', 'APPLICATION/JSON', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x') },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );

  it('never answers a 5xx, and every non-2xx body has statusCode, code, error and message; a refusal changes no account', async () => {
    let run = 0;
    const counts = async () => ({
      users: await rowCount(fuzzRoom.db, 'users'),
      tokens: await rowCount(fuzzRoom.db, 'account_tokens'),
      outbox: await rowCount(fuzzRoom.db, 'outbox'),
    });
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), payload, contentType, async (url, body, type) => {
        run++;
        const before = await counts();
        const response = await send(
          {
            method: 'POST',
            url,
            payload: body,
            headers: type === undefined ? {} : { 'content-type': type },
            // A new address each run, so the per-IP limit (300 an hour) does not answer instead.
            remoteAddress: `10.${(run >> 16) & 255}.${(run >> 8) & 255}.${run & 255}`,
          },
          fuzzRoom.app,
        );
        assert.ok(response.statusCode < 500, `${url} answered ${response.statusCode}: ${response.body.slice(0, 300)}`);
        assert.doesNotMatch(response.body, /\n\s+at |SQLITE|sqlite|postgres|violates .* constraint|relation "/i, 'no stack trace or SQL, of either engine');
        if (response.statusCode >= 200 && response.statusCode < 300) return;
        const answer = response.json();
        assert.equal(answer.statusCode, response.statusCode);
        for (const key of ['code', 'error', 'message'] as const) assert.ok(typeof answer[key] === 'string' && answer[key].length > 0, `${key} in ${response.body}`);
        assert.deepEqual(await counts(), before, `a ${response.statusCode} changed no account, token or outbox row`);
      }),
      { numRuns: 200 },
    );
  });
});
