import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { createLog } from '../../src/log.ts';
import { bearer, tokenInLink } from '../helpers/people.ts';
import { formBrowser, signedInBrowser } from '../helpers/form-browser.ts';
import { mailsSince } from '../helpers/outbox-mail.ts';
import { startReadingRoom, type TestReadingRoom } from '../helpers/reading-room.ts';

// The app's log, as `npm start` writes it, read after the links and sign-ins of a researcher's
// account: no line may carry a password, a token (a link's, a bearer's, the CSRF one), a cookie or
// an authorization header.

const lines: string[] = [];
const logTo = new Writable({
  write(chunk, _encoding, done) {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    done();
  },
});

let room: TestReadingRoom;
before(async () => {
  // NODE_ENV=development logs at `info`, as production does: one line per request.
  room = await startReadingRoom({ env: { NODE_ENV: 'development' }, logTo });
});
after(() => room.close());

/** Every text that must not reach the log, with what it is. */
const secrets = new Map<string, string>();
const keep = (what: string, secret: string | undefined) => {
  assert.ok(secret && secret.length >= 8, `${what} is known to the test`);
  secrets.set(secret, what);
  return secret;
};

/** The token of the latest link of a kind waiting in the outbox. */
async function queuedToken(kind: 'verify-email' | 'reset-password'): Promise<string> {
  const job = kind === 'verify-email' ? 'verify-email' : 'password-reset';
  const latest = (await mailsSince(room.db, 0)).filter((row) => row.jobName === job).at(-1);
  return tokenInLink(latest ? JSON.stringify(latest.mail) : '', room.config.publicUrl, kind) ?? '';
}

const json = (method: 'POST' | 'GET', url: string, payload?: object, headers: Record<string, string> = {}) =>
  room.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });

describe('the request log', () => {
  before(async () => {
    const email = 'logged-reader@example.org';
    const first = keep('the registration password', 'first pass phrase of the logged reader');
    assert.equal((await json('POST', '/api/v1/auth/register', { email, password: first, name: 'Logged Reader' })).statusCode, 202);

    // The verification link, opened and confirmed on its page.
    const verification = keep('the verification token', await queuedToken('verify-email'));
    const verifying = formBrowser(room.app);
    assert.equal((await verifying.get(`/verify-email?token=${verification}`)).statusCode, 200);
    assert.equal((await verifying.post('/verify-email', { token: verification })).statusCode, 200);
    for (const [name, value] of verifying.cookies) keep(`the ${name} cookie of the verification page`, value);

    // Signed in through the API, with a wrong password first, then a bearer call.
    keep('a wrong password', 'not the password at all, logged?');
    assert.equal((await json('POST', '/api/v1/auth/login', { email, password: 'not the password at all, logged?' })).statusCode, 401);
    const signedIn = await json('POST', '/api/v1/auth/login', { email, password: first });
    const jwt = keep('a bearer token', signedIn.json().accessToken);
    assert.equal((await json('GET', '/api/v1/me', undefined, bearer(jwt))).statusCode, 200);
    assert.equal((await json('GET', `/api/v1/me?access_token=${jwt}`)).statusCode, 401);

    // A password change, then a reset through the API, its link opened on its page.
    const second = keep('the changed password', 'second pass phrase of the logged reader');
    const changed = await json('POST', '/api/v1/me/password', { currentPassword: first, newPassword: second }, bearer(jwt));
    assert.equal(changed.statusCode, 200, changed.body);
    keep('the token after the change', changed.json().accessToken);
    assert.equal((await json('POST', '/api/v1/auth/password-reset', { email })).statusCode, 202);
    const reset = keep('a reset token', await queuedToken('reset-password'));
    assert.equal((await room.app.inject({ method: 'GET', url: `/reset-password?token=${reset}` })).statusCode, 200);
    const third = keep('the password set by the reset', 'third pass phrase of the logged reader');
    assert.equal((await json('POST', '/api/v1/auth/password-reset/confirm', { token: reset, password: third })).statusCode, 200);

    // A reset asked for and confirmed on the pages.
    const resetting = formBrowser(room.app);
    await resetting.get('/reset-password');
    assert.equal((await resetting.post('/reset-password/request', { email })).statusCode, 202);
    const pageReset = keep('a reset token used on the page', await queuedToken('reset-password'));
    await resetting.get(`/reset-password?token=${pageReset}`);
    const fourth = keep('the password set on the reset page', 'fourth pass phrase of the logged reader');
    assert.equal((await resetting.post('/reset-password', { token: pageReset, password: fourth, confirmation: fourth })).statusCode, 200);

    // A browser session, and a body that is not even JSON with a password in it.
    const browser = await signedInBrowser(room.app, email, fourth);
    assert.equal((await browser.get('/requests')).statusCode, 200);
    for (const [name, value] of browser.cookies) keep(`the ${name} cookie`, value);
    const broken = keep('a password in a broken body', 'fifth pass phrase in broken JSON');
    const refused = await room.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'content-type': 'application/json' }, payload: `{"email":"${email}","password":"${broken}"` });
    assert.equal(refused.statusCode, 400);
  });

  it('has one line for each request, with its path', () => {
    const requests = lines.map((line) => JSON.parse(line)).filter((entry) => entry.req);
    assert.ok(requests.length >= 15, `${requests.length} request lines`);
    const paths = new Set(requests.map((entry) => entry.req.url));
    for (const path of ['/verify-email', '/reset-password', '/api/v1/auth/login', '/api/v1/me', '/requests']) assert.ok(paths.has(path), `a line for ${path}`);
  });

  it('writes paths without their query string', () => {
    for (const line of lines) assert.doesNotMatch(line, /\?/, line);
  });

  it('carries no password, token or cookie in any line', () => {
    assert.ok(secrets.size >= 12, `${secrets.size} secrets looked for`);
    for (const line of lines) {
      for (const [secret, what] of secrets) assert.ok(!line.includes(secret), `${what} is in the log: ${line}`);
    }
  });

  it('carries no header at all, and so no cookie or authorization', () => {
    for (const line of lines) assert.doesNotMatch(line, /authorization|cookie|bearer/i, line);
  });
});

