import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertRefusal, ok } from '../helpers/answers.ts';
import { eadDocument, fileComponent, seriesComponent } from '../helpers/ead-documents.ts';
import { makePerson, signIn, type Person } from '../helpers/people.ts';
import { startReadingRoom, type TestReadingRoom } from '../helpers/reading-room.ts';
import { requestTablesSnapshot } from '../helpers/stored-rows.ts';

// Saved lists (docs/api.md, "Saved lists"), on Thanksgiving morning 2026: the earliest visit date
// is Monday 30 November. GEN MSS 238 (the seed) and MS 300 (imported here) are read in the first
// room; MS 400 in a second room made here.

const box = (n: number, folder?: string) => `<container type="Box">${n}</container>${folder ? `<container type="Folder">${folder}</container>` : ''}`;

interface SavedItem {
  id: number;
  containerId: number | null;
  componentId: number | null;
  collectionId: number;
  callNumber: string;
  label: string;
  createdAt: string;
}
interface RequestAnswer {
  id: number;
  containerId: number;
  collectionId: number;
  readingRoomId: number;
  appointmentId: number;
  status: string;
  components: { id: number; title: string; folder: string | null }[];
}

let room: TestReadingRoom;
let admin: Person;
let secondRoom: number;
/** GEN MSS 238's boxes, by label. */
const genMss = new Map<string, number>();
/** MS 300's and MS 400's components and boxes, by ref id and label. */
const parts = new Map<string, number>();
const boxes = new Map<string, number>();
const ms = new Map<string, number>();

async function importFindingAid(document: string, readingRoomId?: number): Promise<number> {
  const answer = await room.app.inject({
    method: 'POST',
    url: `/api/v1/collections/import${readingRoomId ? `?readingRoomId=${readingRoomId}` : ''}`,
    headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'application/xml' },
    payload: document,
  });
  assert.ok([200, 201].includes(answer.statusCode), answer.body);
  return (answer.json() as { collection: { id: number } }).collection.id;
}

async function readCollection(collectionId: number, prefix: string): Promise<void> {
  const walk = async (parentId?: number) => {
    const url = `/api/v1/collections/${collectionId}/components${parentId ? `?parentId=${parentId}` : ''}`;
    for (const c of ok<{ items: { id: number; refId: string; childCount: number }[] }>(await room.app.inject({ method: 'GET', url })).items) {
      parts.set(c.refId, c.id);
      if (c.childCount > 0) await walk(c.id);
    }
  };
  await walk();
  for (const c of ok<{ items: { id: number; label: string }[] }>(await room.app.inject({ method: 'GET', url: `/api/v1/collections/${collectionId}/containers` })).items) {
    boxes.set(`${prefix} ${c.label}`, c.id);
  }
}

const ms300 = (withBox2: boolean) =>
  eadDocument({
    callNumber: 'MS 300',
    eadId: 'ms-300',
    dsc:
      seriesComponent('s1', 'Correspondence', fileComponent('f1', 'Letters to Breton', box(1, '1')) + fileComponent('f2', 'Letters to Gide', box(1, '2'))) +
      (withBox2 ? fileComponent('f3', 'Diaries', box(2)) : '') +
      seriesComponent('s2', 'Clippings', [4, 5, 6, 7].map((n) => fileComponent(`c${n}`, `Clippings ${n}`, box(n))).join('')),
  });

before(async () => {
  room = await startReadingRoom();
  admin = await makePerson(room, 'admin');
  const gen = ok(await admin.call('GET', `/api/v1/collections?callNumber=${encodeURIComponent('GEN MSS 238')}`)).items[0];
  for (const c of ok(await admin.call('GET', `/api/v1/collections/${gen.id}`)).containers) genMss.set(c.label, c.id);
  ms.set('MS 300', await importFindingAid(ms300(true)));
  await readCollection(ms.get('MS 300')!, 'MS 300');
  secondRoom = ok(await admin.call('POST', '/api/v1/reading-rooms', { code: 'maps', name: 'Map Room', timezone: 'America/New_York' }), 201).id;
  ms.set('MS 400', await importFindingAid(eadDocument({ callNumber: 'MS 400', eadId: 'ms-400', dsc: fileComponent('m1', 'Atlas sheets', box(1, '1')) }), secondRoom));
  await readCollection(ms.get('MS 400')!, 'MS 400');
});
after(() => room.close());

