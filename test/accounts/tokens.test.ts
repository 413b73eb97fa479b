import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { resolveJwtSecret } from '../../src/accounts/jwt-secret.ts';
import { assertRefusal } from '../helpers/answers.ts';
import { type Account, bearer, login, makeAccount, signIn } from '../helpers/people.ts';
import { startReadingRoom, type TestReadingRoom } from '../helpers/reading-room.ts';

// Bearer tokens: HS256 only, signed with the server's secret, unexpired, and of the account as it
// is now. A password change, a role change and a deactivation end every token issued before.

let room: TestReadingRoom;
let secret: string;
let admin: Account;
let adminToken: string;

before(async () => {
  room = await startReadingRoom();
  secret = resolveJwtSecret(room.config);
  admin = await makeAccount(room.db, 'admin', { email: 'admin@example.org' });
  adminToken = await signIn(room.app, admin.email, admin.password);
});
after(() => room.close());

const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const decode = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
const nowSeconds = () => Math.floor(Date.now() / 1000);

/** A JWT built by hand: header and claims as given, signed with HMAC (`hash`) under `key`. */
function handMade(header: Record<string, unknown>, claims: Record<string, unknown>, key: string, hash = 'sha256'): string {
  const input = `${b64(header)}.${b64(claims)}`;
  return `${input}.${createHmac(hash, key).update(input).digest('base64url')}`;
}

/** The claims a login would put in a token for this account now. */
const claimsOf = (account: Account, change: Record<string, unknown> = {}) => ({
  sub: String(account.user.id),
  role: account.user.role,
  ver: account.user.tokenVersion,
  iat: nowSeconds(),
  exp: nowSeconds() + 3600,
  ...change,
});
const HS256 = { alg: 'HS256', typ: 'JWT' };

const me = (headers: Record<string, string>) => room.app.inject({ method: 'GET', url: '/api/v1/me', headers });
const meWith = (token: string) => me(bearer(token));

