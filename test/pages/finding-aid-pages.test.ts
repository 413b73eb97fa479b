import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { requestComponents, requests } from '../../db/tables.ts';
import { eadDocument, fileComponent, seriesComponent } from '../helpers/ead-documents.ts';
import { formBrowser, signedInBrowser, type FormBrowser } from '../helpers/form-browser.ts';
import { pdfText } from '../helpers/pdf-text.ts';
import { makeAccount, makePerson, PASSWORD, type Person } from '../helpers/people.ts';
import { startReadingRoom, type TestReadingRoom } from '../helpers/reading-room.ts';

// The finding aids' pages as a browser without JavaScript uses them: the collection page's tree,
// opened a branch at a time; requests by folder and series; the surrogate offered before a
// restricted original; deep links from a finding-aid site; the search page. The clock stands on
// Thursday 26 November 2026; the first day open for requests is Monday 30 November.

const FIRST_DAY = '2026-11-30';
const box = (n: number, folder?: string) => `<container type="Box">${n}</container>${folder ? `<container type="Folder">${folder}</container>` : ''}`;
const restricted = '<accessrestrict><p>Closed until 2090.</p></accessrestrict>';

const findingAid = eadDocument({
  callNumber: 'MS 300',
  eadId: 'ms-300',
  title: 'Guérin family papers',
  abstract: 'Letters and diaries of the Guérin family.',
  dsc:
    seriesComponent(
      's1',
      'Correspondence',
      fileComponent('f1', 'Letters from Paris', box(1, '3')) +
        fileComponent('f2', 'Notes &lt;script&gt;alert(1)&lt;/script&gt; on Trotsky', box(1, '4')) +
        `<c level="subseries" id="ss1"><did><unittitle>Family letters</unittitle><unitdate>1930-1939</unitdate></did>${fileComponent('f5', 'Letters to Lucienne', box(1, '9'))}</c>`,
    ) +
    seriesComponent('s2', 'Diaries', fileComponent('f3', 'Diary 1941', box(2, '1')), '', restricted) +
    seriesComponent('s3', 'Postcards', Array.from({ length: 30 }, (_, i) => fileComponent(`p${i}`, `Postcard ${i + 1} from Trotsky`, box(4, String(i + 1)))).join('')) +
    fileComponent('f4', 'Photographs', box(3)),
});

let room: TestReadingRoom;
let admin: Person;
let researcher: { email: string; id: number };
let reader: FormBrowser;
let collectionId: number;
const component: Record<string, number> = {};
const container: Record<string, number> = {};

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
/** The titles shown in the tree, in order. */
const treeTitles = (html: string) => [...html.matchAll(/<li id="c-\d+" class="finding-aid-node[^"]*">\s*<div class="researcher-box-name">\s*(?:<input[^>]*>\s*<label[^>]*>|<strong>)([^<]*)</g)].map((m) => m[1]);
const checkedComponents = (html: string) => [...html.matchAll(/<input type="checkbox" id="c-(\d+)-choice" name="componentIds" value="\d+"[^>]* checked>/g)].map((m) => Number(m[1]));

async function importFindingAid(xml: string) {
  const answer = await room.app.inject({ method: 'POST', url: '/api/v1/collections/import', headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'application/xml' }, payload: xml });
  assert.ok(answer.statusCode === 200 || answer.statusCode === 201, answer.body);
  return answer.json();
}

before(async () => {
  room = await startReadingRoom();
  admin = await makePerson(room, 'admin');
  collectionId = (await importFindingAid(findingAid)).collection.id;
  // Box 3 goes from the finding aid: it stays, withdrawn.
  await importFindingAid(findingAid.replace(fileComponent('f4', 'Photographs', box(3)), ''));
  const containers = (await room.app.inject({ method: 'GET', url: `/api/v1/collections/${collectionId}` })).json().containers as { id: number; label: string }[];
  for (const c of containers) container[c.label] = c.id;
  const walk = async (parentId?: number) => {
    const items = (await room.app.inject({ method: 'GET', url: `/api/v1/collections/${collectionId}/components${parentId ? `?parentId=${parentId}` : ''}` })).json().items;
    for (const c of items as { id: number; refId: string; childCount: number }[]) {
      component[c.refId] = c.id;
      if (c.childCount > 0) await walk(c.id);
    }
  };
  await walk();
  // Box 2 (the diaries, closed until 2090) has a digital copy.
  const patched = await admin.call('PATCH', `/api/v1/containers/${container['Box 2']}`, { surrogate: { kind: 'digital', note: 'Scanned in 2020.', url: 'https://example.org/diaries' } });
  assert.equal(patched.statusCode, 200, patched.body);
  const account = await makeAccount(room.db, 'researcher', { name: 'Rosa Reader' });
  researcher = { email: account.email, id: account.user.id };
  reader = await signedInBrowser(room.app, account.email, PASSWORD);
});
after(() => room.close());

