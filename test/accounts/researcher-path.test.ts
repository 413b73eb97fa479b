import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ParsedMail } from 'mailparser';
import { buildApp, type App } from '../../src/app.ts';
import { createRedisProbe, type RedisProbe } from '../../src/redis.ts';
import { assertRefusal } from '../helpers/answers.ts';
import { bearer, login, PASSWORD, tokenInLink } from '../helpers/people.ts';
import { everyStoredText } from '../helpers/stored-rows.ts';
import { SmtpSink } from '../helpers/smtp-sink.ts';
import { startPipeline, type TestPipeline } from '../helpers/workers.ts';
import { outbox } from '../../db/tables.ts';


// The researcher's way in, over HTTP, with the real relay, BullMQ worker and an SMTP server:
// register, read the mail, confirm the address, sign in, and get back in with a password reset.

let sink: SmtpSink;
let pipeline: TestPipeline;
let probe: RedisProbe;
let app: App;
let publicUrl: string;

before(async () => {
  sink = await SmtpSink.start();
  pipeline = await startPipeline({ smtpUrl: sink.url });
  probe = createRedisProbe(pipeline.config);
  app = await buildApp({ config: pipeline.config, db: pipeline.db, redis: probe, clock: () => new Date() });
  await app.ready();
  publicUrl = pipeline.config.publicUrl;
});

after(async () => {
  await app.close();
  await probe.close();
  await pipeline.close();
  await sink.stop();
});

const recipients = (mail: ParsedMail) => (Array.isArray(mail.to) ? mail.to : mail.to ? [mail.to] : []).flatMap((to) => to.value.map((v) => v.address));
const mailsTo = (address: string) => sink.messages.filter((m) => recipients(m).includes(address));

