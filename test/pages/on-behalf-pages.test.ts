import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ok } from '../helpers/answers.ts';
import { lastOutboxId, mailsSince } from '../helpers/outbox-mail.ts';
import { makePerson, type Person } from '../helpers/people.ts';
import { signedInBrowser, type FormBrowser } from '../helpers/form-browser.ts';
import { startReadingRoom, type TestReadingRoom } from '../helpers/reading-room.ts';
import { testFindingAid } from './finding-aid-ead.ts';

// The desk's requests for a researcher who phones or writes, on Thanksgiving morning 2026 (closed):
// Friday the 27th is sooner than the lead time, Monday the 30th is the earliest visit date. Staff
// find the researcher, choose a collection, then boxes or folders and a day, as a browser does.

const FRIDAY = '2026-11-27';
const MONDAY = '2026-11-30';

interface Made {
  id: number;
  researcherId: number;
  containerLabel: string;
  status: string;
  components: { title: string }[];
}

describe("the desk's requests on a researcher's behalf", { timeout: 60_000 }, () => {
  let room: TestReadingRoom;
  let staff: Person;
  let curator: Person;
  let reader: Person;
  let gone: Person;
  let desk: FormBrowser;

  const theirRequests = async () => ok(await reader.call('GET', '/api/v1/requests?limit=200')).items as Made[];
  const firstEvent = async (id: number) => (ok(await staff.call('GET', `/api/v1/requests/${id}/events`)).items as { actorId: number; note: string | null }[])[0];
  /** The checkboxes checked on a page: the boxes (`containerIds`) and the folders (`componentIds`). */
  const checked = (body: string, name: string) => [...body.matchAll(new RegExp(`name="${name}" value="(\\d+)"[^>]* checked`, 'g'))].map((m) => m[1]);
  const selectedDay = (body: string) => /<option value="([\d-]+)" selected>/.exec(body)?.[1];

  before(async () => {
    room = await startReadingRoom();
    staff = await makePerson(room, 'staff', 'Dana Desk');
    curator = await makePerson(room, 'curator', 'Clara Curator');
    const admin = await makePerson(room, 'admin', 'Ada Admin');
    reader = await makePerson(room, 'researcher', 'Phoning Reader');
    gone = await makePerson(room, 'researcher', 'Phoning Gone');
    ok(await admin.call('PATCH', `/api/v1/users/${gone.id}`, { disabled: true }));
    ok(await reader.call('PATCH', '/api/v1/me', { affiliation: 'Université de Montréal' }));
    desk = await signedInBrowser(room.app, staff.email, staff.password);
  });
  after(async () => {
    await room?.close();
  });

  it("finds the researcher with the desk's search; a disabled account is named, with nothing to request for it", async () => {
    const start = await desk.get('/desk/on-behalf');
    assert.equal(start.statusCode, 200, start.body);
    assert.match(start.body, /<a href="\/desk\/on-behalf" aria-current="page">Request for a researcher<\/a>/, 'in the staff’s navigation');
    assert.match(start.body, /<form method="get" action="\/desk\/on-behalf" class="staff-tools staff-search" role="search">/);
    const found = await desk.get('/desk/on-behalf?q=phoning');
    assert.match(found.body, /<h2>Researchers matching “phoning”<\/h2>/);
    assert.ok(found.body.includes(`<a href="/desk/on-behalf?researcherId=${reader.id}">Request for Phoning Reader</a> · ${reader.email} · Université de Montréal`));
    assert.match(found.body, /<strong>Phoning Gone<\/strong> <span class="hint">\(account disabled: nothing can be requested for it\)<\/span>/);
    assert.ok(!found.body.includes(`researcherId=${gone.id}`));
    assert.match((await desk.get('/desk/on-behalf?q=nobody')).body, /No researcher matches “nobody”/);
    // The desk's own search leads here for each researcher it finds.
    assert.ok((await desk.get('/desk?q=phoning')).body.includes(`<a href="/desk/on-behalf?researcherId=${reader.id}">Request material for Phoning Reader</a>`));
  });

  it("the researcher's page lists the collections, each leading to its page for them", async () => {
    const page = await desk.get(`/desk/on-behalf?researcherId=${reader.id}`);
    assert.equal(page.statusCode, 200, page.body);
    assert.match(page.body, /<h1>Request for Phoning Reader<\/h1>/);
    assert.match(page.body, /<span class="id-missing">Not checked yet<\/span>/);
    assert.ok(page.body.includes(`<a href="/desk/on-behalf/collections/1?researcherId=${reader.id}">Victor Serge papers</a>, GEN MSS 238`));
    assert.doesNotMatch(page.body, /role="status"/, 'nothing made yet');
  });

  it('the collection page for them offers the open days from today, those within the lead time marked, the earliest chosen; no visit planning, no saving for later', async () => {
    const page = await desk.get(`/desk/on-behalf/collections/1?researcherId=${reader.id}`);
    assert.equal(page.statusCode, 200, page.body);
    assert.match(page.body, /<h1>Request for Phoning Reader: Victor Serge papers<\/h1>/);
    assert.match(page.body, /Requesting for <strong>Phoning Reader<\/strong>/);
    assert.match(page.body, /<option value="2026-11-27">Friday 27 November 2026 \(sooner than the lead time\)<\/option>/);
    assert.equal(selectedDay(page.body), MONDAY);
    assert.match(page.body, /<form method="get" action="\/desk\/on-behalf\/collections\/1#boxes" class="researcher-date">/);
    assert.ok(page.body.includes(`<form method="post" action="/desk/on-behalf" class="researcher-request">`));
    assert.equal([...page.body.matchAll(new RegExp(`<input type="hidden" name="researcherId" value="${reader.id}">`, 'g'))].length, 2, 'both forms name the researcher');
    assert.match(page.body, /<input type="checkbox" id="override-lead-time" name="overrideLeadTime" value="true">/);
    assert.match(page.body, /<label for="note">Note with the request <span class="optional">\(optional; Phoning Reader reads it too/);
    assert.match(page.body, /Request the selected boxes for Phoning Reader on Monday 30 November 2026/);
    assert.doesNotMatch(page.body, /Plan a visit|You may request|You have requested/);
    // "Save for later" would put the boxes on the staff member's own list, not the researcher's.
    assert.doesNotMatch(page.body, /formaction="\/saved"|for later/);
  });

  it('requests boxes for them: the page lists what was made, the first event names the staff member, and they are mailed', async () => {
    const since = await lastOutboxId(room.db);
    const answer = await desk.post('/desk/on-behalf', { researcherId: String(reader.id), collectionId: '1', visitDate: MONDAY, containerIds: ['1', '23'], note: 'Asked by telephone.' });
    assert.equal(answer.statusCode, 303, answer.body);
    const made = (await theirRequests()).filter((r) => ['Box 1', 'Box 23'].includes(r.containerLabel));
    assert.deepEqual(made.map((r) => [r.containerLabel, r.status]), [
      ['Box 1', 'scheduled'],
      ['Box 23', 'awaiting_approval'],
    ]);
    assert.equal(answer.headers.location, `/desk/on-behalf?researcherId=${reader.id}&made=${made.map((r) => r.id).join('%2C')}`);
    const page = await desk.follow(answer);
    assert.match(page.body, /role="status">Requested for Phoning Reader, who is mailed as for their own requests\./);
    for (const [r, status] of [
      [made[0]!, 'To fetch from the stacks'],
      [made[1]!, 'Awaiting a curator’s approval'],
    ] as const) {
      assert.ok(page.body.includes(`<td data-label="Box"><a href="/desk/requests/${r.id}">${r.containerLabel}</a>`), r.containerLabel);
      assert.match(page.body, new RegExp(`${r.containerLabel}</a>[\\s\\S]*?Monday 30 November 2026</td>\\s*<td data-label="Status">${status}</td>`));
    }
    const first = await firstEvent(made[0]!.id);
    assert.equal(first?.actorId, staff.id);
    assert.equal(first?.note, "Requested by Dana Desk on the researcher's behalf. Asked by telephone.");
    assert.deepEqual(
      (await mailsSince(room.db, since)).map((m) => [m.jobName, m.mail.to.email]),
      [
        ['requests-submitted', reader.email],
        ['restricted-review', curator.email],
      ],
    );
    const again = await desk.get(`/desk/on-behalf/collections/1?researcherId=${reader.id}&date=${MONDAY}`);
    assert.match(again.body, /<p id="box-1-state">Phoning Reader has requested it for this day: scheduled\.<\/p>/);
    assert.match(again.body, /Phoning Reader already has 2 for this day/);
  });

  it('a day sooner than the lead time is refused on the page with the choice kept; overridden, it is made and the history says so', async () => {
    const before = (await theirRequests()).length;
    const refused = await desk.post('/desk/on-behalf', { researcherId: String(reader.id), collectionId: '1', visitDate: FRIDAY, containerIds: ['2'] });
    assert.equal(refused.statusCode, 422);
    assert.match(refused.body, /role="alert">Requests must be made at least two business days ahead; the earliest visit date is Monday 30 November 2026\./);
    assert.deepEqual(checked(refused.body, 'containerIds'), ['2']);
    assert.equal(selectedDay(refused.body), FRIDAY);
    assert.equal((await theirRequests()).length, before, 'nothing made');

    const overridden = await desk.post('/desk/on-behalf', { researcherId: String(reader.id), collectionId: '1', visitDate: FRIDAY, containerIds: ['2'], overrideLeadTime: 'true' });
    assert.equal(overridden.statusCode, 303, overridden.body);
    const made = (await theirRequests()).find((r) => r.containerLabel === 'Box 2');
    assert.ok(made);
    assert.equal((await firstEvent(made.id))?.note, "Requested by Dana Desk on the researcher's behalf, overriding the lead time.");
    const history = await desk.get(`/desk/requests/${made.id}`);
    assert.match(history.body, /Requested by Dana Desk on the researcher&#39;s behalf, overriding the lead time\./);

    // A closed day is still refused when overriding, and the choice to override is kept as typed.
    const closed = await desk.post('/desk/on-behalf', { researcherId: String(reader.id), collectionId: '1', visitDate: '2026-11-26', containerIds: ['3'], overrideLeadTime: 'true' });
    assert.equal(closed.statusCode, 422);
    assert.match(closed.body, /role="alert">The reading room is closed on Thursday 26 November 2026/);
    assert.match(closed.body, /name="overrideLeadTime" value="true" checked>/);
  });

  it("the researcher's own rules hold: a box they already have that day, and nothing chosen, are refused on the page", async () => {
    const before = (await theirRequests()).length;
    const duplicate = await desk.post('/desk/on-behalf', { researcherId: String(reader.id), collectionId: '1', visitDate: MONDAY, containerIds: ['1'] });
    assert.equal(duplicate.statusCode, 409);
    assert.match(duplicate.body, /role="alert">You already have an active request for Box 1 on Monday 30 November 2026\./);
    const nothing = await desk.post('/desk/on-behalf', { researcherId: String(reader.id), collectionId: '1', visitDate: MONDAY });
    assert.equal(nothing.statusCode, 422);
    assert.match(nothing.body, /role="alert">Choose at least one folder or box to request\./);
    assert.match(nothing.body, /<h1>Request for Phoning Reader: Victor Serge papers<\/h1>/, 'on the page for them');
    assert.equal((await theirRequests()).length, before);
  });

  it('someone who is not an active researcher is a 404 page, and nothing is made for them', async () => {
    for (const id of [String(staff.id), String(gone.id), '999999', 'x']) {
      for (const url of [`/desk/on-behalf?researcherId=${id}`, `/desk/on-behalf/collections/1?researcherId=${id}`]) {
        const page = await desk.get(url);
        assert.equal(page.statusCode, 404, url);
        assert.match(page.body, /There is no active researcher/, url);
      }
      const post = await desk.post('/desk/on-behalf', { researcherId: id, collectionId: '1', visitDate: MONDAY, containerIds: ['4'] });
      assert.equal(post.statusCode, 404, `post for ${id}`);
    }
    assert.equal((await desk.post('/desk/on-behalf', { collectionId: '1', visitDate: MONDAY, containerIds: ['4'] })).statusCode, 404, 'nobody named');
    assert.equal((await desk.get(`/desk/on-behalf/collections/999999?researcherId=${reader.id}`)).statusCode, 404);
    const gonesRequests = ok(await staff.call('GET', `/api/v1/requests?researcherId=${gone.id}`)).items as unknown[];
    assert.deepEqual(gonesRequests, []);
  });

  it("folders of a finding aid: a branch opens on the page for them, and the folder is requested in its box", async () => {
    const admin = await makePerson(room, 'admin');
    const upload = await room.app.inject({
      method: 'POST',
      url: '/api/v1/collections/import',
      headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'application/xml' },
      payload: testFindingAid(),
    });
    const collectionId = (ok(upload, 201).collection as { id: number }).id;
    const [series] = ok(await room.app.inject({ method: 'GET', url: `/api/v1/collections/${collectionId}/components` })).items as { id: number }[];
    const files = ok(await room.app.inject({ method: 'GET', url: `/api/v1/collections/${collectionId}/components?parentId=${series!.id}` })).items as { id: number; title: string }[];
    const letters = files.find((f) => f.title === 'Letters from Paris')!;

    const page = await desk.get(`/desk/on-behalf/collections/${collectionId}?researcherId=${reader.id}`);
    assert.match(page.body, new RegExp(`formaction="/collections/${collectionId}/view" name="open" value="${series!.id}"`));
    // The Open button posts the page's form (its researcher with it) to the view address.
    const opened = await desk.post(`/collections/${collectionId}/view`, { researcherId: String(reader.id), collectionId: String(collectionId), visitDate: MONDAY, open: String(series!.id) });
    assert.equal(opened.statusCode, 303);
    assert.equal(opened.headers.location, `/desk/on-behalf/collections/${collectionId}?researcherId=${reader.id}&date=${MONDAY}&open=${series!.id}`);
    const branch = await desk.follow(opened);
    assert.match(branch.body, new RegExp(`<input type="checkbox" id="c-${letters.id}-choice" name="componentIds" value="${letters.id}"`));
    assert.doesNotMatch(branch.body, /formaction="\/saved"|for later/, 'no saving for later under the tree either');

    const answer = await desk.post('/desk/on-behalf', { researcherId: String(reader.id), collectionId: String(collectionId), visitDate: MONDAY, componentIds: [String(letters.id)], open: [String(series!.id)] });
    assert.equal(answer.statusCode, 303, answer.body);
    const listed = await desk.follow(answer);
    assert.match(listed.body, /Letters from Paris/);
    const made = (await theirRequests()).find((r) => r.components.some((c) => c.title === 'Letters from Paris'));
    assert.equal(made?.researcherId, reader.id);
  });
});
