import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startReadingRoom, type TestReadingRoom } from '../helpers/reading-room.ts';
import { makePerson, type Person } from '../helpers/people.ts';
import { assertRefusal, ok } from '../helpers/answers.ts';
import { requestTablesSnapshot } from '../helpers/stored-rows.ts';
import { eadDocument, fileComponent, seriesComponent } from '../helpers/ead-documents.ts';

// Requests by folder and series (docs/finding-aids.md): each component stands for its boxes,
// one request per box lists the components wanted in it, the booking rules count boxes.

const box = (n: number, folder?: string) => `<container type="Box">${n}</container>${folder ? `<container type="Folder">${folder}</container>` : ''}`;

const findingAid = eadDocument({
  callNumber: 'MS 200',
  eadId: 'ms-200',
  dsc:
    seriesComponent('s1', 'Correspondence', fileComponent('f1', 'Letters to Breton', box(1, '1')) + fileComponent('f2', 'Letters to Gide', box(1, '2')) + fileComponent('f3', 'Letters to Guérin', box(2, '1'))) +
    seriesComponent('s2', 'Writings', fileComponent('f4', 'Drafts', '') + fileComponent('f5', 'Proofs', ''), box(3)) +
    seriesComponent('s3', 'Unhoused notes', fileComponent('f6', 'Loose notes', '')) +
    seriesComponent('s4', 'Clippings', Array.from({ length: 11 }, (_, i) => fileComponent(`c${i}`, `Clippings ${i}`, box(10 + i))).join('')),
});

interface Component {
  id: number;
  refId: string | null;
  childCount: number;
}
interface RequestAnswer {
  id: number;
  containerId: number;
  containerLabel: string;
  status: string;
  components: { id: number; title: string; folder: string | null }[];
  originalReason: string | null;
}

let room: TestReadingRoom;
let admin: Person;
let curator: Person;
let staff: Person;
const ids = new Map<string, number>();
const boxIds = new Map<string, number>();
let dateCount = 0;
/** A fresh open visit date for each case, so requests of one case do not meet another's. */
const visitDates = ['2026-12-01', '2026-12-02', '2026-12-03', '2026-12-04', '2026-12-07', '2026-12-08', '2026-12-09', '2026-12-10', '2026-12-11', '2026-12-14'];
const nextDate = () => visitDates[dateCount++]!;

before(async () => {
  room = await startReadingRoom();
  [admin, curator, staff] = await Promise.all([makePerson(room, 'admin'), makePerson(room, 'curator'), makePerson(room, 'staff')]);
  const imported = ok<{ collection: { id: number } }>(
    await room.app.inject({
      method: 'POST',
      url: '/api/v1/collections/import',
      headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'application/xml' },
      payload: findingAid,
    }),
    201,
  );
  const collectionId = imported.collection.id;
  const walk = async (parentId?: number) => {
    const url = `/api/v1/collections/${collectionId}/components${parentId ? `?parentId=${parentId}` : ''}`;
    for (const c of ok<{ items: Component[] }>(await room.app.inject({ method: 'GET', url })).items) {
      ids.set(c.refId!, c.id);
      if (c.childCount > 0) await walk(c.id);
    }
  };
  await walk();
  for (const c of ok<{ items: { id: number; label: string }[] }>(await room.app.inject({ method: 'GET', url: `/api/v1/collections/${collectionId}/containers` })).items) {
    boxIds.set(c.label, c.id);
  }
});
after(() => room.close());

const component = (refId: string) => ids.get(refId)!;
const ask = (person: Person, body: Record<string, unknown>) => person.call('POST', '/api/v1/requests', body);

