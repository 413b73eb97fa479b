import assert from 'node:assert/strict';
import { inflateSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { ok } from '../helpers/answers.ts';
import { makePerson, type Person } from '../helpers/people.ts';
import { formBrowser, signedInBrowser, type FormBrowser } from '../helpers/form-browser.ts';
import { startReadingRoom, type TestReadingRoom } from '../helpers/reading-room.ts';

// The paging staff's pages, on Thanksgiving morning 2026 (the earliest visit date is Tuesday
// 1 December), used as a browser uses them: signed in through the sign-in page, each form posted
// with the CSRF token of the page it is on, the session and CSRF cookies kept between requests.

const VISIT = '2026-12-01';
const VISIT_READ = 'Tuesday 1 December 2026';

/** Signs a person in through the sign-in page, as a browser does. */
const signedIn = (room: TestReadingRoom, person: Person) => signedInBrowser(room.app, person.email, person.password);

/** The boxes of a part of the sheet ("to-fetch", "out", "unclaimed"), in the order shown. */
function boxesIn(body: string, part: string): string[] {
  const table = new RegExp(`<table[^>]*aria-labelledby="${part}"[^>]*>([\\s\\S]*?)</table>`).exec(body)?.[1] ?? '';
  return [...table.matchAll(/data-label="Box"><a href="\/desk\/requests\/\d+">([^<]+)<\/a>/g)].map((m) => m[1] as string);
}

/** The form of one request's row: its action, hidden fields and the moves its buttons offer. */
function rowForm(body: string, requestId: number) {
  const form = new RegExp(`<form[^>]*action="/paging/requests/${requestId}/transition"[^>]*>([\\s\\S]*?)</form>`).exec(body)?.[1];
  if (form === undefined) return undefined;
  const fields = Object.fromEntries([...form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1], m[2]]));
  const moves = [...form.matchAll(/<button type="submit" name="to" value="([^"]+)"/g)].map((m) => m[1] as string);
  return { fields: fields as Record<string, string>, moves };
}

/** Text drawn in a PDF made by pdfkit: every content stream inflated, hex strings decoded. */
function pdfText(pdf: Buffer): string {
  const text: string[] = [];
  const raw = pdf.toString('latin1');
  for (const match of raw.matchAll(/stream\r?\n/g)) {
    const start = (match.index ?? 0) + match[0].length;
    const end = raw.indexOf('endstream', start);
    try {
      text.push(inflateSync(pdf.subarray(start, end)).toString('latin1'));
    } catch {
      // Not a deflated stream (fonts, images): nothing to read.
    }
  }
  return text.join('\n');
}

