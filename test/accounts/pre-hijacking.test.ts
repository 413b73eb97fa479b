import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertRefusal } from '../helpers/answers.ts';
import { login } from '../helpers/people.ts';
import { formBrowser } from '../helpers/form-browser.ts';
import { lastOutboxId, mailsSince } from '../helpers/outbox-mail.ts';
import { startReadingRoom, type TestReadingRoom } from '../helpers/reading-room.ts';

// Account pre-hijacking: someone registers a stranger's address with a password of their own,
// before the stranger does. Every registration's link lands in the stranger's mailbox, so
// whichever the owner follows, the account must not end up with the first registrant's password.
// A link proves the mailbox, nothing more: with more than one registration, none's password is
// kept, and the person chooses one through a reset (docs/api.md v2, "Sign-out, pages and hardening").

let room: TestReadingRoom;
before(async () => {
  room = await startReadingRoom();
});
after(() => room.close());

const ATTACKER_PASSWORD = 'the attacker knows this one';
const OWNER_PASSWORD = 'the owner chose this one';
const ATTACKER_IP = '203.0.113.66';
const OWNER_IP = '198.51.100.44';

const register = (email: string, password: string, remoteAddress: string) =>
  room.app.inject({ method: 'POST', url: '/api/v1/auth/register', payload: { email, password, name: 'Someone' }, remoteAddress });
const verify = (token: string) => room.app.inject({ method: 'POST', url: '/api/v1/auth/verify-email', payload: { token }, remoteAddress: OWNER_IP });

/** The tokens of the links mailed to an address since an outbox id, oldest first. */
async function linksTo(email: string, kind: 'verify-email' | 'password-reset', since: number): Promise<string[] > {
  return (await mailsSince(room.db, since))
    .filter((row) => row.mail.kind === kind && row.mail.to.email === email)
    .map((row) => new URL((row.mail.data as { link: string }).link).searchParams.get('token') ?? '');
}

/** The attack's first two steps: the attacker registers the address, then its owner does. */
async function registeredByAttackerThenOwner(email: string): Promise<{ attackerLink: string; ownerLink: string }> {
  const since = await lastOutboxId(room.db);
  assert.equal((await register(email, ATTACKER_PASSWORD, ATTACKER_IP)).statusCode, 202);
  assert.equal((await register(email, OWNER_PASSWORD, OWNER_IP)).statusCode, 202);
  const [attackerLink, ownerLink, ...more] = await linksTo(email, 'verify-email', since);
  assert.ok(attackerLink && ownerLink && more.length === 0, 'two verification mails, both to the owner');
  return { attackerLink, ownerLink };
}

/** A password reset through the API, as the owner of the mailbox does it. */
async function resetPassword(email: string, password: string): Promise<void> {
  const since = await lastOutboxId(room.db);
  assert.equal((await room.app.inject({ method: 'POST', url: '/api/v1/auth/password-reset', payload: { email }, remoteAddress: OWNER_IP })).statusCode, 202);
  const [token] = await linksTo(email, 'password-reset', since);
  assert.ok(token, 'a reset link was mailed');
  const confirmed = await room.app.inject({ method: 'POST', url: '/api/v1/auth/password-reset/confirm', payload: { token, password }, remoteAddress: OWNER_IP });
  assert.equal(confirmed.statusCode, 200, confirmed.body);
}

