import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertRefusal } from '../helpers/answers.ts';
import { asUser, makeAccount, signIn } from '../helpers/people.ts';
import { signedInBrowser } from '../helpers/form-browser.ts';
import { startReadingRoom, type TestReadingRoom } from '../helpers/reading-room.ts';

// The pages' sign-out (POST /sign-out) ends the person's tokens, not only this browser's cookie:
// a session cookie copied from a shared reading-room computer stops working once its user signs out.

let room: TestReadingRoom;
before(async () => {
  room = await startReadingRoom();
});
after(() => room.close());

/** A page visit with nothing but a copied session cookie, as someone who took it would make. */
const withCopiedCookie = (cookie: string, url: string) => room.app.inject({ method: 'GET', url, headers: { cookie: `rr_session=${cookie}`, accept: 'text/html' } });

describe('signing out in the browser', () => {
  it('clears the cookie, and a copy of it, or a bearer token issued before, no longer works', async () => {
    const reader = await makeAccount(room.db, 'researcher');
    const browser = await signedInBrowser(room.app, reader.email, reader.password);
    const copied = browser.cookies.get('rr_session') ?? '';
    const apiToken = await signIn(room.app, reader.email, reader.password);
    assert.equal((await withCopiedCookie(copied, '/requests')).statusCode, 200, 'the copy works while the session lasts');

    assert.equal((await browser.get('/requests')).statusCode, 200, 'a page with the sign-out form');
    const signedOut = await browser.post('/sign-out');
    assert.equal(signedOut.statusCode, 303);
    assert.equal(signedOut.headers.location, '/sign-in');
    assert.ok(!browser.cookies.has('rr_session'), 'the cookie is cleared');

    const replayed = await withCopiedCookie(copied, '/requests');
    assert.equal(replayed.statusCode, 303, 'the copied cookie is sent to sign in');
    assert.match(String(replayed.headers.location), /^\/sign-in/);
    assertRefusal(await asUser(room.app, apiToken, { method: 'GET', url: '/api/v1/me' }), 401, 'UNAUTHENTICATED', 'a bearer token issued before');
  });

  it('a sign-out posted without its CSRF token is refused and ends nothing', async () => {
    const reader = await makeAccount(room.db, 'researcher');
    const browser = await signedInBrowser(room.app, reader.email, reader.password);
    assert.equal((await browser.get('/requests')).statusCode, 200);
    const forged = await browser.post('/sign-out', {}, { csrf: false });
    assert.equal(forged.statusCode, 403);
    assert.equal((await browser.get('/requests')).statusCode, 200, 'the session still works');
  });
});
