import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ok } from '../helpers/answers.ts';
import { formBrowser, signedInBrowser, type FormBrowser } from '../helpers/form-browser.ts';
import { makePerson, type Person } from '../helpers/people.ts';
import { startReadingRoom, type TestReadingRoom } from '../helpers/reading-room.ts';
import { DomainDigest } from '../fuzz/invariants.ts';


// Attacks on the forms and pages of issue 16: notes on requests (the desk's and the curator's note
// forms, the researcher's request page), the desk's requests on a researcher's behalf, and the
// desk's class sessions (booking and cancelling). The role matrix itself is
// test/accounts/authorization-matrix.test.ts; here, what someone tries with a session of their
// own: forms of another role, forged fields, another researcher's request, a cross-site post, and
// markup in a note. Each refusal changes nothing.

const MONDAY = '2026-11-30';
const STAFF_ONLY = 'Staff only: the reader was rude on the telephone.';
const FOR_ALICE = 'Your box will be at the desk from 10:00.';

let room: TestReadingRoom;
let digest: DomainDigest;
let staff: Person;
let curator: Person;
let alice: Person;
let bob: Person;
let browsers: { staff: FormBrowser; curator: FormBrowser; alice: FormBrowser; bob: FormBrowser };
/** Alice's requests: Box 4 (scheduled) and Box 24 (restricted, awaiting a curator). */
let scheduled: number;
let restricted: number;
/** A class session booked by staff, for the desk's cancel form. */
let classSession: number;

before(async () => {
  room = await startReadingRoom();
  digest = await DomainDigest.of(room.db);
  staff = await makePerson(room, 'staff', 'Sam Stacks');
  curator = await makePerson(room, 'curator', 'Clara Curator');
  alice = await makePerson(room, 'researcher', 'Alice Reader');
  bob = await makePerson(room, 'researcher', 'Bob Reader');
  [scheduled, restricted] = (ok(await alice.call('POST', '/api/v1/requests', { visitDate: MONDAY, containerIds: [4, 24] }), 201).items as { id: number }[]).map((r) => r.id) as [number, number];
  for (const id of [scheduled, restricted]) {
    ok(await staff.call('POST', `/api/v1/requests/${id}/notes`, { text: STAFF_ONLY, visibility: 'staff' }), 201);
    ok(await staff.call('POST', `/api/v1/requests/${id}/notes`, { text: FOR_ALICE, visibility: 'researcher' }), 201);
  }
  classSession = ok(
    await staff.call('POST', '/api/v1/class-sessions', { ...classForm(), readingRoomId: 1, headcount: 10, containerIds: [12] }),
    201,
  ).id;
  const signIn = (person: Person) => signedInBrowser(room.app, person.email, person.password);
  browsers = { staff: await signIn(staff), curator: await signIn(curator), alice: await signIn(alice), bob: await signIn(bob) };
  // Each browser holds the CSRF token of a page of its own, as a signed-in attacker would.
  for (const browser of Object.values(browsers)) await browser.get('/collections');
});
after(() => room.close());


const noteForms = () => [`/desk/requests/${scheduled}/notes`, `/review/requests/${restricted}/notes`];
const onBehalfForm = (researcherId: number, extra: Record<string, string> = {}) => ({ researcherId: String(researcherId), collectionId: '1', visitDate: MONDAY, containerIds: '5', ...extra });
/** The desk's class booking form (the first class date is Thursday 3 December). */
const classForm = (extra: Record<string, string> = {}) => ({
  readingRoomId: '1',
  date: '2026-12-03',
  startTime: '10:00',
  endTime: '11:00',
  title: 'A forged seminar',
  instructorName: 'An Instructor',
  instructorEmail: 'instructor@example.edu',
  headcount: '10',
  collectionId: '1',
  containerIds: '13',
  ...extra,
});
/** Every form of the class sessions page, with what it posts. */
const classForms = (): [string, Record<string, string>][] => [
  ['/desk/class-sessions', classForm()],
  [`/desk/class-sessions/${classSession}/cancel`, {}],
];