const save = (person: Person, thing: { containerId?: number; componentId?: number }) => person.call('POST', '/api/v1/me/saved', thing);
const listOf = async (person: Person) => ok<{ items: SavedItem[] }>(await person.call('GET', '/api/v1/me/saved')).items;
const submit = (person: Person, body: { visitDate: string; ids?: number[] }) => person.call('POST', '/api/v1/me/saved/submit', body);
const requestsOn = async (person: Person, visitDate: string) => ok<{ items: RequestAnswer[] }>(await person.call('GET', `/api/v1/requests?visitDate=${visitDate}`)).items;
const appointmentsOn = async (person: Person, date: string) =>
  ok<{ items: { id: number; readingRoomId: number; requestIds: number[] }[] }>(await person.call('GET', `/api/v1/appointments?date=${date}`)).items;

describe('saving for later', () => {
  it('saves a box and a folder with their labels, answers the same item when saved again, and lists them in the order saved', async () => {
    const reader = await makePerson(room, 'researcher');
    const first = ok<SavedItem>(await save(reader, { containerId: genMss.get('Box 3')! }), 201);
    assert.deepEqual(
      { ...first, createdAt: undefined },
      { id: first.id, containerId: genMss.get('Box 3'), componentId: null, collectionId: 1, callNumber: 'GEN MSS 238', label: 'Box 3', createdAt: undefined },
    );
    assert.equal(first.createdAt, '2026-11-26T15:00:00.000Z', "the room's clock");
    const folder = ok<SavedItem>(await save(reader, { componentId: parts.get('f2')! }), 201);
    assert.equal(folder.label, 'Letters to Gide (Box 1, Folder 2)');
    assert.equal(folder.containerId, null);
    assert.equal(folder.collectionId, ms.get('MS 300'));
    const series = ok<SavedItem>(await save(reader, { componentId: parts.get('s2')! }), 201);
    assert.equal(series.label, 'Clippings (4 boxes)', 'a series housed below: its boxes counted');

    const again = ok<SavedItem>(await save(reader, { containerId: genMss.get('Box 3')! }), 200);
    assert.deepEqual(again, first);
    assert.deepEqual(ok<SavedItem>(await save(reader, { componentId: parts.get('f2')! }), 200), folder);
    assert.deepEqual(await listOf(reader), [first, folder, series]);
  });

  it('takes exactly one of containerId and componentId (400 FST_ERR_VALIDATION), and refuses what is not there (404) or withdrawn (422)', async () => {
    const reader = await makePerson(room, 'researcher');
    for (const body of [{}, { containerId: 1, componentId: parts.get('f1') }, { containerId: 0 }, { containerId: -1 }, { componentId: 'Box 1' }]) {
      assertRefusal(await reader.call('POST', '/api/v1/me/saved', body), 400, 'FST_ERR_VALIDATION', JSON.stringify(body));
    }
    assertRefusal(await save(reader, { containerId: 999_999 }), 404, 'NOT_FOUND');
    assertRefusal(await save(reader, { componentId: 999_999 }), 404, 'NOT_FOUND');
    assert.deepEqual(await listOf(reader), []);
  });

  it("is a researcher's list alone: another researcher's item cannot be removed (404), their own is removed once (204, then 404)", async () => {
    const reader = await makePerson(room, 'researcher');
    const other = await makePerson(room, 'researcher');
    const mine = ok<SavedItem>(await save(reader, { containerId: genMss.get('Box 4')! }), 201);
    const theirs = ok<SavedItem>(await save(other, { containerId: genMss.get('Box 4')! }), 201);
    assert.notEqual(mine.id, theirs.id, 'the same box on two lists is two items');
    assertRefusal(await reader.call('DELETE', `/api/v1/me/saved/${theirs.id}`), 404, 'NOT_FOUND');
    assert.deepEqual(await listOf(other), [theirs]);
    assert.equal((await reader.call('DELETE', `/api/v1/me/saved/${mine.id}`)).statusCode, 204);
    assertRefusal(await reader.call('DELETE', `/api/v1/me/saved/${mine.id}`), 404, 'NOT_FOUND');
    assert.deepEqual(await listOf(reader), []);
  });

  it('survives signing out: signed in again, the list is the same', async () => {
    const reader = await makePerson(room, 'researcher');
    const saved = ok<SavedItem>(await save(reader, { containerId: genMss.get('Box 5')! }), 201);
    assert.equal((await reader.call('POST', '/api/v1/auth/logout')).statusCode, 204);
    assertRefusal(await reader.call('GET', '/api/v1/me/saved'), 401, 'UNAUTHENTICATED');
    const token = await signIn(room.app, reader.email, reader.password);
    const again = await room.app.inject({ method: 'GET', url: '/api/v1/me/saved', headers: { authorization: `Bearer ${token}` } });
    assert.deepEqual(ok<{ items: SavedItem[] }>(again).items, [saved]);
  });
});

