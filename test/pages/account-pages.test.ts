import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { outbox, users } from '../../db/tables.ts';
import { startReadingRoom, type TestReadingRoom } from '../helpers/reading-room.ts';

let room: TestReadingRoom;
before(async () => {
  room = await startReadingRoom();
});
after(() => room.close());

const form = { 'content-type': 'application/x-www-form-urlencoded' };

/** Registers through the API and returns the token of the link in the queued mail. */
async function registerAndGetLink(email: string, kind: 'verify-email' | 'password-reset' = 'verify-email'): Promise<string> {
  const url = kind === 'verify-email' ? '/api/v1/auth/register' : '/api/v1/auth/password-reset';
  const payload = kind === 'verify-email' ? { email, password: 'a long enough password', name: 'Page Reader' } : { email };
  assert.equal((await room.app.inject({ method: 'POST', url, payload })).statusCode, 202);
  const row = (await room.db.select().from(outbox).where(eq(outbox.jobName, kind))).at(-1);
  const link = (row?.payload as { data: { link: string } }).data.link;
  return new URL(link).searchParams.get('token') ?? '';
}

/** Opens a page as a browser would: its CSRF field and its cookie. */
async function open(url: string) {
  const response = await room.app.inject({ method: 'GET', url });
  return {
    response,
    csrf: /name="_csrf" value="([^"]+)"/.exec(response.body)?.[1] ?? '',
    cookie: String(response.headers['set-cookie'] ?? '').split(';')[0] ?? '',
  };
}

const verified = async (email: string) => (await room.db.select().from(users).where(eq(users.email, email)))[0]?.emailVerifiedAt !== null;

describe('the page a verification link lands on', () => {
  it('changes nothing when opened: mail scanners follow links', async () => {
    const token = await registerAndGetLink('scanner@example.org');
    const { response } = await open(`/verify-email?token=${token}`);
    assert.equal(response.statusCode, 200);
    assert.match(String(response.headers['content-type']), /text\/html/);
    assert.match(response.body, /<html lang="en">/);
    assert.equal(await verified('scanner@example.org'), false);
  });

  it('refuses a form post without its CSRF token with 403 CSRF_INVALID, and changes nothing', async () => {
    const token = await registerAndGetLink('forged@example.org');
    const { cookie } = await open(`/verify-email?token=${token}`);
    const response = await room.app.inject({ method: 'POST', url: '/verify-email', headers: { ...form, cookie }, payload: `token=${token}` });
    assert.equal(response.statusCode, 403);
    assert.equal(response.json().code, 'CSRF_INVALID');
    assert.equal(await verified('forged@example.org'), false);
  });

  it('refuses a CSRF token without the cookie it belongs to', async () => {
    const token = await registerAndGetLink('nocookie@example.org');
    const { csrf } = await open(`/verify-email?token=${token}`);
    const response = await room.app.inject({ method: 'POST', url: '/verify-email', headers: form, payload: `token=${token}&_csrf=${encodeURIComponent(csrf)}` });
    assert.equal(response.statusCode, 403);
    assert.equal(await verified('nocookie@example.org'), false);
  });

  it('confirms the address through its form, once', async () => {
    const token = await registerAndGetLink('pages@example.org');
    const { csrf, cookie } = await open(`/verify-email?token=${token}`);
    const payload = `token=${token}&_csrf=${encodeURIComponent(csrf)}`;
    const confirmed = await room.app.inject({ method: 'POST', url: '/verify-email', headers: { ...form, cookie }, payload });
    assert.equal(confirmed.statusCode, 200);
    assert.match(confirmed.body, /Your address is confirmed/);
    assert.equal(await verified('pages@example.org'), true);

    const again = await room.app.inject({ method: 'POST', url: '/verify-email', headers: { ...form, cookie }, payload });
    assert.equal(again.statusCode, 400);
    assert.match(again.body, /unknown, already used or expired/);
  });
});

describe('the page a reset link lands on', () => {
  it('sets the new password through its form, when both fields agree', async () => {
    await registerAndGetLink('reset-page@example.org');
    const token = await registerAndGetLink('reset-page@example.org', 'password-reset');
    const { csrf, cookie } = await open(`/reset-password?token=${token}`);
    const post = (password: string, confirmation: string) =>
      room.app.inject({
        method: 'POST',
        url: '/reset-password',
        headers: { ...form, cookie },
        payload: new URLSearchParams({ token, password, confirmation, _csrf: csrf }).toString(),
      });

    const mismatch = await post('a new long password', 'another long password');
    assert.equal(mismatch.statusCode, 400);
    assert.match(mismatch.body, /not the same/);

    const done = await post('a new long password', 'a new long password');
    assert.equal(done.statusCode, 200);
    const login = await room.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'reset-page@example.org', password: 'a new long password' } });
    assert.equal(login.statusCode, 200, 'the reset also proves the mailbox, so the account can sign in');
  });

  it('without a token, offers to send a reset link', async () => {
    const { response } = await open('/reset-password');
    assert.equal(response.statusCode, 200);
    assert.match(response.body, /action="\/reset-password\/request"/);
  });
});

describe('page assets', () => {
  it('serve the stylesheet from our own origin, as the content security policy wants', async () => {
    const response = await room.app.inject({ method: 'GET', url: '/assets/reading-room.css' });
    assert.equal(response.statusCode, 200);
    assert.match(String(response.headers['content-type']), /text\/css/);
    const page = await open('/reset-password');
    assert.doesNotMatch(page.response.body, /<style|style="/, 'no inline styles for the policy to block');
  });
});