describe('an address registered more than once before it is confirmed', () => {
  for (const followed of ['attackerLink', 'ownerLink'] as const) {
    it(`following the ${followed === 'attackerLink' ? "attacker's" : "owner's"} link confirms the address but keeps neither password; a reset then lets the owner in, and the attacker never`, async () => {
      const email = `owner-${followed.toLowerCase()}@example.org`;
      const links = await registeredByAttackerThenOwner(email);

      const verified = await verify(links[followed]);
      assert.equal(verified.statusCode, 200, verified.body);
      const answer = verified.json();
      assert.equal(answer.user.email, email);
      assert.equal(answer.user.emailVerified, true);
      assertRefusal(await login(room.app, email, ATTACKER_PASSWORD, ATTACKER_IP), 401, 'INVALID_CREDENTIALS', "the attacker's password");
      assertRefusal(await login(room.app, email, OWNER_PASSWORD, OWNER_IP), 401, 'INVALID_CREDENTIALS', "the owner's registration password");
      assert.equal(answer.passwordResetNeeded, true, 'the answer says a password must be chosen');
      assert.match(answer.message, /password reset/, 'and its message sends the person to a reset');
      const other = followed === 'attackerLink' ? links.ownerLink : links.attackerLink;
      assertRefusal(await verify(other), 400, 'INVALID_TOKEN', 'the other link, once the address is proven');

      await resetPassword(email, 'chosen through the reset');
      assert.equal((await login(room.app, email, 'chosen through the reset', OWNER_IP)).statusCode, 200, 'the password chosen through the reset signs in');
      assertRefusal(await login(room.app, email, ATTACKER_PASSWORD, ATTACKER_IP), 401, 'INVALID_CREDENTIALS', "the attacker's password, after the reset");
    });
  }

  it('registration 1 then registration 2 (the same person twice): either link confirms, and the person is sent to a reset', async () => {
    const email = 'forgot-i-registered@example.org';
    const since = await lastOutboxId(room.db);
    assert.equal((await register(email, 'the first password chosen', OWNER_IP)).statusCode, 202);
    assert.equal((await register(email, 'the second password chosen', OWNER_IP)).statusCode, 202);
    const [first, second] = await linksTo(email, 'verify-email', since);
    assert.ok(first && second && first !== second, 'a fresh link each time');

    const verified = await verify(first);
    assert.equal(verified.statusCode, 200);
    for (const password of ['the first password chosen', 'the second password chosen']) {
      assertRefusal(await login(room.app, email, password, OWNER_IP), 401, 'INVALID_CREDENTIALS', password);
    }
    assert.equal(verified.json().passwordResetNeeded, true);
    assertRefusal(await verify(second), 400, 'INVALID_TOKEN', 'the later link, once the address is proven');
  });

  it('the page the link lands on confirms the address and sends the person to choose a password', async () => {
    const email = 'page-owner@example.org';
    const { attackerLink } = await registeredByAttackerThenOwner(email);
    const browser = formBrowser(room.app);
    assert.equal((await browser.get(`/verify-email?token=${attackerLink}`)).statusCode, 200);
    const confirmed = await browser.post('/verify-email', { token: attackerLink });
    assert.equal(confirmed.statusCode, 200, confirmed.body);
    assert.match(confirmed.body, /Your address is confirmed/);
    assert.match(confirmed.body, /password reset/);
    assert.match(confirmed.body, /<a class="button" href="\/reset-password">Choose your password<\/a>/, 'a link to ask for a reset');
    assert.equal((await browser.get('/reset-password')).statusCode, 200, 'which opens the form that mails a reset link');
    assertRefusal(await login(room.app, email, ATTACKER_PASSWORD, ATTACKER_IP), 401, 'INVALID_CREDENTIALS', "the attacker's password");
  });

  it("an address proven by a reset keeps the reset's password when an older verification link is followed afterwards", async () => {
    const email = 'reset-first@example.org';
    const since = await lastOutboxId(room.db);
    assert.equal((await register(email, ATTACKER_PASSWORD, ATTACKER_IP)).statusCode, 202);
    await resetPassword(email, 'the owner reset to this');
    const [attackerLink] = await linksTo(email, 'verify-email', since);
    assert.ok(attackerLink);

    const verified = await verify(attackerLink);
    assert.equal(verified.statusCode, 200, verified.body);
    assertRefusal(await login(room.app, email, ATTACKER_PASSWORD, ATTACKER_IP), 401, 'INVALID_CREDENTIALS', "the attacker's password");
    assert.equal((await login(room.app, email, 'the owner reset to this', OWNER_IP)).statusCode, 200);
    assert.equal(verified.json().passwordResetNeeded, false, 'the password from the reset stands');
  });
});

describe('an address registered once', () => {
  it('its link confirms the address and its password stands, as in v1', async () => {
    const email = 'registered-once@example.org';
    const since = await lastOutboxId(room.db);
    assert.equal((await register(email, OWNER_PASSWORD, OWNER_IP)).statusCode, 202);
    const [link] = await linksTo(email, 'verify-email', since);
    assert.ok(link);
    const verified = await verify(link);
    assert.equal(verified.statusCode, 200);
    assert.equal(verified.json().passwordResetNeeded, false);
    assert.equal((await login(room.app, email, OWNER_PASSWORD, OWNER_IP)).statusCode, 200);
  });
});