describe('requests by folder and series', () => {
  it('folders in one box make one request for the box, listing both folders', async () => {
    const researcher = await makePerson(room, 'researcher');
    const { items } = ok<{ items: RequestAnswer[] }>(await ask(researcher, { visitDate: nextDate(), componentIds: [component('f1'), component('f2')] }), 201);
    assert.equal(items.length, 1);
    assert.equal(items[0]!.containerLabel, 'Box 1');
    assert.deepEqual(items[0]!.components, [
      { id: component('f1'), title: 'Letters to Breton', folder: 'Folder 1' },
      { id: component('f2'), title: 'Letters to Gide', folder: 'Folder 2' },
    ]);
  });

  it('a series without boxes of its own stands for its descendants’ boxes', async () => {
    const researcher = await makePerson(room, 'researcher');
    const { items } = ok<{ items: RequestAnswer[] }>(await ask(researcher, { visitDate: nextDate(), componentIds: [component('s1')] }), 201);
    assert.deepEqual(items.map((r) => r.containerLabel).sort(), ['Box 1', 'Box 2']);
    for (const r of items) assert.deepEqual(r.components, [{ id: component('s1'), title: 'Correspondence', folder: null }]);
  });

  it('a file without boxes stands for its nearest ancestor’s, without a folder', async () => {
    const researcher = await makePerson(room, 'researcher');
    const { items } = ok<{ items: RequestAnswer[] }>(await ask(researcher, { visitDate: nextDate(), componentIds: [component('f4')] }), 201);
    assert.deepEqual(items.map((r) => [r.containerLabel, r.components]), [['Box 3', [{ id: component('f4'), title: 'Drafts', folder: null }]]]);
  });

  it('components merge with containers asked for by id: one request per box', async () => {
    const researcher = await makePerson(room, 'researcher');
    const { items } = ok<{ items: RequestAnswer[] }>(
      await ask(researcher, { visitDate: nextDate(), containerIds: [boxIds.get('Box 3')!, boxIds.get('Box 1')!], componentIds: [component('f1'), component('f5')] }),
      201,
    );
    const byBox = Object.fromEntries(items.map((r) => [r.containerLabel, r.components.map((c) => c.id)]));
    assert.deepEqual(byBox, { 'Box 1': [component('f1')], 'Box 3': [component('f5')] });
  });

  it('the daily limit counts boxes, not components', async () => {
    const researcher = await makePerson(room, 'researcher');
    const before = await requestTablesSnapshot(room.db);
    assertRefusal(await ask(researcher, { visitDate: nextDate(), componentIds: [component('s4')] }), 422, 'REQUEST_LIMIT_EXCEEDED');
    assert.equal(await requestTablesSnapshot(room.db), before);
  });

  it('refusals in order: an unknown component (404) before one housed nowhere (422 NOT_REQUESTABLE); a box already requested is a duplicate', async () => {
    const researcher = await makePerson(room, 'researcher');
    const date = nextDate();
    const before = await requestTablesSnapshot(room.db);
    assertRefusal(await ask(researcher, { visitDate: date, componentIds: [component('f6'), 999_999] }), 404, 'NOT_FOUND');
    assertRefusal(await ask(researcher, { visitDate: date, componentIds: [component('f6')] }), 422, 'NOT_REQUESTABLE');
    assertRefusal(await ask(researcher, { visitDate: date, componentIds: [component('s3')] }), 422, 'NOT_REQUESTABLE');
    assertRefusal(await ask(researcher, { visitDate: date }), 400, 'FST_ERR_VALIDATION');
    assertRefusal(await ask(researcher, { visitDate: '2026-11-27', componentIds: [999_999] }), 422, 'VISIT_TOO_SOON');
    assert.equal(await requestTablesSnapshot(room.db), before);
    ok(await ask(researcher, { visitDate: date, componentIds: [component('f1')] }), 201);
    assertRefusal(await ask(researcher, { visitDate: date, componentIds: [component('f2')] }), 409, 'DUPLICATE_REQUEST');
  });

  it('the pick list shows the folders wanted in each box', async () => {
    const researcher = await makePerson(room, 'researcher');
    const date = nextDate();
    ok(await ask(researcher, { visitDate: date, componentIds: [component('f3')] }), 201);
    const { items } = ok<{ items: { containerLabel: string; components: unknown }[] }>(await staff.call('GET', `/api/v1/paging/pick-list?date=${date}`));
    assert.deepEqual(items.find((i) => i.containerLabel === 'Box 2')?.components, [{ id: component('f3'), title: 'Letters to Guérin', folder: 'Folder 1' }]);
  });

  it('a restricted box with a surrogate: the researcher says why the original is needed, and the curator reads it', async () => {
    ok(await curator.call('PATCH', `/api/v1/containers/${boxIds.get('Box 2')!}`, { restricted: true, restrictionNote: 'Fragile.', surrogate: { kind: 'digital', note: 'Scanned in 2020', url: 'https://example.org/scans/2' } }));
    const researcher = await makePerson(room, 'researcher');
    const { items } = ok<{ items: RequestAnswer[] }>(
      await ask(researcher, { visitDate: nextDate(), componentIds: [component('f3')], originalReason: 'The watermark is not visible in the scan.' }),
      201,
    );
    assert.equal(items[0]!.status, 'awaiting_approval');
    assert.equal(items[0]!.originalReason, 'The watermark is not visible in the scan.');
    const seen = ok<RequestAnswer>(await curator.call('GET', `/api/v1/requests/${items[0]!.id}`));
    assert.equal(seen.originalReason, 'The watermark is not visible in the scan.');
  });
});