describe('the collection page of a finding aid', () => {
  it('shows the top level only, each part with its level, dates, boxes and folders', async () => {
    const page = await reader.get(`/collections/${collectionId}`);
    assert.equal(page.statusCode, 200);
    assert.deepEqual(treeTitles(page.body), ['Correspondence', 'Diaries', 'Postcards']);
    assert.doesNotMatch(page.body, /Letters from Paris/, 'a closed branch is not read');
    assert.match(text(page.body), /Series · 3 parts/);
    assert.match(page.body, /<button type="submit" class="quiet finding-aid-toggle" formaction="\/collections\/\d+\/view" name="open" value="\d+" aria-expanded="false">Open<span class="visually-hidden"> Correspondence<\/span> \(3 parts\)<\/button>/);
    assert.match(text(page.body), /Closed until 2090\./, "a component's access note");
  });

  it('opens a branch by posting the form back, keeping what was checked', async () => {
    const opened = await reader.post(`/collections/${collectionId}/view`, {
      visitDate: FIRST_DAY,
      open: String(component.s1),
      componentIds: String(component.s3),
      containerIds: String(container['Box 4']),
    });
    assert.equal(opened.statusCode, 303);
    const location = String(opened.headers.location);
    assert.equal(location, `/collections/${collectionId}?date=${FIRST_DAY}&open=${component.s1}&componentIds=${component.s3}&containerIds=${container['Box 4']}`);
    const page = await reader.get(location);
    assert.deepEqual(treeTitles(page.body).slice(0, 5), ['Correspondence', 'Letters from Paris', 'Notes <script>alert(1)</script> on Trotsky'.replace(/</g, '&lt;').replace(/>/g, '&gt;'), 'Family letters', 'Diaries']);
    assert.doesNotMatch(page.body, /<script>alert/, 'a title is text');
    assert.match(text(page.body), /Letters from Paris File Box 1, Folder 3 available/);
    assert.ok(checkedComponents(page.body).includes(component.s3!), 'the checked series stays checked');
    assert.match(page.body, new RegExp(`<input type="checkbox" id="box-${container['Box 4']}" name="containerIds" value="${container['Box 4']}"[^>]* checked>`));
    assert.match(page.body, /<details class="whole-boxes" open>/);
    assert.doesNotMatch(page.body, /Postcard 30 from Trotsky/, 'a checked series is not opened for being checked');

    // A checked folder holds its branch open: the branch offers no Close, which would hide it.
    const held = await reader.get(`/collections/${collectionId}?componentIds=${component.f5}`);
    assert.ok(checkedComponents(held.body).includes(component.f5!));
    assert.doesNotMatch(held.body, new RegExp(`name="close" value="(${component.s1}|${component.ss1})"`));

    const closed = await reader.post(`/collections/${collectionId}/view`, { visitDate: FIRST_DAY, open: [String(component.s1), String(component.ss1)], close: String(component.s1) });
    assert.equal(String(closed.headers.location), `/collections/${collectionId}?date=${FIRST_DAY}`, 'closing a branch closes what is open below it');
  });

  it('shows a withdrawn box as such, without a checkbox', async () => {
    const page = await reader.get(`/collections/${collectionId}`);
    assert.match(page.body, /<strong>Box 3<\/strong>\s*<\/div>\s*<div class="researcher-box-detail">\s*<p id="box-\d+-state" class="restricted">Withdrawn from the collection: it cannot be requested\.<\/p>/);
  });

  it('keeps the box list for a collection without a finding aid', async () => {
    const serge = (await room.app.inject({ method: 'GET', url: '/api/v1/collections?callNumber=GEN%20MSS%20238' })).json().items[0];
    const page = await reader.get(`/collections/${serge.id}`);
    assert.match(page.body, /<ul class="plain researcher-boxes">/);
    assert.doesNotMatch(page.body, /finding-aid-tree/);
  });
});