/** Waits for the `count`-th message to an address, and returns it. */
async function nthMailTo(address: string, count: number, timeoutMs = 15_000): Promise<ParsedMail> {
  const deadline = Date.now() + timeoutMs;
  while (mailsTo(address).length < count) {
    if (Date.now() > deadline) throw new Error(`expected ${count} messages to ${address}, got ${mailsTo(address).length}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return mailsTo(address)[count - 1] as ParsedMail;
}

/** Waits until the worker has recorded every outbox row addressed to `address` as done. */
async function outboxDoneFor(address: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = (await pipeline.db.select({ payload: outbox.payload, completedAt: outbox.completedAt }).from(outbox)).filter(
      (r) => (r.payload as { to: { email: string } }).to.email === address,
    );
    if (rows.length > 0 && rows.every((r) => r.completedAt !== null)) return;
    if (Date.now() > deadline) throw new Error(`the outbox rows to ${address} were not completed`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const register = (email: string, password = PASSWORD, extra: Record<string, unknown> = {}) =>
  app.inject({ method: 'POST', url: '/api/v1/auth/register', payload: { email, password, name: 'Victor Kibalchich', ...extra } });
const verify = (token: string) => app.inject({ method: 'POST', url: '/api/v1/auth/verify-email', payload: { token } });

/** Registers and confirms an address through the mailed link; returns the link's token. */
async function registerAndVerify(email: string, password = PASSWORD): Promise<string> {
  const before = mailsTo(email).length;
  assert.equal((await register(email, password)).statusCode, 202);
  const token = tokenInLink((await nthMailTo(email, before + 1)).text ?? '', publicUrl, 'verify-email');
  assert.ok(token, 'the verification mail carries a link');
  assert.equal((await verify(token)).statusCode, 200);
  return token;
}

describe('a researcher registers, confirms the address and signs in', () => {
  it('registration answers 202, the mailed link confirms the address once, and the login token opens /me', async () => {
    const email = 'laurette.sejourne@example.org';
    const registered = await register(email, PASSWORD, { affiliation: 'Yale University', researchTopic: 'Mexican muralism' });
    assert.equal(registered.statusCode, 202);
    assert.deepEqual(Object.keys(registered.json()), ['message']);

    const mail = await nthMailTo(email, 1);
    assert.equal(mail.subject, 'Confirm your e-mail address for Reading Room');
    assert.equal(publicUrl, 'http://localhost:3000', 'PUBLIC_URL defaults to http://localhost:3000');
    const token = tokenInLink(mail.text ?? '', publicUrl, 'verify-email');
    assert.ok(token, `the text carries ${publicUrl}/verify-email?token=…: ${mail.text}`);

    const verified = await verify(token);
    assert.equal(verified.statusCode, 200);
    const { user } = verified.json();
    assert.equal(user.email, email);
    assert.equal(user.emailVerified, true);
    assert.equal(user.role, 'researcher');
    assert.equal(user.affiliation, 'Yale University');
    assert.equal(user.researchTopic, 'Mexican muralism');
    assert.equal(user.identityVerified, false);
    assert.equal(user.disabled, false);

    assertRefusal(await verify(token), 400, 'INVALID_TOKEN', 'the same link a second time');

    const signedIn = await login(app, email, PASSWORD);
    assert.equal(signedIn.statusCode, 200);
    const answer = signedIn.json();
    assert.deepEqual(Object.keys(answer).sort(), ['accessToken', 'expiresIn', 'tokenType', 'user']);
    assert.equal(answer.tokenType, 'Bearer');
    assert.equal(answer.expiresIn, 28800);
    assert.equal(typeof answer.accessToken, 'string');
    assert.deepEqual(answer.user, user);

    const me = await app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(answer.accessToken) });
    assert.equal(me.statusCode, 200);
    assert.deepEqual(me.json(), user);
  });

  it('signing in before the address is confirmed is 403 EMAIL_NOT_VERIFIED with the right password, 401 INVALID_CREDENTIALS with a wrong one', async () => {
    const email = 'not.yet@example.org';
    assert.equal((await register(email)).statusCode, 202);
    assertRefusal(await login(app, email, PASSWORD), 403, 'EMAIL_NOT_VERIFIED');
    assertRefusal(await login(app, email, 'a wrong password of length'), 401, 'INVALID_CREDENTIALS', 'only the right password learns the state');
  });

  it('registering a verified address answers exactly like a new one, mails an "already registered" notice without a link, and keeps the password', async () => {
    const email = 'known@example.org';
    await registerAndVerify(email);
    const mailsBefore = mailsTo(email).length;

    const again = await register(email, 'someone else chose this one');
    const fresh = await register('never.seen.before@example.org');
    assert.equal(again.statusCode, fresh.statusCode);
    assert.equal(again.statusCode, 202);
    assert.equal(again.body, fresh.body, 'the same body: nothing tells the two apart');
    assert.equal(again.headers['content-type'], fresh.headers['content-type']);

    const notice = await nthMailTo(email, mailsBefore + 1);
    assert.equal(notice.subject, 'You already have an account at Reading Room');
    assert.doesNotMatch(notice.text ?? '', /verify-email/, 'no verification link');
    assert.doesNotMatch(`${notice.text} ${notice.html}`, /token=/, 'no token of any kind');

    assert.equal((await login(app, email, PASSWORD)).statusCode, 200, 'the account keeps its password');
    assertRefusal(await login(app, email, 'someone else chose this one'), 401, 'INVALID_CREDENTIALS');
  });

  it('registering an unverified address again mails a fresh link that confirms it and spends the earlier one, but keeps neither password: the person chooses one through a reset', async () => {
    const email = 'twice@example.org';
    assert.equal((await register(email, 'the first password chosen')).statusCode, 202);
    const first = tokenInLink((await nthMailTo(email, 1)).text ?? '', publicUrl, 'verify-email');
    assert.equal((await register(email, 'the second password chosen')).statusCode, 202);
    const second = tokenInLink((await nthMailTo(email, 2)).text ?? '', publicUrl, 'verify-email');
    assert.ok(first && second);
    assert.notEqual(first, second, 'a fresh link');

    const verified = await verify(second);
    assert.equal(verified.statusCode, 200);
    assert.equal(verified.json().user.emailVerified, true);
    assert.equal(verified.json().passwordResetNeeded, true);
    assertRefusal(await verify(first), 400, 'INVALID_TOKEN', 'the earlier link, once the address is proven');
    // Whoever registered first may not be the owner of the mailbox (test/accounts/pre-hijacking.test.ts).
    assertRefusal(await login(app, email, 'the second password chosen'), 401, 'INVALID_CREDENTIALS', 'the password of the registration whose link was followed');
    assertRefusal(await login(app, email, 'the first password chosen'), 401, 'INVALID_CREDENTIALS');
  });

  it('the verification mail greets neutrally: the name typed at registration reaches the address only once it is verified', async () => {
    const email = 'greeted.later@example.org';
    const typed = 'Mallory, your bank needs you';
    assert.equal((await register(email, PASSWORD, { name: typed })).statusCode, 202);
    const verification = await nthMailTo(email, 1);
    const to = Array.isArray(verification.to) ? verification.to[0] : verification.to;
    assert.deepEqual(to?.value, [{ address: email, name: '' }], 'the To header carries no name');
    for (const part of [verification.text ?? '', String(verification.html)]) {
      assert.ok(!part.includes('Mallory'), `the typed name is nowhere in the mail: ${part}`);
      assert.match(part, /Hello,/, 'a neutral greeting');
    }

    const token = tokenInLink(verification.text ?? '', publicUrl, 'verify-email');
    assert.ok(token);
    assert.equal((await verify(token)).statusCode, 200);
    assert.equal((await app.inject({ method: 'POST', url: '/api/v1/auth/password-reset', payload: { email } })).statusCode, 202);
    const reset = await nthMailTo(email, 2);
    assert.match(reset.text ?? '', new RegExp(`^Dear ${typed},`), 'once verified, the person is greeted by name');
  });

  it('the raw token of a verification link does not rest in the database once the mail is sent', async () => {
    const email = 'no.secrets@example.org';
    assert.equal((await register(email)).statusCode, 202);
    const token = tokenInLink((await nthMailTo(email, 1)).text ?? '', publicUrl, 'verify-email');
    assert.ok(token);
    await outboxDoneFor(email);
    const stored = await everyStoredText(pipeline.db, ['users', 'account_tokens', 'outbox']);
    assert.ok(stored.includes(email), 'the search does see the rows');
    assert.ok(!stored.includes(token), 'the raw token is in no text column of users, account_tokens or outbox');
    assert.ok(!(await everyStoredText(pipeline.db)).includes(token), 'nor in any other table');
    assert.equal((await verify(token)).statusCode, 200, 'and the link still works');
  });
});

describe('a researcher who forgot the password', () => {
  it('gets a reset link; setting a new password ends earlier tokens and the old password, and the new one signs in', async () => {
    const email = 'forgetful@example.org';
    await registerAndVerify(email);
    const oldToken = (await login(app, email, PASSWORD)).json().accessToken as string;
    assert.equal((await app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(oldToken) })).statusCode, 200);

    const mailsBefore = mailsTo(email).length;
    const asked = await app.inject({ method: 'POST', url: '/api/v1/auth/password-reset', payload: { email } });
    assert.equal(asked.statusCode, 202);
    assert.deepEqual(Object.keys(asked.json()), ['message']);
    const mail = await nthMailTo(email, mailsBefore + 1);
    assert.equal(mail.subject, 'Reset your Reading Room password');
    const resetToken = tokenInLink(mail.text ?? '', publicUrl, 'reset-password');
    assert.ok(resetToken, `the text carries ${publicUrl}/reset-password?token=…`);

    const newPassword = 'a brand new passphrase';
    const confirmed = await app.inject({ method: 'POST', url: '/api/v1/auth/password-reset/confirm', payload: { token: resetToken, password: newPassword } });
    assert.equal(confirmed.statusCode, 200);
    assert.equal(confirmed.json().user.email, email);

    assertRefusal(await app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(oldToken) }), 401, 'UNAUTHENTICATED', 'a token from before the reset');
    assertRefusal(await login(app, email, PASSWORD), 401, 'INVALID_CREDENTIALS', 'the old password');
    const signedIn = await login(app, email, newPassword);
    assert.equal(signedIn.statusCode, 200);
    assert.equal((await app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(signedIn.json().accessToken) })).statusCode, 200);

    assertRefusal(
      await app.inject({ method: 'POST', url: '/api/v1/auth/password-reset/confirm', payload: { token: resetToken, password: 'yet another passphrase' } }),
      400,
      'INVALID_TOKEN',
      'a reset link works once',
    );

    await outboxDoneFor(email);
    assert.ok(!(await everyStoredText(pipeline.db)).includes(resetToken), 'the raw reset token does not rest in the database once sent');
  });

  it('a reset for an unknown address answers 202 with the same body as for a known one, and sends no mail', async () => {
    const known = 'known.for.reset@example.org';
    const unknown = 'nobody.here@example.org';
    await registerAndVerify(known);
    const mailsBefore = mailsTo(known).length;

    const forUnknown = await app.inject({ method: 'POST', url: '/api/v1/auth/password-reset', payload: { email: unknown } });
    const forKnown = await app.inject({ method: 'POST', url: '/api/v1/auth/password-reset', payload: { email: known } });
    assert.equal(forUnknown.statusCode, 202);
    assert.equal(forKnown.statusCode, 202);
    assert.equal(forUnknown.body, forKnown.body);

    // The known address's mail was committed after the unknown one's would have been: once it has
    // arrived, a mail to the unknown address would have too.
    await nthMailTo(known, mailsBefore + 1);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(mailsTo(unknown).length, 0, 'no mail to an address without an account');
    assert.ok(!(await everyStoredText(pipeline.db, ['outbox'])).includes(unknown), 'and nothing waiting in the outbox for it');
  });
});
