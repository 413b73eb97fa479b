import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { ok } from '../helpers/answers.ts';
import { makePerson, type Person } from '../helpers/people.ts';
import { signedInBrowser, type FormBrowser } from '../helpers/form-browser.ts';
import { startReadingRoom, type TestReadingRoom } from '../helpers/reading-room.ts';

// The curator's pages, on Thanksgiving morning 2026 (the earliest visit date is Tuesday 1 December),
// used as a browser uses them: signed in through the sign-in page, forms posted with their CSRF token.

const VISIT = '2026-12-01';
const VISIT_READ = 'Tuesday 1 December 2026';
const RESTRICTION = 'Restricted fragile material. Reference surrogates have been substituted in the main files.';

/** Signs a person in through the sign-in page. */
const signedIn = (room: TestReadingRoom, person: Person) => signedInBrowser(room.app, person.email, person.password);

describe('the curator pages', { timeout: 60_000 }, () => {
  let room: TestReadingRoom;
  let curator: Person;
  let admin: Person;
  let staff: Person;
  let ada: Person;
  let ben: Person;
  let desk: FormBrowser;
  const box: Record<string, number> = {};

  const submit = async (who: Person, labels: string[]) =>
    (ok(await who.call('POST', '/api/v1/requests', { visitDate: VISIT, containerIds: labels.map((l) => box[l]) }), 201).items as { id: number }[]).map(
      (r) => r.id,
    ) as [number, ...number[]];
  const statusOf = async (id: number) => ok(await staff.call('GET', `/api/v1/requests/${id}`)).status as string;
  const followed = async (b: FormBrowser, response: LightMyRequestResponse) => {
    assert.equal(response.statusCode, 303, response.body);
    assert.match(String(response.headers.location), /^\/review\?/);
    return b.get(String(response.headers.location));
  };

  before(async () => {
    room = await startReadingRoom();
    curator = await makePerson(room, 'curator', 'Clara Curator');
    admin = await makePerson(room, 'admin', 'Ada Admin');
    staff = await makePerson(room, 'staff', 'Sam Staff');
    ada = await makePerson(room, 'researcher', 'Ada Reader');
    ben = await makePerson(room, 'researcher', 'Ben Reader');
    ok(await ada.call('PATCH', '/api/v1/me', { affiliation: 'Université de Montréal', researchTopic: 'Serge in Mexico, 1941–1947 <script>alert(1)</script>' }));
    const [collection] = ok(await room.app.inject({ method: 'GET', url: '/api/v1/collections?callNumber=GEN%20MSS%20238' })).items;
    for (const c of ok(await room.app.inject({ method: 'GET', url: `/api/v1/collections/${collection.id}` })).containers) box[c.label] = c.id;
    desk = await signedIn(room, curator);
  });

  after(async () => {
    await room?.close();
  });

  it('lists the restricted requests awaiting approval, oldest first, with the restriction note and the researcher’s topic', async () => {
    const [box23, box1] = await submit(ada, ['Box 23', 'Box 1']);
    const [box24] = await submit(ada, ['Box 24']);
    const page = await desk.get('/review');
    assert.equal(page.statusCode, 200);
    assert.match(String(page.headers['content-type']), /text\/html/);
    assert.match(page.body, /<html lang="en">/);
    assert.ok(page.body.includes(`id="request-${box23}"`), 'Box 23 is in the queue');
    assert.ok(!page.body.includes(`id="request-${box1}"`), 'Box 1 is not restricted, so not reviewed');
    assert.ok(page.body.indexOf(`id="request-${box23}"`) < page.body.indexOf(`id="request-${box24}"`), 'oldest first');
    assert.ok(page.body.includes(RESTRICTION));
    assert.ok(page.body.includes(VISIT_READ));
    assert.ok(page.body.includes('GEN MSS 238'));
    assert.ok(page.body.includes('Ada Reader'));
    assert.ok(page.body.includes('Université de Montréal'));
    assert.ok(page.body.includes('Serge in Mexico, 1941–1947 &lt;script&gt;'), 'the topic, escaped');
    assert.ok(!page.body.includes('<script>alert'));
    // Every control has a label; both decisions are in the request's form.
    assert.match(page.body, new RegExp(`<label for="note-${box23}">`));
    assert.ok(page.body.includes(`action="/review/requests/${box23}/approve"`));
    assert.ok(page.body.includes(`formaction="/review/requests/${box23}/deny"`));
  });

  it('approves with a note: scheduled, said in a notice, and gone from the queue', async () => {
    const [id] = await submit(ben, ['Box 25']);
    await desk.get('/review');
    const answer = await desk.post(`/review/requests/${id}/approve`, { note: 'Please use pencil only.' });
    const page = await followed(desk, answer);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /class="notice" role="status">Approved: Box 25 of GEN MSS 238 is scheduled for Tuesday 1 December 2026/);
    assert.ok(!page.body.includes(`id="request-${id}"`));
    assert.equal(await statusOf(id), 'scheduled');
    const request = ok(await ben.call('GET', `/api/v1/requests/${id}`));
    assert.equal(request.decisionNote, 'Please use pencil only.');
  });

  it('approves a box another researcher holds that day onto the waiting list, and says so', async () => {
    const [id] = await submit(ada, ['Box 25']);
    await desk.get('/review');
    const page = await followed(desk, await desk.post(`/review/requests/${id}/approve`, { note: '' }));
    assert.match(page.body, /Approved, but Box 25 of GEN MSS 238 is already held by another researcher on Tuesday 1 December 2026: the request is on the waiting list/);
    assert.equal(await statusOf(id), 'waitlisted');
  });

  it('refuses to deny without a reason: the queue again, with the problem, 400, and nothing changed', async () => {
    const [id] = await submit(ben, ['Box 26']);
    await desk.get('/review');
    for (const fields of [{}, { reason: '   ' }, { note: '' }] as Record<string, string>[]) {
      const page = await desk.post(`/review/requests/${id}/deny`, fields);
      assert.equal(page.statusCode, 400);
      assert.match(String(page.headers['content-type']), /text\/html/);
      assert.match(page.body, /role="alert">Give the reason for denying Box 26 of GEN MSS 238/);
      assert.match(page.body, new RegExp(`id="note-${id}"[^>]*aria-invalid="true"`));
      assert.equal(await statusOf(id), 'awaiting_approval');
    }
  });

  it('denies with a reason, which the researcher reads', async () => {
    const [id] = await submit(ben, ['Box 27']);
    await desk.get('/review');
    const page = await followed(desk, await desk.post(`/review/requests/${id}/deny`, { reason: 'The box is being conserved this month.' }));
    assert.match(page.body, /Denied: Box 27 of GEN MSS 238 for Tuesday 1 December 2026/);
    assert.ok(!page.body.includes(`id="request-${id}"`));
    const request = ok(await ben.call('GET', `/api/v1/requests/${id}`));
    assert.equal(request.status, 'denied');
    assert.equal(request.decisionNote, 'The box is being conserved this month.');
  });

  it('denies from the queue’s own form, whose one text field is the note', async () => {
    const [id] = await submit(ada, ['Box 26']);
    await desk.get('/review');
    await followed(desk, await desk.post(`/review/requests/${id}/deny`, { note: 'Already requested by you for this day.' }));
    assert.equal(await statusOf(id), 'denied');
  });

  it('shows a decision already taken as a problem on the queue, without changing anything', async () => {
    const [id] = await submit(ada, ['Broadside']);
    await desk.get('/review');
    await followed(desk, await desk.post(`/review/requests/${id}/deny`, { reason: 'Too fragile to handle.' }));
    const again = await desk.post(`/review/requests/${id}/approve`, {});
    assert.equal(again.statusCode, 409);
    assert.match(again.body, /role="alert">A request that is denied cannot become scheduled/);
    assert.equal(await statusOf(id), 'denied');
    const missing = await desk.post('/review/requests/999999/approve', {});
    assert.equal(missing.statusCode, 404);
    assert.match(missing.body, /There is no request 999999/);
  });

  it('is open to admins too', async () => {
    const b = await signedIn(room, admin);
    const page = await b.get('/review');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Restricted material to review/);
  });

  it('is closed to staff and researchers (403 page), and sends a visitor without a session to sign in', async () => {
    const [id] = await submit(ben, ['Box 23']);
    for (const person of [staff, ada]) {
      const b = await signedIn(room, person);
      const page = await b.get('/review');
      assert.equal(page.statusCode, 403, person.role);
      assert.match(page.body, /This page is not open to your role/);
      const post = await b.post(`/review/requests/${id}/approve`, { note: 'sneaky' });
      assert.equal(post.statusCode, 403, person.role);
    }
    assert.equal(await statusOf(id), 'awaiting_approval');

    const visitor = await room.app.inject({ method: 'GET', url: '/review' });
    assert.equal(visitor.statusCode, 303);
    assert.equal(visitor.headers.location, '/sign-in?next=%2Freview');
    const bearer = await curator.call('GET', '/review');
    assert.equal(bearer.statusCode, 303, 'a bare API token does not open a page');
  });

  it('refuses a decision posted without the CSRF token: 403 CSRF_INVALID, nothing changed', async () => {
    const [id] = await submit(ben, ['Box 24']);
    await desk.get('/review');
    const forged = await desk.post(`/review/requests/${id}/approve`, { note: 'forged' }, { csrf: false });
    assert.equal(forged.statusCode, 403);
    assert.equal(forged.json().code, 'CSRF_INVALID');
    const wrong = await desk.post(`/review/requests/${id}/deny`, { reason: 'forged', _csrf: 'not-a-token' }, { csrf: false });
    assert.equal(wrong.statusCode, 403);
    assert.equal(wrong.json().code, 'CSRF_INVALID');
    assert.equal(await statusOf(id), 'awaiting_approval');
  });
});