describe('the logger', () => {
  it('censors a credential that a log call puts in a line, at the top or one level down', () => {
    const written: string[] = [];
    const log = createLog({ env: 'development' }, { destination: { write: (line: string) => written.push(line) } });
    log.info({ password: 'pw-top', token: 'tk-top', headers: { authorization: 'Bearer hd-top', cookie: 'rr_session=ck-top' } }, 'top');
    log.warn({ body: { currentPassword: 'pw-body', newPassword: 'pw-new', accessToken: 'tk-body' }, response: { headers: { 'set-cookie': 'ck-res' } } }, 'nested');
    assert.equal(written.length, 2);
    for (const line of written) {
      assert.doesNotMatch(line, /pw-|tk-|hd-|ck-/, line);
      assert.match(line, /\[redacted\]/);
    }
  });

  it("censors an error's credential fields, a child's bindings and headers one level down, and keeps the rest", () => {
    const written: string[] = [];
    const log = createLog({ env: 'development' }, { destination: { write: (line: string) => written.push(line) } });
    const error = Object.assign(new Error('refused'), { token: 'tk-err', details: { password: 'pw-details' }, code: 'KEPT' });
    log.error({ err: error }, 'an error');
    const body = { password: 'pw-body', name: 'Kept Name' };
    const child = log.child({ token: 'tk-binding', reqId: 'req-kept' });
    child.info({ body, request: { headers: { cookie: 'ck-req', accept: 'text/html' } } }, 'child');
    child.child({ step: 'kept' }).info({ accessToken: 'tk-grandchild' }, 'grandchild');
    assert.equal(written.length, 3);
    for (const line of written) assert.doesNotMatch(line, /pw-body|tk-|ck-/, line);
    const [errorLine, childLine, grandchildLine] = written.map((line) => JSON.parse(line));
    assert.equal(errorLine.err.token, '[redacted]');
    assert.equal(errorLine.err.message, 'refused');
    assert.equal(errorLine.err.code, 'KEPT');
    assert.match(errorLine.err.stack, /refused/);
    assert.equal(errorLine.err.details.password, 'pw-details', 'two levels down is not looked through (as before)');
    assert.deepEqual(childLine.body, { password: '[redacted]', name: 'Kept Name' });
    assert.deepEqual(childLine.request.headers, { cookie: '[redacted]', accept: 'text/html' });
    assert.equal(childLine.reqId, 'req-kept');
    assert.equal(childLine.token, '[redacted]');
    assert.equal(grandchildLine.step, 'kept');
    assert.equal(grandchildLine.token, '[redacted]');
    assert.equal(body.password, 'pw-body', 'the logged object itself is left as it was');
  });
});
