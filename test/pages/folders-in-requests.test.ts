import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ok } from '../helpers/answers.ts';
import { makePerson, type Person } from '../helpers/people.ts';
import { signedInBrowser } from '../helpers/form-browser.ts';
import { startReadingRoom, THANKSGIVING_MORNING, type TestReadingRoom } from '../helpers/reading-room.ts';
import { testFindingAid } from './finding-aid-ead.ts';

// Requests by folder, as the curator and the paging staff read them: the curator's queue shows the
// folders wanted, the surrogate and why the researcher needs the original; the pick list, the
// printable list, the desk and a request's page show the folders wanted in each box.

const VISIT = '2026-12-01'; // the earliest visit date from Thanksgiving morning

describe('folders wanted, on the curator’s and the staff’s pages', { timeout: 60_000 }, () => {
  let room: TestReadingRoom;
  let staff: Person;
  let curator: Person;
  let reader: Person;
  let openRequest: number;
  let restrictedRequest: number;

  before(async () => {
    room = await startReadingRoom();
    const admin = await makePerson(room, 'admin', 'Ada Admin');
    staff = await makePerson(room, 'staff', 'Sam Staff');
    curator = await makePerson(room, 'curator', 'Clara Curator');
    reader = await makePerson(room, 'researcher', 'Rae Reader');
    const imported = await room.app.inject({
      method: 'POST',
      url: '/api/v1/collections/import',
      headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'application/xml' },
      payload: testFindingAid(),
    });
    const collectionId = (ok(imported, 201).collection as { id: number }).id;
    const [series] = ok(await room.app.inject({ method: 'GET', url: `/api/v1/collections/${collectionId}/components` })).items as { id: number }[];
    const files = ok(await room.app.inject({ method: 'GET', url: `/api/v1/collections/${collectionId}/components?parentId=${series!.id}` })).items as {
      id: number;
      title: string;
      containers: { containerId: number }[];
    }[];
    const file = (title: string) => files.find((f) => f.title === title)!;
    // Box 3 is sealed; give it a reference copy, so the researcher says why the original is needed.
    ok(await curator.call('PATCH', `/api/v1/containers/${file('Sealed letters').containers[0]!.containerId}`, { surrogate: { kind: 'reference_copy', note: 'Photocopies in Box 3A.', url: null } }));
    const made = ok(
      await reader.call('POST', '/api/v1/requests', {
        visitDate: VISIT,
        componentIds: [file('Letters from Paris').id, file('Sealed letters').id],
        originalReason: 'I need to see the watermarks <b>on the paper</b>.',
      }),
      201,
    ).items as { id: number; status: string; containerLabel: string }[];
    openRequest = made.find((r) => r.containerLabel === 'Box 1')!.id;
    restrictedRequest = made.find((r) => r.containerLabel === 'Box 3')!.id;
    assert.equal(made.find((r) => r.id === restrictedRequest)?.status, 'awaiting_approval');
  });

  after(async () => {
    await room?.close();
  });

  it('shows the curator the folders wanted, the surrogate and the researcher’s reason for the original', async () => {
    const desk = await signedInBrowser(room.app, curator.email, curator.password);
    const page = await desk.get('/review');
    const item = new RegExp(`<li id="request-${restrictedRequest}">([\\s\\S]*?)</li>\\s*(?:<li id=|</ol>)`).exec(page.body)?.[1] ?? '';
    assert.match(item, /<dt>Folders wanted<\/dt><dd><ul class="plain"><li>Sealed letters \(Folder 2\)<\/li><\/ul><\/dd>/);
    assert.match(item, /<dt>Surrogate<\/dt><dd>Reference copy: Photocopies in Box 3A\.<\/dd>/);
    assert.match(item, /<dt>Why the original<\/dt><dd class="original-reason">I need to see the watermarks &lt;b&gt;on the paper&lt;\/b&gt;\.<\/dd>/);
  });

  it('shows staff the folders wanted in each box: the pick list, the printable list and the request’s page', async () => {
    const desk = await signedInBrowser(room.app, staff.email, staff.password);
    const folders = `<ul class="plain folders" aria-label="Folders wanted"><li>Letters from Paris \\(Folder 3\\)</li></ul>`;
    const sheet = await desk.get(`/paging?date=${VISIT}`);
    assert.match(sheet.body, new RegExp(`<tr id="request-${openRequest}">[\\s\\S]*?>Box 1</a>${folders}</td>`));
    const paper = await desk.get(`/paging/print?date=${VISIT}`);
    assert.match(paper.body, new RegExp(`<strong>Box 1</strong>${folders}</td>`));
    const request = await desk.get(`/desk/requests/${openRequest}`);
    assert.match(request.body, new RegExp(`<dt>Box</dt><dd>Box 1${folders}</dd>`));
  });

  it('shows the desk the folders wanted on the day of the visit', async () => {
    room.setNow(new Date('2026-12-01T15:00:00Z'));
    try {
      const desk = await signedInBrowser(room.app, staff.email, staff.password);
      const page = await desk.get(`/desk?q=${encodeURIComponent(reader.email)}`);
      assert.match(page.body, /Letters from Paris \(Folder 3\)/);
      assert.match(page.body, new RegExp(`<a href="/desk/requests/${openRequest}">Box 1</a><ul class="plain folders" aria-label="Folders wanted">`));
    } finally {
      room.setNow(THANKSGIVING_MORNING);
    }
  });
});