describe('notes: forms of another role, forged fields, cross-site posts', () => {
  it("a researcher posting either note form on their own request gets the page that says no (403), and nothing is written or mailed", async () => {
    for (const url of noteForms()) {
      for (const visibility of ['researcher', 'staff']) {
        const answer = await digest.unchangedBy(() => browsers.alice.post(url, { text: 'I wrote this myself.', visibility }), `${url} by its researcher`);
        assert.equal(answer.statusCode, 403, url);
        assert.match(answer.body, /not open to your role/);
      }
    }
  });

  it("each note form is its page's role's: a curator posting the desk's, staff posting the queue's, get 403", async () => {
    const [deskForm, queueForm] = noteForms() as [string, string];
    for (const [browser, url] of [
      [browsers.curator, deskForm],
      [browsers.staff, queueForm],
    ] as const) {
      const answer = await digest.unchangedBy(() => browser.post(url, { text: 'Across the counter.', visibility: 'staff' }), url);
      assert.equal(answer.statusCode, 403, url);
    }
  });

  it('a visibility that is neither (forged, misspelled, both at once, missing) is 400, and nothing is written or mailed', async () => {
    const forged: Record<string, string | string[]>[] = [
      { text: 'x', visibility: 'public' },
      { text: 'x', visibility: 'Researcher' },
      { text: 'x', visibility: '' },
      { text: 'x', visibility: ['staff', 'researcher'] },
      { text: 'x' },
      { text: 'x'.repeat(4001), visibility: 'staff' },
    ];
    for (const url of noteForms()) {
      const browser = url.startsWith('/desk') ? browsers.staff : browsers.curator;
      for (const fields of forged) {
        const answer = await digest.unchangedBy(() => browser.post(url, fields), `${url} ${JSON.stringify(fields).slice(0, 80)}`);
        assert.equal(answer.statusCode, 400, `${url} ${JSON.stringify(fields).slice(0, 80)}`);
      }
    }
  });

  it('a cross-site post without the CSRF token, or with a token of another session, is 403 CSRF_INVALID, and nothing is written', async () => {
    const stranger = formBrowser(room.app);
    await stranger.get('/sign-in');
    const strangersToken = /name="_csrf" value="([^"]+)"/.exec((await stranger.get('/sign-in')).body)?.[1] ?? '';
    const forms = new Map<string, Record<string, string>>([
      ...noteForms().map((url) => [url, { text: 'Forged across sites.', visibility: 'researcher' }] as const),
      ['/desk/on-behalf', onBehalfForm(alice.id)],
      ...classForms(),
    ]);
    for (const [url, fields] of forms) {
      const browser = url.startsWith('/review') ? browsers.curator : browsers.staff;
      const without = await digest.unchangedBy(() => browser.post(url, fields, { csrf: false }), `${url} without a token`);
      assert.equal(without.statusCode, 403, url);
      assert.equal(without.json().code, 'CSRF_INVALID');
      const another = await digest.unchangedBy(() => browser.post(url, { ...fields, _csrf: strangersToken }, { csrf: false }), `${url} with another session's token`);
      assert.equal(another.statusCode, 403, url);
      assert.equal(another.json().code, 'CSRF_INVALID');
    }
  });

  it('markup in a note is shown as text on the desk, the queue and the researcher’s page', async () => {
    const markup = '<script>alert(document.cookie)</script><img src=x onerror=alert(1)>';
    ok(await staff.call('POST', `/api/v1/requests/${restricted}/notes`, { text: markup, visibility: 'researcher' }), 201);
    for (const [browser, url] of [
      [browsers.staff, `/desk/requests/${restricted}`],
      [browsers.curator, '/review'],
      [browsers.alice, `/requests/${restricted}`],
    ] as const) {
      const page = await browser.get(url);
      assert.equal(page.statusCode, 200, url);
      assert.ok(page.body.includes('&lt;script&gt;alert(document.cookie)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;'), url);
      assert.doesNotMatch(page.body, /<script>|<img src=x/, url);
    }
  });
});

describe("notes: another researcher's request", () => {
  it("Bob gets the same 404 page for Alice's request as for one that does not exist, with none of its notes; its notes in the API are 404 too", async () => {
    for (const id of [scheduled, restricted]) {
      for (const url of [`/requests/${id}`, `/requests/0${id}`, `/requests/${id}?researcherId=${bob.id}`]) {
        const page = await browsers.bob.get(url);
        assert.equal(page.statusCode, 404, url);
        assert.ok(!page.body.includes(STAFF_ONLY) && !page.body.includes(FOR_ALICE), `${url} shows no note`);
      }
      const api = await bob.call('GET', `/api/v1/requests/${id}/notes`);
      assert.equal(api.statusCode, 404);
      assert.ok(!api.body.includes(STAFF_ONLY) && !api.body.includes(FOR_ALICE));
    }
    assert.equal((await browsers.bob.get('/requests/999999')).statusCode, 404);
  });

  it('Alice’s own request page and answers carry the note written for her, never the staff note', async () => {
    for (const id of [scheduled, restricted]) {
      const page = await browsers.alice.get(`/requests/${id}`);
      assert.ok(page.body.includes(FOR_ALICE), 'the note for her is there: the search can find a note');
      assert.ok(!page.body.includes(STAFF_ONLY));
      for (const url of [`/api/v1/requests/${id}`, `/api/v1/requests/${id}/notes`, `/api/v1/requests/${id}/events`]) {
        assert.ok(!(await alice.call('GET', url)).body.includes(STAFF_ONLY), url);
      }
    }
  });
});