describe('requesting folders', () => {
  it('makes one request per box, listing the folders wanted in it, shown on My requests', async () => {
    await reader.get(`/collections/${collectionId}`);
    const made = await reader.post('/requests', { visitDate: FIRST_DAY, collectionId: String(collectionId), componentIds: [String(component.f1), String(component.f5)] });
    assert.equal(made.statusCode, 303, made.body);
    const mine = (await room.db.select().from(requests)).filter((r) => r.researcherId === researcher.id);
    assert.deepEqual(mine.map((r) => r.containerId), [container['Box 1']]);
    const listed = (await room.db.select().from(requestComponents)).filter((c) => c.requestId === mine[0]!.id);
    assert.deepEqual(listed.map((c) => [c.title, c.folder]), [['Letters from Paris', 'Folder 3'], ['Letters to Lucienne', 'Folder 9']]);

    const page = await reader.follow(made);
    assert.match(text(page.body), /Box 1 , Guérin family papers \(MS 300\): scheduled Letters from Paris \(Folder 3\) Letters to Lucienne \(Folder 9\)/);
    const detail = await reader.get(`/requests/${mine[0]!.id}`);
    assert.match(text(detail.body), /Folders wanted Letters from Paris \(Folder 3\) Letters to Lucienne \(Folder 9\)/);
  });

  it("puts the folders wanted on the box's call slip", async () => {
    const staff = await makeAccount(room.db, 'staff');
    const desk = await signedInBrowser(room.app, staff.email, PASSWORD);
    const slips = await desk.get(`/paging/call-slips.pdf?date=${FIRST_DAY}`);
    assert.equal(slips.statusCode, 200);
    assert.match(pdfText(slips.rawPayload), /Letters from Paris \(Folder 3\); Letters to Lucienne \(Folder 9\)/);
  });

  it('shows a refusal on the collection page, the folders still checked', async () => {
    const again = await reader.post('/requests', { visitDate: FIRST_DAY, collectionId: String(collectionId), componentIds: [String(component.f2)] });
    assert.equal(again.statusCode, 409);
    assert.match(again.body, /<p class="problem" role="alert">You already have an active request for Box 1 on Monday 30 November 2026\./);
    assert.deepEqual(checkedComponents(again.body), [component.f2]);
  });
});

describe('surrogate first', () => {
  it('offers the copy of a restricted box, and asks why the original is needed before requesting it', async () => {
    const before = (await room.db.select().from(requests)).length;
    const chosen = { visitDate: FIRST_DAY, collectionId: String(collectionId), componentIds: [String(component.f3)], note: 'Chapter 4' };
    const offered = await reader.post('/requests', chosen);
    assert.equal(offered.statusCode, 200);
    assert.match(offered.body, /<strong>Box 2<\/strong>, instead of the original: Digital copy\. Scanned in 2020\./);
    assert.match(offered.body, /<a href="https:\/\/example.org\/diaries">See the copy of Box 2<\/a>/);
    assert.match(offered.body, /<textarea id="original-reason" name="originalReason"[^>]* required/);
    assert.match(offered.body, new RegExp(`<a href="/collections/${collectionId}\\?date=${FIRST_DAY}&amp;componentIds=${component.f3}">Change my choice</a>`));

    const blank = await reader.post('/requests', { ...chosen, originalReason: '  ' });
    assert.equal(blank.statusCode, 422);
    assert.match(blank.body, /Please say why you need the original/);
    assert.equal((await room.db.select().from(requests)).length, before, 'nothing is requested without the reason');

    const made = await reader.post('/requests', { ...chosen, originalReason: 'The pencil annotations do not show in the scan.' });
    assert.equal(made.statusCode, 303, made.body);
    const request = (await room.db.select().from(requests)).find((r) => r.containerId === container['Box 2']);
    assert.equal(request?.status, 'awaiting_approval');
    assert.equal(request?.originalReason, 'The pencil annotations do not show in the scan.');
    assert.equal(request?.note, 'Chapter 4');
    assert.match(text((await reader.get(`/requests/${request.id}`)).body), /Why you need the original The pencil annotations do not show in the scan\./);
  });
});