describe('the paging staff pages', { timeout: 120_000 }, () => {
  let room: TestReadingRoom;
  let staff: Person;
  let admin: Person;
  let curator: Person;
  let reader: Person;
  let other: Person;
  let desk: FormBrowser;
  const box: Record<string, number> = {};
  const request: Record<string, number> = {};

  const statusOf = async (id: number) => ok(await staff.call('GET', `/api/v1/requests/${id}`)).status as string;

  /** Posts a row's move through the form on the page, as clicking its button does. */
  async function move(page: LightMyRequestResponse, requestId: number, to: string) {
    const form = rowForm(page.body, requestId);
    assert.ok(form, `a form for request ${requestId}`);
    assert.ok(form.moves.includes(to), `request ${requestId} offers ${to} (offers ${form.moves.join(', ')})`);
    return desk.post(`/paging/requests/${requestId}/transition`, { ...form.fields, to });
  }

  before(async () => {
    room = await startReadingRoom();
    staff = await makePerson(room, 'staff', 'Sam Stacks');
    admin = await makePerson(room, 'admin', 'Ada Admin');
    curator = await makePerson(room, 'curator', 'Clara Curator');
    reader = await makePerson(room, 'researcher', 'Rosa Reader');
    other = await makePerson(room, 'researcher', 'Otto <b>Other</b>');
    const collection = ok(await reader.call('GET', `/api/v1/collections?callNumber=${encodeURIComponent('GEN MSS 238')}`)).items[0];
    for (const c of ok(await reader.call('GET', `/api/v1/collections/${collection.id}`)).containers) box[c.label] = c.id;
    // Asked in a scrambled order; Box 9 and Box 10 share a shelf, Box 12 is on Range 9, Box 13 on Range 10.
    const labels = ['Box 13', 'Box 10', 'Box 2', 'Box 12', 'Box 9'];
    const made = ok(await reader.call('POST', '/api/v1/requests', { visitDate: VISIT, containerIds: labels.map((l) => box[l]) }), 201).items as { id: number }[];
    labels.forEach((label, i) => (request[label] = made[i]!.id));
    const theirs = ok(await other.call('POST', '/api/v1/requests', { visitDate: VISIT, containerIds: [box['Box 1']] }), 201).items as { id: number }[];
    request['Box 1'] = theirs[0]!.id;
    desk = await signedIn(room, staff);
  });
  after(() => room.close());

  it('shows the day’s pick list in walking order: Box 2 before Box 10, Range 9 before Range 10', async () => {
    const sheet = await desk.get(`/paging?date=${VISIT}`);
    assert.equal(sheet.statusCode, 200, sheet.body);
    assert.match(sheet.body, /<html lang="en">/);
    assert.match(sheet.body, new RegExp(`Paging: ${VISIT_READ}`));
    assert.deepEqual(boxesIn(sheet.body, 'to-fetch'), ['Box 1', 'Box 2', 'Box 9', 'Box 10', 'Box 12', 'Box 13']);
    assert.match(sheet.body, /Stack 4, Range 9, Shelf 1/);
    assert.match(sheet.body, /<th scope="col">Location<\/th>/);
    assert.match(sheet.body, /data-label="Researcher">Rosa Reader<br>/);
    assert.match(sheet.body, /Photo ID not checked/);
    assert.match(sheet.body, /To fetch from the stacks/);
    assert.match(sheet.body, /Otto &lt;b&gt;Other&lt;\/b&gt;/, 'names are shown as text');
    assert.doesNotMatch(sheet.body, /<b>Other<\/b>/);
    // A scheduled box may be paged, or marked a no-show; nothing else.
    assert.deepEqual(rowForm(sheet.body, request['Box 2']!)?.moves, ['paged', 'no_show']);
    assert.match(sheet.body, /type="date" value="2026-12-01"/);
  });

  it('shows today’s sheet without a date, in the reading room’s time zone', async () => {
    // 23:30 in New York on Tuesday 1 December is already Wednesday in UTC.
    room.setNow(new Date('2026-12-02T04:30:00Z'));
    try {
      const sheet = await desk.get('/paging');
      assert.equal(sheet.statusCode, 200);
      assert.match(sheet.body, new RegExp(`Paging: ${VISIT_READ}`));
      assert.equal(boxesIn(sheet.body, 'to-fetch').length, 6);
    } finally {
      room.setNow(new Date('2026-11-26T15:00:00Z'));
    }
  });

  it('pages a box through its row’s form, and says so', async () => {
    const sheet = await desk.get(`/paging?date=${VISIT}`);
    const answer = await move(sheet, request['Box 2']!, 'paged');
    assert.equal(answer.statusCode, 303, answer.body);
    assert.equal(answer.headers.location, `/paging?date=${VISIT}&moved=${request['Box 2']}`);
    assert.equal(await statusOf(request['Box 2']!), 'paged');
    const after = await desk.follow(answer);
    assert.match(after.body, /role="status">Box 2, GEN MSS 238, for Rosa Reader: now “Paged: at the desk”/);
    assert.deepEqual(rowForm(after.body, request['Box 2']!)?.moves, ['delivered', 'no_show']);
  });

  it('refuses to deliver to a researcher whose photo ID is unchecked: 409, the way to the desk, and nothing changed', async () => {
    const sheet = await desk.get(`/paging?date=${VISIT}`);
    const refused = await move(sheet, request['Box 2']!, 'delivered');
    assert.equal(refused.statusCode, 409);
    assert.match(String(refused.headers['content-type']), /text\/html/);
    assert.match(refused.body, /role="alert">Rosa Reader’s photo ID has not been checked: check the photo ID at the desk first\. \(409 IDENTITY_NOT_VERIFIED\)/);
    assert.match(refused.body, new RegExp(`href="/desk\\?q=${encodeURIComponent(reader.email).replace(/[.]/g, '\\.')}#researcher-${reader.id}"`));
    assert.equal(await statusOf(request['Box 2']!), 'paged');
    // The sheet is shown again around the refusal, its forms still usable.
    assert.deepEqual(boxesIn(refused.body, 'to-fetch'), ['Box 1', 'Box 2', 'Box 9', 'Box 10', 'Box 12', 'Box 13']);
  });

  it('refuses a move the status machine does not allow, on the page', async () => {
    const sheet = await desk.get(`/paging?date=${VISIT}`);
    const form = rowForm(sheet.body, request['Box 13']!);
    assert.ok(form);
    const refused = await desk.post(`/paging/requests/${request['Box 13']}/transition`, { ...form.fields, to: 'returned' });
    assert.equal(refused.statusCode, 409);
    assert.match(refused.body, /INVALID_TRANSITION/);
    assert.equal(await statusOf(request['Box 13']!), 'scheduled');
  });

  it('records the photo-ID check at the desk, after which the box is delivered', async () => {
    const found = await desk.get(`/desk?q=${encodeURIComponent('rosa')}`);
    assert.equal(found.statusCode, 200, found.body);
    assert.match(found.body, /<h3 id="researcher-\d+-name">Rosa Reader<\/h3>/);
    assert.match(found.body, /Photo ID not checked yet/);
    assert.match(found.body, /<label for="document-\d+">Document seen<\/label>/);
    assert.match(found.body, /<option value="driving_licence">Driving licence<\/option>/);
    assert.doesNotMatch(found.body, /Otto/, 'only researchers matching the search');

    const back = `/desk?q=rosa`;
    const checked = await desk.post(`/desk/researchers/${reader.id}/identity-check`, { documentType: 'passport', note: 'Italian passport', back });
    assert.equal(checked.statusCode, 303, checked.body);
    assert.equal(checked.headers.location, `/desk?q=rosa&checked=${reader.id}`);
    const atDesk = await desk.follow(checked);
    assert.match(atDesk.body, /role="status">Rosa Reader’s photo ID is recorded as checked\./);
    assert.match(atDesk.body, /Photo ID checked \(Passport\), Thursday 26 November 2026 at 10:00\./);
    assert.equal(ok(await staff.call('GET', `/api/v1/users?q=rosa`)).items[0].identityVerified, true);

    // Not today (the visit is on Tuesday): no requests for today at the desk yet.
    assert.match(atDesk.body, /No request for today\./);
    room.setNow(new Date('2026-12-01T15:00:00Z'));
    try {
      const onTheDay = await desk.get('/desk?q=rosa');
      assert.match(onTheDay.body, /Requests for today/);
      assert.deepEqual(rowForm(onTheDay.body, request['Box 2']!)?.moves, ['delivered', 'no_show']);
      const delivered = await move(onTheDay, request['Box 2']!, 'delivered');
      assert.equal(delivered.statusCode, 303, delivered.body);
      assert.equal(delivered.headers.location, `/desk?q=rosa&moved=${request['Box 2']}`);
      assert.equal(await statusOf(request['Box 2']!), 'delivered');
      const after = await desk.follow(delivered);
      assert.match(after.body, /now “Delivered: with the researcher”/);
      assert.deepEqual(rowForm(after.body, request['Box 2']!)?.moves, ['returned']);

      const expected = await desk.get('/desk');
      assert.match(expected.body, /Expected today/);
      assert.match(expected.body, /Rosa Reader<\/a> · <span class="id-checked">/);
      assert.match(expected.body, /Otto &lt;b&gt;Other&lt;\/b&gt;<\/a> · <span class="id-missing">/);
    } finally {
      room.setNow(new Date('2026-11-26T15:00:00Z'));
    }
  });

  it('takes the box back and reshelves it from the sheet', async () => {
    let sheet = await desk.get(`/paging?date=${VISIT}`);
    assert.deepEqual(boxesIn(sheet.body, 'out'), ['Box 2']);
    assert.deepEqual(boxesIn(sheet.body, 'to-fetch'), ['Box 1', 'Box 9', 'Box 10', 'Box 12', 'Box 13']);
    sheet = await desk.follow(await move(sheet, request['Box 2']!, 'returned'));
    assert.equal(await statusOf(request['Box 2']!), 'returned');
    assert.match(sheet.body, /Returned: back at the desk/);
    assert.deepEqual(rowForm(sheet.body, request['Box 2']!)?.moves, ['reshelved']);
    sheet = await desk.follow(await move(sheet, request['Box 2']!, 'reshelved'));
    assert.equal(await statusOf(request['Box 2']!), 'reshelved');
    assert.deepEqual(boxesIn(sheet.body, 'out'), []);
    assert.match(sheet.body, /No box is out\./);
  });

  it('sends a paged box whose researcher did not come back to the shelf; an unpaged no-show never left it', async () => {
    let sheet = await desk.get(`/paging?date=${VISIT}`);
    sheet = await desk.follow(await move(sheet, request['Box 9']!, 'paged'));
    sheet = await desk.follow(await move(sheet, request['Box 9']!, 'no_show'));
    sheet = await desk.follow(await move(sheet, request['Box 10']!, 'no_show'));
    assert.deepEqual(boxesIn(sheet.body, 'unclaimed'), ['Box 9']);
    assert.deepEqual(rowForm(sheet.body, request['Box 9']!)?.moves, ['reshelved']);
    sheet = await desk.follow(await move(sheet, request['Box 9']!, 'reshelved'));
    assert.equal(await statusOf(request['Box 9']!), 'reshelved');
    assert.equal(await statusOf(request['Box 10']!), 'no_show');
    assert.deepEqual(boxesIn(sheet.body, 'unclaimed'), []);
  });

  it('opens the request a scanned slip points to, with its researcher, status and moves', async () => {
    const page = await desk.get(`/desk/requests/${request['Box 12']}`);
    assert.equal(page.statusCode, 200, page.body);
    assert.match(page.body, new RegExp(`Request ${request['Box 12']}: Box 12, GEN MSS 238`));
    assert.match(page.body, /Rosa Reader/);
    assert.match(page.body, /To fetch from the stacks/);
    assert.match(page.body, /Stack 4, Range 9, Shelf 6/);
    assert.match(page.body, new RegExp(`This request is for ${VISIT_READ}, not today\\.`));
    assert.deepEqual(rowForm(page.body, request['Box 12']!)?.moves, ['paged', 'no_show']);
    const paged = await move(page, request['Box 12']!, 'paged');
    assert.equal(paged.headers.location, `/desk/requests/${request['Box 12']}?moved=${request['Box 12']}`);
    const after = await desk.follow(paged);
    assert.match(after.body, /<strong>Paged: at the desk<\/strong>/);
    assert.match(after.body, /To fetch from the stacks → <strong>Paged: at the desk<\/strong>/);

    // Another researcher's unchecked ID: the refusal is shown here, with the check form beside it.
    const theirs = await desk.get(`/desk/requests/${request['Box 1']}`);
    assert.match(theirs.body, /Record the photo-ID check of Otto &lt;b&gt;Other&lt;\/b&gt;/);
    const pagedTheirs = await desk.follow(await move(theirs, request['Box 1']!, 'paged'));
    const refused = await move(pagedTheirs, request['Box 1']!, 'delivered');
    assert.equal(refused.statusCode, 409);
    assert.match(refused.body, /IDENTITY_NOT_VERIFIED/);
    assert.match(refused.body, new RegExp(`Request ${request['Box 1']}: Box 1`));

    const missing = await desk.get('/desk/requests/999999');
    assert.equal(missing.statusCode, 404);
    assert.match(missing.body, /There is no request 999999/);
  });

  it('prints the pick list on a plain page: walking order, no forms, no navigation', async () => {
    const paper = await desk.get(`/paging/print?date=${VISIT}`);
    assert.equal(paper.statusCode, 200, paper.body);
    assert.match(paper.body, new RegExp(`Pick list for ${VISIT_READ}`));
    assert.doesNotMatch(paper.body, /<form/);
    assert.doesNotMatch(paper.body, /<nav/);
    const order = [...paper.body.matchAll(/data-label="Box"><strong>([^<]+)<\/strong>/g)].map((m) => m[1]);
    assert.deepEqual(order, ['Box 1', 'Box 12', 'Box 13']);
    assert.match(paper.body, /<th scope="col">Location<\/th>/);
  });

  it('makes one call slip per box as a PDF, each coded with the desk’s address of its request', async () => {
    const pdf = await desk.get(`/paging/call-slips.pdf?date=${VISIT}`);
    assert.equal(pdf.statusCode, 200);
    assert.equal(pdf.headers['content-type'], 'application/pdf');
    const bytes = pdf.rawPayload;
    assert.equal(bytes.subarray(0, 5).toString('latin1'), '%PDF-');
    const raw = bytes.toString('latin1');
    const onList = [request['Box 1'], request['Box 12'], request['Box 13']];
    const coded = [...raw.matchAll(/\/URI \(([^)]*)\)/g)].map((m) => m[1]);
    assert.deepEqual(coded, onList.map((id) => `${room.config.publicUrl}/desk/requests/${id}`), 'one slip per box, in walking order');
    assert.equal([...raw.matchAll(/\/Type \/Page\b/g)].length, 1, 'three slips to a sheet');
    const text = pdfText(bytes);
    assert.match(text, /Tf/, 'text is drawn');

    const a4 = await desk.get(`/paging/call-slips.pdf?date=${VISIT}&paper=a4`);
    assert.match(a4.rawPayload.toString('latin1'), /\/MediaBox \[0 0 595\.28 841\.89\]/);
    const empty = await desk.get('/paging/call-slips.pdf?date=2026-12-02');
    assert.equal(empty.statusCode, 200);
    assert.equal([...empty.rawPayload.toString('latin1').matchAll(/\/URI/g)].length, 0);
  });

  it('is open to admins too', async () => {
    const b = await signedIn(room, admin);
    for (const url of [`/paging?date=${VISIT}`, '/desk', `/paging/print?date=${VISIT}`, `/desk/requests/${request['Box 13']}`]) {
      assert.equal((await b.get(url)).statusCode, 200, url);
    }
  });

  it('is closed to researchers and curators (403), and sends a stranger to sign in', async () => {
    const urls = [`/paging?date=${VISIT}`, `/paging/print?date=${VISIT}`, `/paging/call-slips.pdf?date=${VISIT}`, '/desk', '/desk?q=rosa', `/desk/requests/${request['Box 13']}`];
    for (const person of [reader, curator]) {
      const b = await signedIn(room, person);
      for (const url of urls) {
        const answer = await b.get(url);
        assert.equal(answer.statusCode, 403, `${person.role} ${url}`);
        assert.match(answer.body, /not open to your role/);
      }
      await b.get('/');
      const post = await b.post(`/paging/requests/${request['Box 13']}/transition`, { to: 'paged', date: VISIT });
      assert.equal(post.statusCode, 403, `${person.role} posting a move`);
      const check = await b.post(`/desk/researchers/${other.id}/identity-check`, { documentType: 'passport' });
      assert.equal(check.statusCode, 403, `${person.role} recording an ID check`);
    }
    assert.equal(await statusOf(request['Box 13']!), 'scheduled');
    const stranger = formBrowser(room.app);
    const answer = await stranger.get('/desk');
    assert.equal(answer.statusCode, 303);
    assert.equal(answer.headers.location, '/sign-in?next=%2Fdesk');
    // A bearer token is no session: the pages are not an API.
    const withToken = await room.app.inject({ method: 'GET', url: '/paging', headers: { authorization: `Bearer ${staff.token}` } });
    assert.equal(withToken.statusCode, 303);
  });

  it('refuses a form post without its CSRF token with 403 CSRF_INVALID, and changes nothing', async () => {
    await desk.get(`/paging?date=${VISIT}`);
    const move = await desk.post(`/paging/requests/${request['Box 13']}/transition`, { to: 'paged', date: VISIT }, { csrf: false });
    assert.equal(move.statusCode, 403);
    assert.equal(move.json().code, 'CSRF_INVALID');
    assert.equal(await statusOf(request['Box 13']!), 'scheduled');

    const check = await desk.post(`/desk/researchers/${other.id}/identity-check`, { documentType: 'passport' }, { csrf: false });
    assert.equal(check.statusCode, 403);
    assert.equal(check.json().code, 'CSRF_INVALID');
    assert.equal(ok(await staff.call('GET', `/api/v1/users?q=otto`)).items[0].identityVerified, false);
  });
});
