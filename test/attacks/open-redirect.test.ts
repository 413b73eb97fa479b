import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { type Account, makeAccount } from '../helpers/people.ts';
import { formBrowser, signedInBrowser } from '../helpers/form-browser.ts';
import { startReadingRoom, type TestReadingRoom } from '../helpers/reading-room.ts';

// `/sign-in?next=…` is a link anyone can send. Whatever `next` holds, signing in lands on a page of
// this site: a browser follows a Location as the WHATWG URL parser reads it (dropping tabs and
// newlines, taking `\` for `/`), and so does this test.

let room: TestReadingRoom;
let reader: Account;
let origin: string;
before(async () => {
  room = await startReadingRoom();
  origin = new URL(room.config.publicUrl).origin;
  reader = await makeAccount(room.db, 'researcher');
});
after(() => room.close());

const HOSTILE = [
  '/\t/evil.example',
  '/\n/evil.example',
  '/\r\n/evil.example',
  '//evil.example',
  '///evil.example',
  '/\\evil.example',
  '/\\/evil.example',
  '\\/evil.example',
  '/%5Cevil.example',
  '/%09/evil.example',
  '/%0d%0aSet-Cookie:%20rr_session=stolen',
  '/\r\nSet-Cookie: rr_session=stolen',
  '/\u0000/evil.example',
  '/a/..//evil.example',
  '/%2e%2e//evil.example',
  '/./%2e/..//evil.example',
  'https://evil.example/requests',
  'http:evil.example',
  '//evil.example@localhost:3000/',
  'javascript:alert(document.cookie)',
  '\t/requests',
  ' /requests',
];

/** What a browser on the sign-in page does with a Location header. */
function assertLandsOnThisSite(response: LightMyRequestResponse, context: string): string {
  assert.equal(response.statusCode, 303, `${context}: ${response.body}`);
  const location = response.headers.location;
  assert.equal(typeof location, 'string', context);
  const landing = new URL(String(location), `${origin}/sign-in`);
  assert.equal(landing.origin, origin, `${context}: Location ${JSON.stringify(location)} leaves the site`);
  assert.equal(String(location), `${landing.pathname}${landing.search}`, `${context}: path and query only`);
  assert.doesNotMatch(String(response.headers['set-cookie'] ?? ''), /stolen/, `${context}: no header added`);
  return String(location);
}

/** The hidden `next` field of the sign-in page, as the browser will post it. */
function nextField(body: string): string {
  const escaped = /name="next" value="([^"]*)"/.exec(body)?.[1];
  assert.notEqual(escaped, undefined, 'the sign-in form carries next');
  return (escaped ?? '').replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** Opens `/sign-in?next=…`, then posts the form as it came, then as the attacker wrote it. */
async function signInWith(next: string): Promise<{ fromPage: string; asWritten: string; field: string }> {
  const browser = formBrowser(room.app);
  const form = await browser.get(`/sign-in?next=${encodeURIComponent(next)}`);
  assert.equal(form.statusCode, 200, form.body);
  const field = nextField(form.body);
  const fromPage = assertLandsOnThisSite(await browser.post('/sign-in', { email: reader.email, password: reader.password, next: field }), `${JSON.stringify(next)} from the page`);
  const again = formBrowser(room.app);
  await again.get('/sign-in');
  const asWritten = assertLandsOnThisSite(await again.post('/sign-in', { email: reader.email, password: reader.password, next }), `${JSON.stringify(next)} as written`);
  return { fromPage, asWritten, field };
}

describe('next after signing in', () => {
  for (const next of HOSTILE) {
    it(`${JSON.stringify(next)} is ignored: the researcher lands on their home page`, async () => {
      const { fromPage, asWritten, field } = await signInWith(next);
      assert.equal(field, '', 'the page does not carry it on');
      assert.equal(fromPage, '/requests');
      assert.equal(asWritten, '/requests');
    });
  }

  for (const next of ['/collections/1?date=2026-11-30', '/requests/12', '/requests?cancelled=3']) {
    it(`${next}, a page of this site, is where the researcher lands`, async () => {
      const { fromPage, asWritten } = await signInWith(next);
      assert.equal(fromPage, next);
      assert.equal(asWritten, next);
    });
  }
});

describe('back after a desk form', () => {
  it('a hostile back never leaves the site', async () => {
    const staff = await makeAccount(room.db, 'staff');
    const browser = await signedInBrowser(room.app, staff.email, staff.password);
    await browser.get('/desk');
    for (const back of HOSTILE) {
      const answer = await browser.post(`/desk/researchers/${reader.user.id}/identity-check`, { documentType: 'passport', back });
      const landing = assertLandsOnThisSite(answer, `back ${JSON.stringify(back)}`);
      assert.match(landing, /^\/desk\?/, `back ${JSON.stringify(back)}`);
    }
  });
});

describe('a NUL character in a field of the sign-in form other than next', () => {
  it('is a 400 page that says so, on PostgreSQL too, which could not even look for it; no one is signed in', async () => {
    const browser = formBrowser(room.app);
    await browser.get('/sign-in');
    const form = await browser.post('/sign-in', { email: `${reader.email}\u0000`, password: reader.password });
    assert.equal(form.statusCode, 400, form.body);
    assert.match(form.body, /holds a NUL character/);
    assert.equal(browser.cookies.has('rr_session'), false, 'not signed in');
  });
});