describe('deep links from a finding-aid site', () => {
  it('signed out: signs in first, then opens the collection page with the component chosen and its branch open', async () => {
    const anonymous = formBrowser(room.app);
    const link = `/request?callNumber=MS%20300&refId=f5`;
    const first = await anonymous.get(link);
    assert.equal(first.statusCode, 303);
    assert.equal(first.headers.location, `/sign-in?next=${encodeURIComponent(link)}`);
    const form = await anonymous.get(String(first.headers.location));
    const next = /<input type="hidden" name="next" value="([^"]*)">/.exec(form.body)?.[1]?.replaceAll('&amp;', '&');
    assert.equal(next, link, 'the sign-in form carries the way back');
    const signed = await anonymous.post('/sign-in', { email: researcher.email, password: PASSWORD, next });
    assert.equal(signed.headers.location, link);
    const chosen = await anonymous.follow(signed);
    assert.equal(chosen.headers.location, `/collections/${collectionId}?open=${component.f5}&componentIds=${component.f5}`);
    const page = await anonymous.get(String(chosen.headers.location));
    assert.deepEqual(checkedComponents(page.body), [component.f5]);
    assert.match(page.body, new RegExp(`<li id="c-${component.f5}" class="finding-aid-node chosen">`));
    assert.ok(treeTitles(page.body).includes('Family letters'), 'its ancestors are open');
  });

  it('a box by its label', async () => {
    const chosen = await reader.get('/request?callNumber=MS%20300&container=box%20%204');
    assert.equal(chosen.headers.location, `/collections/${collectionId}?containerIds=${container['Box 4']}`);
  });

  it('an unknown call number, component or box is a 404 page that says so, the value escaped', async () => {
    const hostile = encodeURIComponent('<script>alert(1)</script>');
    for (const [url, said] of [
      [`/request?callNumber=${hostile}`, /There is no collection with the call number “&lt;script&gt;alert\(1\)&lt;\/script&gt;”/],
      [`/request?callNumber=MS%20300&refId=${hostile}`, /MS 300 has no component “&lt;script&gt;/],
      [`/request?callNumber=MS%20300&container=Box%2099`, /MS 300 has no box “Box 99”/],
    ] as const) {
      const page = await reader.get(url);
      assert.equal(page.statusCode, 404, url);
      assert.match(String(page.headers['content-type']), /text\/html/);
      assert.match(page.body, said);
      assert.doesNotMatch(page.body, /<script>alert/);
    }
  });
});

describe('the search page', () => {
  it('lists hits with their snippet, call number, dates and boxes, each linked into the tree; the rest of the page escaped', async () => {
    const page = await reader.get('/search?q=notes%20trotsk');
    assert.equal(page.statusCode, 200);
    assert.doesNotMatch(page.body, /<script>alert/, 'a title with a script element is text');
    assert.match(page.body, /<p class="snippet"><mark>Notes<\/mark> &[^<]*script&[^<]* on <mark>Trotsky<\/mark><\/p>/, 'the snippet as the search marked it');
    assert.match(page.body, new RegExp(`<a href="/collections/${collectionId}\\?open=${component.f2}#c-${component.f2}">Notes &lt;script&gt;`));
    assert.match(text(page.body), /MS 300 · Guérin family papers › Correspondence/);
    assert.match(text(page.body), /Box 1/);
  });

  it('pages with More results through the cursor', async () => {
    const first = await reader.get('/search?q=postcard');
    const hits = (html: string) => [...html.matchAll(/<p class="finding-aid-hit">/g)].length;
    assert.equal(hits(first.body), 25);
    const more = /<a class="button secondary" href="([^"]+)">More results<\/a>/.exec(first.body)?.[1]?.replaceAll('&amp;', '&');
    assert.ok(more, 'a link to more results');
    const second = await reader.get(more);
    assert.equal(hits(second.body), 6, 'the thirty postcards and their series');
    assert.doesNotMatch(second.body, /More results/);
  });

  it('searches one collection from its page, and is linked from the navigation', async () => {
    const page = await reader.get(`/collections/${collectionId}`);
    assert.match(page.body, new RegExp(`<input type="hidden" name="collectionId" value="${collectionId}">\\s*<label for="search-q">Search this finding aid</label>`));
    assert.match(page.body, /<a href="\/search">Search<\/a>/);
    const none = await reader.get(`/search?q=trotsky&collectionId=1`);
    assert.match(none.body, /Nothing matches/);
  });
});
