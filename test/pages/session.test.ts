import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { makeAccount } from '../helpers/people.ts';
import { formBrowser } from '../helpers/form-browser.ts';
import { startReadingRoom } from '../helpers/reading-room.ts';

// The browser's cookies (API.md v2, "Sign-out, pages and hardening"): the session is HttpOnly and
// SameSite=Lax, the CSRF secret HttpOnly and SameSite=Strict, and every cookie is Secure exactly
// when PUBLIC_URL is https: never sent in clear where TLS is served, and kept where it is not.

type Cookie = LightMyRequestResponse['cookies'][number];

/** The cookies an admin's browser is given: the CSRF secret, the session, the dashboard's token. */
async function cookiesGiven(publicUrl: string): Promise<Record<string, Cookie>> {
  const room = await startReadingRoom({ env: { PUBLIC_URL: publicUrl } });
  try {
    const admin = await makeAccount(room.db, 'admin');
    const browser = formBrowser(room.app);
    const signInPage = await browser.get('/sign-in');
    const signedIn = await browser.post('/sign-in', { email: admin.email, password: admin.password });
    assert.equal(signedIn.statusCode, 303, signedIn.body);
    const dashboard = await browser.get('/admin/queues');
    assert.equal(dashboard.statusCode, 200);
    const given = [...signInPage.cookies, ...signedIn.cookies, ...dashboard.cookies];
    const byName = Object.fromEntries(given.map((c) => [c.name, c]));
    assert.deepEqual(Object.keys(byName).sort(), ['XSRF-TOKEN', '_csrf', 'rr_session']);
    return byName;
  } finally {
    await room.close();
  }
}

const flags = (c: Cookie | undefined) => ({ httpOnly: c?.httpOnly === true, sameSite: c?.sameSite, secure: c?.secure === true, path: c?.path });

describe('the browser’s cookies', { timeout: 30_000 }, () => {
  it('over https: the session HttpOnly, SameSite=Lax and Secure; the CSRF secret HttpOnly, Strict and Secure; the dashboard’s token Secure', async () => {
    const cookies = await cookiesGiven('https://reading-room.example.org');
    assert.deepEqual(flags(cookies.rr_session), { httpOnly: true, sameSite: 'Lax', secure: true, path: '/' });
    assert.deepEqual(flags(cookies._csrf), { httpOnly: true, sameSite: 'Strict', secure: true, path: '/' });
    assert.deepEqual(flags(cookies['XSRF-TOKEN']), { httpOnly: false, sameSite: 'Strict', secure: true, path: '/admin/queues' });
  });

  it('over plain http (PUBLIC_URL http://, localhost included): the same, but not Secure', async () => {
    for (const publicUrl of ['http://localhost:3000', 'http://reading-room.lan:8080']) {
      const cookies = await cookiesGiven(publicUrl);
      assert.deepEqual(flags(cookies.rr_session), { httpOnly: true, sameSite: 'Lax', secure: false, path: '/' }, publicUrl);
      assert.deepEqual(flags(cookies._csrf), { httpOnly: true, sameSite: 'Strict', secure: false, path: '/' }, publicUrl);
      assert.deepEqual(flags(cookies['XSRF-TOKEN']), { httpOnly: false, sameSite: 'Strict', secure: false, path: '/admin/queues' }, publicUrl);
    }
  });

  it('the session cookie lives no longer than its token (8 hours)', async () => {
    const cookies = await cookiesGiven('https://reading-room.example.org');
    assert.equal(cookies.rr_session?.maxAge, 8 * 3600);
  });
});