describe('a forged or broken token is 401 UNAUTHENTICATED on GET /api/v1/me', () => {
  let reader: Account;
  let realToken: string;
  before(async () => {
    reader = await makeAccount(room.db, 'researcher', { email: 'reader@example.org' });
    realToken = await signIn(room.app, reader.email, reader.password);
  });

  it('a login token is HS256, carries sub, role, iat and exp, and lives 8 hours', () => {
    const [header, payload] = realToken.split('.') as [string, string];
    assert.equal(decode(header).alg, 'HS256');
    const claims = decode(payload);
    assert.equal(claims.sub, String(reader.user.id));
    assert.equal(claims.role, 'researcher');
    assert.equal(Number(claims.exp) - Number(claims.iat), 8 * 3600);
  });

  it('a token built by hand like the forgeries below, but honestly (right secret, HS256, unexpired), is accepted', async () => {
    const response = await meWith(handMade(HS256, claimsOf(reader), secret));
    assert.equal(response.statusCode, 200, 'so each forgery below fails for its one difference');
    assert.equal(response.json().email, reader.email);
  });

  it('a tampered payload (role changed to admin, signature kept) is refused', async () => {
    const [header, payload, signature] = realToken.split('.') as [string, string, string];
    const tampered = `${header}.${b64({ ...decode(payload), role: 'admin' })}.${signature}`;
    assertRefusal(await meWith(tampered), 401, 'UNAUTHENTICATED');
    const otherUser = `${header}.${b64({ ...decode(payload), sub: String(admin.user.id) })}.${signature}`;
    assertRefusal(await meWith(otherUser), 401, 'UNAUTHENTICATED', 'someone else\'s id, signature kept');
  });

  it('a token signed with a wrong secret is refused', async () => {
    assertRefusal(await meWith(handMade(HS256, claimsOf(reader), 'not the secret of this reading room at all')), 401, 'UNAUTHENTICATED');
  });

  it('an unsigned token (alg: none) is refused, with or without the trailing dot', async () => {
    const input = `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claimsOf(reader))}`;
    for (const token of [`${input}.`, input]) assertRefusal(await meWith(token), 401, 'UNAUTHENTICATED', token);
    const noneButSigned = `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
    assertRefusal(await meWith(noneButSigned), 401, 'UNAUTHENTICATED', 'alg none with a signature');
  });

  it('HS512 with the right secret is refused: HS256 only', async () => {
    assertRefusal(await meWith(handMade({ alg: 'HS512', typ: 'JWT' }, claimsOf(reader), secret, 'sha512')), 401, 'UNAUTHENTICATED');
    assertRefusal(await meWith(handMade({ alg: 'HS384', typ: 'JWT' }, claimsOf(reader), secret, 'sha384')), 401, 'UNAUTHENTICATED');
  });

  it('an expired token signed with the right secret is refused', async () => {
    const expired = claimsOf(reader, { iat: nowSeconds() - 9 * 3600, exp: nowSeconds() - 3600 });
    assertRefusal(await meWith(handMade(HS256, expired, secret)), 401, 'UNAUTHENTICATED');
    const justExpired = claimsOf(reader, { iat: nowSeconds() - 8 * 3600, exp: nowSeconds() - 2 });
    assertRefusal(await meWith(handMade(HS256, justExpired, secret)), 401, 'UNAUTHENTICATED', 'expired two seconds ago');
  });

  it('a token accepted a moment ago is refused once it expires (remembered tokens do not outlive their exp)', async () => {
    const shortLived = handMade(HS256, claimsOf(reader, { exp: nowSeconds() + 2 }), secret);
    assert.equal((await meWith(shortLived)).statusCode, 200);
    await new Promise((resolve) => setTimeout(resolve, (nowSeconds() + 3) * 1000 - Date.now()));
    assertRefusal(await meWith(shortLived), 401, 'UNAUTHENTICATED');
  });

  it('a correctly signed token of an unknown person, of an older token version, or without a numeric subject is refused', async () => {
    for (const [what, change] of [
      ['unknown person', { sub: '999999' }],
      ['older version', { ver: reader.user.tokenVersion - 1 }],
      ['newer version', { ver: reader.user.tokenVersion + 1 }],
      ['subject not a number', { sub: 'admin' }],
      ['no subject', { sub: undefined }],
    ] as const) {
      assertRefusal(await meWith(handMade(HS256, claimsOf(reader, change), secret)), 401, 'UNAUTHENTICATED', what);
    }
  });

  it('a malformed Authorization header, or a token without "Bearer", is refused', async () => {
    const headers: [string, Record<string, string>][] = [
      ['no header', {}],
      ['the token alone', { authorization: realToken }],
      ['Bearer and nothing', { authorization: 'Bearer' }],
      ['Bearer and a space', { authorization: 'Bearer ' }],
      ['not a JWT', { authorization: 'Bearer not-a-jwt' }],
      ['three bad parts', { authorization: 'Bearer a.b.c' }],
      ['a header of garbage', { authorization: `Bearer ${b64('{{{')}.${realToken.split('.').slice(1).join('.')}` }],
      ['Basic credentials', { authorization: `Basic ${Buffer.from(`${reader.email}:${reader.password}`).toString('base64')}` }],
      ['another scheme', { authorization: `Token ${realToken}` }],
      ['two tokens', { authorization: `Bearer ${realToken} ${realToken}` }],
    ];
    for (const [what, header] of headers) assertRefusal(await me(header), 401, 'UNAUTHENTICATED', what);
    assert.equal((await meWith(realToken)).statusCode, 200, 'while the real token works');
  });

  it('the role that counts is the account\'s, not the one a token claims', async () => {
    const claimsAdmin = handMade(HS256, claimsOf(reader, { role: 'admin' }), secret);
    const asMe = await meWith(claimsAdmin);
    assert.equal(asMe.statusCode, 200);
    assert.equal(asMe.json().role, 'researcher');
    assertRefusal(await room.app.inject({ method: 'GET', url: '/api/v1/users', headers: bearer(claimsAdmin) }), 403, 'FORBIDDEN');
  });
});

describe('changes that end a person\'s tokens', () => {
  const patchUser = (id: number, body: Record<string, unknown>) =>
    room.app.inject({ method: 'PATCH', url: `/api/v1/users/${id}`, headers: bearer(adminToken), payload: body });

  it('a role change by an admin ends the old token; a new login carries the new role', async () => {
    const person = await makeAccount(room.db, 'researcher', { email: 'promoted@example.org' });
    const oldToken = await signIn(room.app, person.email, person.password);
    assert.equal((await meWith(oldToken)).statusCode, 200);

    const changed = await patchUser(person.user.id, { role: 'staff' });
    assert.equal(changed.statusCode, 200);
    assert.equal(changed.json().role, 'staff');

    assertRefusal(await meWith(oldToken), 401, 'UNAUTHENTICATED', 'the token from before the role change');
    const signedIn = await login(room.app, person.email, person.password);
    assert.equal(signedIn.statusCode, 200);
    assert.equal(signedIn.json().user.role, 'staff');
    const users = await room.app.inject({ method: 'GET', url: '/api/v1/users', headers: bearer(signedIn.json().accessToken) });
    assert.equal(users.statusCode, 200, 'the new token has the rights of the new role');
  });

  it('disabling ends the tokens; the right password then gets 403 ACCOUNT_DISABLED, a wrong one 401; enabling lets the person in again', async () => {
    const person = await makeAccount(room.db, 'curator', { email: 'leaving@example.org' });
    const oldToken = await signIn(room.app, person.email, person.password);

    const disabled = await patchUser(person.user.id, { disabled: true });
    assert.equal(disabled.statusCode, 200);
    assert.equal(disabled.json().disabled, true);

    assertRefusal(await meWith(oldToken), 401, 'UNAUTHENTICATED', 'a token of a disabled account');
    assertRefusal(await login(room.app, person.email, person.password), 403, 'ACCOUNT_DISABLED');
    assertRefusal(await login(room.app, person.email, 'not the password of it'), 401, 'INVALID_CREDENTIALS', 'a wrong password learns nothing');

    const enabled = await patchUser(person.user.id, { disabled: false });
    assert.equal(enabled.statusCode, 200);
    assert.equal(enabled.json().disabled, false);
    assertRefusal(await meWith(oldToken), 401, 'UNAUTHENTICATED', 'the old token stays ended');
    const back = await signIn(room.app, person.email, person.password);
    assert.equal((await meWith(back)).statusCode, 200);
  });

  it('a password change needs the current password (400 WRONG_PASSWORD), answers a new token, and ends the old one even within the same second', async () => {
    const person = await makeAccount(room.db, 'researcher', { email: 'changer@example.org' });
    let password = person.password;
    const change = (token: string, currentPassword: string, newPassword: string) =>
      room.app.inject({ method: 'POST', url: '/api/v1/me/password', headers: bearer(token), payload: { currentPassword, newPassword } });

    const first = await signIn(room.app, person.email, password);
    assertRefusal(await change(first, 'this is not my password', 'a new password of mine'), 400, 'WRONG_PASSWORD');
    assert.equal((await meWith(first)).statusCode, 200, 'a refused change ends nothing');
    assert.equal((await login(room.app, person.email, password)).statusCode, 200, 'and keeps the password');

    // The point is a token issued in the same second as the change: try until a pair shares its second.
    let sameSecond = 0;
    for (let attempt = 1; attempt <= 5 && sameSecond === 0; attempt++) {
      const oldToken = await signIn(room.app, person.email, password);
      const next = `${password.slice(0, 20)} #${attempt}`;
      const changed = await change(oldToken, password, next);
      assert.equal(changed.statusCode, 200);
      const answer = changed.json();
      assert.equal(answer.tokenType, 'Bearer');
      assert.equal(answer.expiresIn, 28800);
      assert.equal(answer.user.email, person.email);
      password = next;

      assertRefusal(await meWith(oldToken), 401, 'UNAUTHENTICATED', 'the token from before the change');
      assert.equal((await meWith(answer.accessToken)).statusCode, 200, 'the token in the answer');
      if (decode(oldToken.split('.')[1] ?? '').iat === decode(answer.accessToken.split('.')[1] ?? '').iat) sameSecond++;
    }
    assert.ok(sameSecond > 0, 'an old token issued in the very second of the new one was tried');
    assertRefusal(await login(room.app, person.email, person.password), 401, 'INVALID_CREDENTIALS', 'the first password');
    assert.equal((await login(room.app, person.email, password)).statusCode, 200, 'the latest password');
  });
});