describe("requests on a researcher's behalf: the desk's pages and form are staff's", () => {
  it('a researcher submitting the on-behalf form for themselves or another, overriding the lead time or not, gets 403, and nothing is made', async () => {
    for (const [browser, researcherId] of [
      [browsers.alice, alice.id],
      [browsers.alice, bob.id],
      [browsers.bob, alice.id],
    ] as const) {
      const attempts: Record<string, string>[] = [{}, { overrideLeadTime: 'true', visitDate: '2026-11-27' }];
      for (const extra of attempts) {
        const answer = await digest.unchangedBy(() => browser.post('/desk/on-behalf', onBehalfForm(researcherId, extra)), `on behalf of ${researcherId} ${JSON.stringify(extra)}`);
        assert.equal(answer.statusCode, 403);
        assert.match(answer.body, /not open to your role/);
      }
    }
  });

  it("a researcher's own request form takes no one else's name and no override: the submission is theirs, under their rules", async () => {
    const answer = await digest.unchangedBy(
      () => browsers.bob.post('/requests', { collectionId: '1', visitDate: '2026-11-27', containerIds: '6', researcherId: String(alice.id), overrideLeadTime: 'true' }),
      'a researcher naming another on their own form, for a day within the lead time',
    );
    assert.equal(answer.statusCode, 422);
    assert.match(answer.body, /Requests must be made at least two business days ahead/);
  });

  it('a curator may not request on a researcher’s behalf, on the page as in the API', async () => {
    const answer = await digest.unchangedBy(() => browsers.curator.post('/desk/on-behalf', onBehalfForm(alice.id)), 'a curator on behalf');
    assert.equal(answer.statusCode, 403);
  });

  it('the desk’s search and a researcher’s page for them tell a researcher nothing of other researchers', async () => {
    for (const url of [`/desk/on-behalf?q=reader`, `/desk/on-behalf?researcherId=${alice.id}`, `/desk/on-behalf/collections/1?researcherId=${alice.id}`]) {
      const page = await browsers.bob.get(url);
      assert.equal(page.statusCode, 403, url);
      assert.ok(!page.body.includes(alice.email) && !page.body.includes('Alice Reader'), url);
    }
    // The tree's view address is anyone's; with a researcher named it leads to the desk's page, which says no.
    const view = await browsers.bob.post('/collections/1/view', { researcherId: String(alice.id), visitDate: MONDAY });
    assert.equal(view.statusCode, 303);
    const landing = await browsers.bob.follow(view);
    assert.equal(landing.statusCode, 403);
    assert.ok(!landing.body.includes('Alice Reader'));
  });

  it('staff naming someone who is not an active researcher (staff, a curator, nobody) get a 404 page, and nothing is made', async () => {
    for (const researcherId of [staff.id, curator.id, 999_999]) {
      const answer = await digest.unchangedBy(() => browsers.staff.post('/desk/on-behalf', onBehalfForm(researcherId)), `on behalf of ${researcherId}`);
      assert.equal(answer.statusCode, 404, String(researcherId));
    }
  });
});

describe("class sessions: the desk's forms are staff's and curators'", () => {
  it('a researcher posting the booking or the cancel form gets the page that says no (403), and nothing is booked, cancelled or mailed', async () => {
    for (const browser of [browsers.alice, browsers.bob]) {
      assert.equal((await browser.get('/desk/class-sessions')).statusCode, 403);
      for (const [url, fields] of classForms()) {
        const answer = await digest.unchangedBy(() => browser.post(url, fields), `${url} by a researcher`);
        assert.equal(answer.statusCode, 403, url);
        assert.match(answer.body, /not open to your role/);
      }
    }
  });

  it('forged fields (ids that are not ids, a box of no collection, a session id that is not one) are refused, and nothing changes', async () => {
    for (const fields of [
      classForm({ containerIds: '1 OR 1=1' }),
      classForm({ containerIds: '-4' }),
      classForm({ containerIds: '999999' }),
      classForm({ readingRoomId: '1; drop table' }),
      classForm({ headcount: '1e3' }),
      classForm({ date: '2026-02-30' }),
    ]) {
      const answer = await digest.unchangedBy(() => browsers.staff.post('/desk/class-sessions', fields), JSON.stringify(fields));
      assert.ok([400, 404].includes(answer.statusCode), `${JSON.stringify(fields)}: ${answer.statusCode}`);
      assert.match(answer.body, /role="alert"/);
    }
    for (const url of ['/desk/class-sessions/0/cancel', `/desk/class-sessions/${classSession}x/cancel`, '/desk/class-sessions/-1/cancel']) {
      const answer = await digest.unchangedBy(() => browsers.staff.post(url), url);
      assert.equal(answer.statusCode, 400, url);
    }
    // One that is an id of no session: the page that says so.
    assert.equal((await digest.unchangedBy(() => browsers.staff.post('/desk/class-sessions/999999/cancel'), 'no such session')).statusCode, 404);
  });
});
