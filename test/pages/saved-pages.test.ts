import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { requests, savedItems } from '../../db/tables.ts';
import { ok } from '../helpers/answers.ts';
import { eadDocument, fileComponent } from '../helpers/ead-documents.ts';
import { signedInBrowser, type FormBrowser } from '../helpers/form-browser.ts';
import { makePerson, type Person } from '../helpers/people.ts';
import { startReadingRoom, type TestReadingRoom } from '../helpers/reading-room.ts';
import { requestTablesSnapshot } from '../helpers/stored-rows.ts';

// The saved list as a browser without JavaScript uses it, on Thanksgiving morning 2026 (the first
// day open for requests is Monday 30 November): "Save for later" on a collection page, the list with
// each room's day and each box's standing once a date is chosen, requesting some of it, a refusal
// shown with its message, and removing an item. GEN MSS 238 (the seed) and MS 500 are read in the
// first room, MS 600 in the Map Room.

const box = (n: number, folder?: string) => `<container type="Box">${n}</container>${folder ? `<container type="Folder">${folder}</container>` : ''}`;
const problemOf = (html: string) => /class="problem" role="alert">([^<]*)</.exec(html)?.[1];
const noticeOf = (html: string) => /class="notice" role="status">([^<]*)</.exec(html)?.[1];
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
/** One saved item's entry on the list: its text, and whether its checkbox is there and checked. */
function entry(html: string, id: number) {
  const found = new RegExp(`<li id="saved-${id}">([\\s\\S]*?)</li>\\s*(?=<li id="saved-|</ul>\\s*</section>)`).exec(html)?.[1];
  assert.ok(found !== undefined, `an entry for saved item ${id}`);
  const checkbox = new RegExp(`<input type="checkbox"[^>]*name="ids" value="${id}"[^>]*>`).exec(found)?.[0];
  return { text: text(found), checkbox: checkbox === undefined ? 'none' : checkbox.includes(' checked') ? 'checked' : 'unchecked' };
}
/** The text of a room's section of the list. */
const section = (html: string, roomId: number) => text(new RegExp(`<section aria-labelledby="room-${roomId}">([\\s\\S]*?)</section>`).exec(html)?.[1] ?? '');