describe('submitting a saved list', () => {
  it('Saved list: submit of items from two collections in one room, all or nothing when one is refused', async () => {
    const reader = await makePerson(room, 'researcher');
    const box6 = ok<SavedItem>(await save(reader, { containerId: genMss.get('Box 6')! }), 201);
    const letters = ok<SavedItem>(await save(reader, { componentId: parts.get('f1')! }), 201);
    // Box 6 is requested already for Monday: the list's submission for that day is refused whole.
    ok(await reader.call('POST', '/api/v1/requests', { visitDate: '2026-11-30', containerIds: [genMss.get('Box 6')] }), 201);
    const before = await requestTablesSnapshot(room.db);
    const refused = assertRefusal(await submit(reader, { visitDate: '2026-11-30' }), 409, 'DUPLICATE_REQUEST');
    assert.match(String(refused.message), /Box 6/);
    assert.equal(await requestTablesSnapshot(room.db), before, 'no request, event or mail for the other collection either');
    assert.deepEqual(await listOf(reader), [box6, letters], 'both stay on the list');

    const made = ok<{ items: RequestAnswer[] }>(await submit(reader, { visitDate: '2026-12-01' }), 201).items;
    assert.deepEqual(
      made.map((r) => [r.containerId, r.collectionId, r.readingRoomId, r.status]),
      [
        [genMss.get('Box 6'), 1, 1, 'scheduled'],
        [boxes.get('MS 300 Box 1'), ms.get('MS 300'), 1, 'scheduled'],
      ],
    );
    assert.deepEqual(made[1]?.components.map((c) => [c.id, c.title, c.folder]), [[parts.get('f1'), 'Letters to Breton', 'Folder 1']], 'the folder is listed in its box');
    assert.equal(new Set(made.map((r) => r.appointmentId)).size, 1, 'one room, one appointment');
    assert.deepEqual(await listOf(reader), [], 'what was requested left the list');
    assert.deepEqual((await requestsOn(reader, '2026-12-01')).map((r) => r.id), made.map((r) => r.id));
  });

  it('Saved list: items of two rooms make two appointments; a refusal in one room refuses the other room too', async () => {
    const reader = await makePerson(room, 'researcher');
    ok(await save(reader, { containerId: genMss.get('Box 7')! }), 201);
    ok(await save(reader, { componentId: parts.get('m1')! }), 201);

    // The Map Room is closed on Wednesday 2 December: nothing is requested in the first room either.
    ok(await admin.call('POST', '/api/v1/closures', { date: '2026-12-02', reason: 'Moving the map cases', readingRoomId: secondRoom }), 201);
    const before = await requestTablesSnapshot(room.db);
    assertRefusal(await submit(reader, { visitDate: '2026-12-02' }), 422, 'VISIT_DAY_CLOSED');
    assert.equal(await requestTablesSnapshot(room.db), before);
    assert.deepEqual(await appointmentsOn(reader, '2026-12-02'), [], 'no appointment in either room');
    assert.equal((await listOf(reader)).length, 2);

    const made = ok<{ items: RequestAnswer[] }>(await submit(reader, { visitDate: '2026-12-03' }), 201).items;
    assert.deepEqual(made.map((r) => r.readingRoomId), [1, secondRoom]);
    const visits = await appointmentsOn(reader, '2026-12-03');
    assert.deepEqual(visits.map((a) => a.readingRoomId).sort(), [1, secondRoom].sort());
    for (const request of made) {
      const visit = visits.find((a) => a.readingRoomId === request.readingRoomId);
      assert.equal(request.appointmentId, visit?.id, 'each request belongs to the appointment of its room');
      assert.deepEqual(visit?.requestIds, [request.id]);
    }
    assert.deepEqual(await listOf(reader), []);
  });

  it('submits only the items named in `ids`, keeping the others; ids not on the list are 404 and change nothing', async () => {
    const reader = await makePerson(room, 'researcher');
    const other = await makePerson(room, 'researcher');
    const box8 = ok<SavedItem>(await save(reader, { containerId: genMss.get('Box 8')! }), 201);
    const box9 = ok<SavedItem>(await save(reader, { containerId: genMss.get('Box 9')! }), 201);
    const theirs = ok<SavedItem>(await save(other, { containerId: genMss.get('Box 10')! }), 201);

    const before = await requestTablesSnapshot(room.db);
    for (const ids of [[theirs.id], [box8.id, theirs.id], [999_999]]) {
      assertRefusal(await submit(reader, { visitDate: '2026-12-04', ids }), 404, 'NOT_FOUND', JSON.stringify(ids));
    }
    // A day too soon as well: the ids answer first.
    assertRefusal(await submit(reader, { visitDate: '2026-11-27', ids: [theirs.id] }), 404, 'NOT_FOUND');
    assert.equal(await requestTablesSnapshot(room.db), before);
    assert.deepEqual(await listOf(other), [theirs]);

    const made = ok<{ items: RequestAnswer[] }>(await submit(reader, { visitDate: '2026-12-04', ids: [box9.id] }), 201).items;
    assert.deepEqual(made.map((r) => r.containerId), [genMss.get('Box 9')]);
    assert.deepEqual(await listOf(reader), [box8], 'the item not named stays');
    for (const body of [{ visitDate: '2026-12-04', ids: [] }, { visitDate: '2026-12-04', ids: [box8.id, box8.id] }, { visitDate: '2026-02-30' }, { ids: [box8.id] }]) {
      assertRefusal(await reader.call('POST', '/api/v1/me/saved/submit', body), 400, 'FST_ERR_VALIDATION', JSON.stringify(body));
    }
  });

  it('answers an empty list with 404, and says so of a folder an import removed, which only removing clears', async () => {
    const reader = await makePerson(room, 'researcher');
    assertRefusal(await submit(reader, { visitDate: '2026-12-07' }), 404, 'NOT_FOUND');

    const diaries = ok<SavedItem>(await save(reader, { componentId: parts.get('f3')! }), 201);
    const box2 = ok<SavedItem>(await save(reader, { containerId: boxes.get('MS 300 Box 2')! }), 201);
    assert.equal(diaries.label, 'Diaries (Box 2)');
    // MS 300 imported again without its diaries: the folder is gone and Box 2 is withdrawn.
    await importFindingAid(ms300(false));
    const list = await listOf(reader);
    assert.deepEqual(list.map((item) => item.label), [`Component ${diaries.componentId}, no longer in the finding aid`, 'Box 2']);
    const before = await requestTablesSnapshot(room.db);
    assertRefusal(await submit(reader, { visitDate: '2026-12-07', ids: [diaries.id] }), 404, 'NOT_FOUND');
    assertRefusal(await submit(reader, { visitDate: '2026-12-07', ids: [box2.id] }), 422, 'CONTAINER_WITHDRAWN');
    assert.equal(await requestTablesSnapshot(room.db), before);
    assert.deepEqual(ok<SavedItem>(await save(reader, { containerId: boxes.get('MS 300 Box 2')! }), 200).id, box2.id, 'saved again: the item already there');
    const other = await makePerson(room, 'researcher');
    assertRefusal(await save(other, { containerId: boxes.get('MS 300 Box 2')! }), 422, 'CONTAINER_WITHDRAWN', 'a withdrawn box is not saved anew');
    assert.equal((await reader.call('DELETE', `/api/v1/me/saved/${diaries.id}`)).statusCode, 204);
    assert.deepEqual((await listOf(reader)).map((item) => item.id), [box2.id]);
  });
});