describe('the saved list pages', { timeout: 120_000 }, () => {
  let room: TestReadingRoom;
  let rosa: Person;
  let otto: Person;
  let browser: FormBrowser;
  let mapRoom: number;
  let ms500: number;
  let ms600: number;
  const boxes: Record<string, number> = {};
  const parts: Record<string, number> = {};

  const importInto = async (xml: string, roomId?: number) => {
    const answer = await room.app.inject({
      method: 'POST',
      url: `/api/v1/collections/import${roomId ? `?readingRoomId=${roomId}` : ''}`,
      headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'application/xml' },
      payload: xml,
    });
    return ok<{ collection: { id: number } }>(answer, 201).collection.id;
  };
  let admin: Person;
  const mine = async () => (await room.db.select().from(savedItems).where(eq(savedItems.researcherId, rosa.id)));

  before(async () => {
    room = await startReadingRoom();
    [admin, rosa, otto] = await Promise.all([makePerson(room, 'admin'), makePerson(room, 'researcher', 'Rosa Reader'), makePerson(room, 'researcher', 'Otto Other')]);
    mapRoom = ok(await admin.call('POST', '/api/v1/reading-rooms', { code: 'maps', name: 'Map Room', timezone: 'America/New_York' }), 201).id;
    ms500 = await importInto(eadDocument({ callNumber: 'MS 500', eadId: 'ms-500', title: 'Guérin papers', dsc: fileComponent('f1', 'Letters from Paris', box(1, '3')) }));
    ms600 = await importInto(eadDocument({ callNumber: 'MS 600', eadId: 'ms-600', title: 'Atlas collection', dsc: fileComponent('m1', 'Atlas sheets', box(1)) }), mapRoom);
    for (const [label, collection] of [['GEN MSS 238', 1], ['MS 500', ms500], ['MS 600', ms600]] as const) {
      for (const c of ok(await admin.call('GET', `/api/v1/collections/${collection}`)).containers) boxes[`${label} ${c.label}`] = c.id;
      for (const c of ok(await admin.call('GET', `/api/v1/collections/${collection}/components`)).items) parts[c.refId] = c.id;
    }
    // Box 2 is Otto's on Tuesday 1 December; the Map Room is closed on Wednesday 2 December.
    ok(await otto.call('POST', '/api/v1/requests', { visitDate: '2026-12-01', containerIds: [boxes['GEN MSS 238 Box 2']] }), 201);
    ok(await admin.call('POST', '/api/v1/closures', { date: '2026-12-02', reason: 'Moving the map cases', readingRoomId: mapRoom }), 201);
    browser = await signedInBrowser(room.app, rosa.email, rosa.password);
  });
  after(() => room.close());

  it('is in the navigation, and says how to fill an empty list', async () => {
    const page = await browser.get('/saved');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<a href="\/saved" aria-current="page">Saved<\/a>/);
    assert.match(text(page.body), /Nothing is saved\. On a collection's page, check boxes or folders/);
    assert.doesNotMatch(page.body, /action="\/saved\/submit"/);
  });

  it('saves the boxes and folders checked on collection pages, without a date, and says what was saved; saved again, nothing is doubled', async () => {
    const collection = await browser.get('/collections/1');
    assert.match(collection.body, /<button type="submit" class="secondary" formaction="\/saved">Save the selected boxes for later<\/button>/);
    const saved = await browser.post('/saved', { collectionId: '1', visitDate: '2026-11-30', containerIds: [String(boxes['GEN MSS 238 Box 2']), String(boxes['GEN MSS 238 Box 24'])] });
    assert.equal(saved.statusCode, 303, problemOf(saved.body));
    const [box2, box24] = await mine();
    assert.equal(saved.headers.location, `/saved?saved=${box2!.id}%2C${box24!.id}`);
    assert.equal(noticeOf((await browser.follow(saved)).body), 'Saved for later: Box 2; Box 24.');

    const tree = await browser.get(`/collections/${ms500}`);
    assert.match(tree.body, /formaction="\/saved">Save the selected folders and boxes for later<\/button>/);
    const folder = await browser.post('/saved', { collectionId: String(ms500), componentIds: String(parts.f1), containerIds: String(boxes['GEN MSS 238 Box 2']) });
    assert.equal(folder.statusCode, 303, problemOf(folder.body));
    assert.equal(noticeOf((await browser.follow(folder)).body), 'Saved for later: Box 2; Letters from Paris (Box 1, Folder 3).');
    ok(await rosa.call('POST', '/api/v1/me/saved', { containerId: boxes['MS 600 Box 1'] }), 201);
    assert.deepEqual((await mine()).map((item) => [item.containerId, item.componentId]), [
      [boxes['GEN MSS 238 Box 2'], null],
      [boxes['GEN MSS 238 Box 24'], null],
      [null, parts.f1],
      [boxes['MS 600 Box 1'], null],
    ]);
  });

  it('sends the collection page back with its problem when nothing is checked, and refuses a post without the CSRF token', async () => {
    await browser.get('/collections/1');
    const none = await browser.post('/saved', { collectionId: '1', visitDate: '2026-11-30' });
    assert.equal(none.statusCode, 422);
    assert.equal(problemOf(none.body), 'Choose at least one folder or box to save for later.');
    assert.match(none.body, /<h1>Victor Serge papers<\/h1>/);
    const forged = await browser.post('/saved', { collectionId: '1', containerIds: String(boxes['GEN MSS 238 Box 5']) }, { csrf: false });
    assert.equal(forged.statusCode, 403);
    assert.equal((await mine()).length, 4, 'nothing more was saved');
  });

  it('lists the items by the room they are read in; with a date, each room that day and how each box stands: held by another, restricted, or available', async () => {
    const [box2, box24, letters, atlas] = await mine();
    const undated = await browser.get('/saved');
    assert.match(section(undated.body, 1), /^Read in [^:]+ Box 2 Victor Serge papers \(GEN MSS 238\) Remove/);
    assert.match(section(undated.body, mapRoom), /^Read in Map Room Box 1 Atlas collection \(MS 600\) Remove/);
    assert.equal(entry(undated.body, box2!.id).checkbox, 'none', 'no date, nothing to request yet');
    assert.doesNotMatch(undated.body, /Request the checked items/);

    const tuesday = await browser.get('/saved?date=2026-12-01');
    assert.match(section(tuesday.body, 1), /On Tuesday 1 December 2026: Open: seats unlimited\./);
    assert.deepEqual(entry(tuesday.body, box2!.id), {
      text: 'Box 2 Victor Serge papers (GEN MSS 238) held by another reader: you would join the waiting list Remove Box 2',
      checkbox: 'checked',
    });
    assert.match(entry(tuesday.body, box24!.id).text, /restricted: a curator must approve it/);
    assert.match(entry(tuesday.body, letters!.id).text, /^Letters from Paris \(Box 1, Folder 3\) Guérin papers \(MS 500\) Box 1: available Remove/);
    assert.match(tuesday.body, new RegExp(`href="/collections/${ms500}\\?date=2026-12-01&amp;open=${parts.f1}#c-${parts.f1}"`), 'the folder, open in its tree');
    assert.match(tuesday.body, /Request the checked items for Tuesday 1 December 2026/);

    const wednesday = await browser.get('/saved?date=2026-12-02');
    assert.match(section(wednesday.body, mapRoom), /On Wednesday 2 December 2026: Closed: Moving the map cases\./);
    assert.equal(entry(wednesday.body, atlas!.id).text, 'Box 1 Atlas collection (MS 600) Remove Box 1', 'nothing said of a box on a day its room is closed');

    const notOffered = await browser.get('/saved?date=2026-11-28');
    assert.equal(problemOf(notOffered.body), 'Saturday 28 November 2026 is not open for requests in the reading rooms of your list; choose a day from the list.');
    assert.doesNotMatch(notOffered.body, /Request the checked items/);
  });

  it("shows a refusal with its message, keeping what was checked, and requests nothing: the Map Room's closed day refuses the first room's boxes too", async () => {
    const [box2, , letters, atlas] = await mine();
    await browser.get('/saved?date=2026-12-02');
    const before = await requestTablesSnapshot(room.db);
    const refused = await browser.post('/saved/submit', { visitDate: '2026-12-02', ids: [String(letters!.id), String(atlas!.id)] });
    assert.equal(refused.statusCode, 422);
    assert.equal(problemOf(refused.body), 'The reading room is closed on Wednesday 2 December 2026 (Moving the map cases); the next open day is Thursday 3 December 2026.');
    assert.equal(entry(refused.body, letters!.id).checkbox, 'checked');
    assert.equal(entry(refused.body, box2!.id).checkbox, 'unchecked', 'what was not checked stays unchecked');
    assert.equal(await requestTablesSnapshot(room.db), before);
    assert.equal((await mine()).length, 4);
  });

  it('requests the checked items for the day, one request per box in each room, and keeps the others on the list', async () => {
    const [box2, box24, letters, atlas] = await mine();
    await browser.get('/saved?date=2026-12-03');
    const made = await browser.post('/saved/submit', { visitDate: '2026-12-03', ids: [String(letters!.id), String(atlas!.id)] });
    assert.equal(made.statusCode, 303, problemOf(made.body));
    const rows = (await room.db.select().from(requests).where(eq(requests.researcherId, rosa.id)));
    // The boxes saved as boxes first, then those of the folders, as a request takes them.
    assert.deepEqual(rows.map((r) => [r.containerId, r.readingRoomId, r.visitDate]), [
      [boxes['MS 600 Box 1'], mapRoom, '2026-12-03'],
      [boxes['MS 500 Box 1'], 1, '2026-12-03'],
    ]);
    assert.equal(new Set(rows.map((r) => r.appointmentId)).size, 2, 'an appointment in each room');
    assert.equal(made.headers.location, `/requests?submitted=${rows.map((r) => r.id).join(',')}`);
    assert.match(text((await browser.follow(made)).body), /Your request has been made/);
    assert.deepEqual((await mine()).map((item) => item.id), [box2!.id, box24!.id], 'the others stay');
  });

  it('removes an item, keeping the date chosen; another researcher\'s item is a page saying there is none, and stays', async () => {
    const [box2, box24] = await mine();
    await browser.get('/saved?date=2026-12-04');
    const removed = await browser.post(`/saved/${box24!.id}/remove`, { visitDate: '2026-12-04', ids: [String(box2!.id), String(box24!.id)] });
    assert.equal(removed.statusCode, 303);
    assert.equal(removed.headers.location, '/saved?date=2026-12-04&removed=1');
    const after = await browser.follow(removed);
    assert.equal(noticeOf(after.body), 'Removed from your list.');
    assert.doesNotMatch(after.body, new RegExp(`id="saved-${box24!.id}"`));
    assert.deepEqual((await mine()).map((item) => item.id), [box2!.id]);

    const theirs = ok(await otto.call('POST', '/api/v1/me/saved', { containerId: boxes['GEN MSS 238 Box 7'] }), 201);
    const refused = await browser.post(`/saved/${theirs.id}/remove`, {});
    assert.equal(refused.statusCode, 404);
    assert.match(refused.body, new RegExp(`There is no saved item ${theirs.id} on your list`));
    assert.equal(ok(await otto.call('GET', '/api/v1/me/saved')).items.length, 1);
    const forged = await browser.post(`/saved/${box2!.id}/remove`, {}, { csrf: false });
    assert.equal(forged.statusCode, 403);
    assert.equal((await mine()).length, 1);
  });
});
