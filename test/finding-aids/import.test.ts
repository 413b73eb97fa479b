import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startReadingRoom, type TestReadingRoom } from '../helpers/reading-room.ts';
import { makePerson, type Person } from '../helpers/people.ts';
import { assertRefusal, ok } from '../helpers/answers.ts';
import { tablesChecksum } from '../helpers/stored-rows.ts';
import { eadDocument, fileComponent } from '../helpers/ead-documents.ts';

// The import through the API: re-imports in place, withdrawn containers, what curators and staff
// set kept, refusals that change nothing.

let room: TestReadingRoom;
let admin: Person;
let curator: Person;
let staff: Person;
let researcher: Person;

before(async () => {
  room = await startReadingRoom();
  [admin, curator, staff, researcher] = await Promise.all([
    makePerson(room, 'admin'),
    makePerson(room, 'curator'),
    makePerson(room, 'staff'),
    makePerson(room, 'researcher'),
  ]);
});
after(() => room.close());

const importXml = (xml: string | Buffer, person: Person = admin, contentType = 'application/xml') =>
  room.app.inject({
    method: 'POST',
    url: '/api/v1/collections/import',
    headers: { authorization: `Bearer ${person.token}`, 'content-type': contentType },
    payload: xml,
  });

interface ImportAnswer {
  collection: { id: number; callNumber: string; componentCount: number };
  created: boolean;
  components: number;
  containers: { added: number; updated: number; unchanged: number; withdrawn: number };
  restricted: number;
  restrictionTexts: { text: string; reading: string; components: number }[];
  warnings: string[];
}

interface Container {
  id: number;
  label: string;
  restricted: boolean;
  restrictionNote: string | null;
  location: string | null;
  barcode: string | null;
  withdrawn: boolean;
  surrogate: unknown;
}

async function containersOf(collectionId: number): Promise<Container[]> {
  return ok<{ items: Container[] }>(await room.app.inject({ method: 'GET', url: `/api/v1/collections/${collectionId}/containers` })).items;
}

const threeBoxes = eadDocument({
  callNumber: 'MS 100',
  eadId: 'ms-100',
  dsc:
    fileComponent('f1', 'Letters, 1901', '<container id="a1" type="Box">1</container><container parent="a1" type="Folder">1</container>') +
    fileComponent('f2', 'Letters, 1902', '<container id="a2" type="Box">2</container><container parent="a2" type="Folder">2-3</container>') +
    fileComponent('f3', 'Diary', '<container id="a3" type="Box">3</container>', '<accessrestrict><p>Closed until 2090.</p></accessrestrict>'),
});

describe('importing a finding aid', () => {
  let collectionId: number;

  it('makes a collection with its components and containers (201), restricted from its notes', async () => {
    const result = ok<ImportAnswer>(await importXml(threeBoxes), 201);
    collectionId = result.collection.id;
    assert.equal(result.created, true);
    assert.equal(result.components, 3);
    assert.equal(result.collection.componentCount, 3);
    assert.deepEqual(result.containers, { added: 3, updated: 0, unchanged: 0, withdrawn: 0 });
    assert.equal(result.restricted, 1);
    assert.deepEqual(result.restrictionTexts, [{ text: 'Closed until 2090.', reading: 'until 2090-01-01', components: 1 }]);
    const boxes = await containersOf(collectionId);
    assert.deepEqual(
      boxes.map((b) => [b.label, b.restricted, b.location, b.withdrawn]),
      [
        ['Box 1', false, null, false],
        ['Box 2', false, null, false],
        ['Box 3', true, null, false],
      ],
    );
  });

  it('a second import of the same document changes nothing (200, every container unchanged, ids kept)', async () => {
    const before = await containersOf(collectionId);
    const result = ok<ImportAnswer>(await importXml(threeBoxes, admin, 'text/xml; charset=UTF-8'), 200);
    assert.equal(result.created, false);
    assert.deepEqual(result.containers, { added: 0, updated: 0, unchanged: 3, withdrawn: 0 });
    assert.deepEqual(await containersOf(collectionId), before);
  });

  it('keeps what staff and curators set across imports', async () => {
    const [box1, box2] = await containersOf(collectionId);
    ok(await staff.call('PATCH', `/api/v1/containers/${box1!.id}`, { location: 'Stack 1, Shelf 2', barcode: '39002000000001' }));
    ok(await curator.call('PATCH', `/api/v1/containers/${box2!.id}`, { restricted: true, restrictionNote: 'Fragile: use the microfilm.', surrogate: { kind: 'microfilm', note: 'Reel 4', url: null } }));
    const result = ok<ImportAnswer>(await importXml(threeBoxes), 200);
    assert.deepEqual(result.containers, { added: 0, updated: 0, unchanged: 3, withdrawn: 0 });
    const [after1, after2] = await containersOf(collectionId);
    assert.equal(after1!.location, 'Stack 1, Shelf 2');
    assert.equal(after1!.barcode, '39002000000001');
    assert.equal(after2!.restricted, true);
    assert.equal(after2!.restrictionNote, 'Fragile: use the microfilm.');
    assert.deepEqual(after2!.surrogate, { kind: 'microfilm', note: 'Reel 4', url: null });
  });

  it('withdraws a container gone from the document, and brings it back when it returns', async () => {
    const twoBoxes = eadDocument({
      callNumber: 'MS 100',
      eadId: 'ms-100',
      dsc:
        fileComponent('f1', 'Letters, 1901', '<container id="a1" type="Box">1</container><container parent="a1" type="Folder">1</container>') +
        fileComponent('f2', 'Letters, 1902', '<container id="a2" type="Box">2</container><container parent="a2" type="Folder">2-3</container>'),
    });
    const gone = ok<ImportAnswer>(await importXml(twoBoxes));
    assert.deepEqual(gone.containers, { added: 0, updated: 0, unchanged: 2, withdrawn: 1 });
    const box3 = (await containersOf(collectionId)).find((c) => c.label === 'Box 3')!;
    assert.equal(box3.withdrawn, true);

    assertRefusal(await researcher.call('POST', '/api/v1/requests', { visitDate: '2026-12-02', containerIds: [box3.id] }), 422, 'CONTAINER_WITHDRAWN');

    const again = ok<ImportAnswer>(await importXml(twoBoxes));
    assert.deepEqual(again.containers, { added: 0, updated: 0, unchanged: 2, withdrawn: 0 }, 'withdrawn once, not again');

    const back = ok<ImportAnswer>(await importXml(threeBoxes));
    assert.deepEqual(back.containers, { added: 0, updated: 1, unchanged: 2, withdrawn: 0 }, 'a withdrawn container coming back is updated');
    assert.equal((await containersOf(collectionId)).find((c) => c.label === 'Box 3')!.id, box3.id);
  });

  it('keeps a component id while its refId is unchanged', async () => {
    const top = ok<{ items: { id: number; refId: string | null; title: string }[] }>(
      await room.app.inject({ method: 'GET', url: `/api/v1/collections/${collectionId}/components` }),
    ).items;
    ok(await importXml(threeBoxes));
    const again = ok<{ items: { id: number; refId: string | null }[] }>(
      await room.app.inject({ method: 'GET', url: `/api/v1/collections/${collectionId}/components` }),
    ).items;
    assert.deepEqual(again.map((c) => [c.refId, c.id]), top.map((c) => [c.refId, c.id]));
  });
});

describe('refused imports change nothing', () => {
  const hostile: [string, string | Buffer, number, string][] = [
    [
      'billion laughs',
      '<?xml version="1.0"?><!DOCTYPE ead [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><ead><eadheader><eadid>x</eadid></eadheader><archdesc><did><unitid>LOL 1</unitid><unittitle>&c;</unittitle></did></archdesc></ead>',
      400,
      'INVALID_EAD',
    ],
    [
      'an external entity (a file)',
      '<?xml version="1.0"?><!DOCTYPE ead [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><ead><eadheader><eadid>x</eadid></eadheader><archdesc><did><unitid>XXE 1</unitid><unittitle>&xxe;</unittitle></did></archdesc></ead>',
      400,
      'INVALID_EAD',
    ],
    [
      'an external entity (a URL)',
      '<?xml version="1.0"?><!DOCTYPE ead [<!ENTITY xxe SYSTEM "http://127.0.0.1:9/secret">]><ead><eadheader><eadid>x</eadid></eadheader><archdesc><did><unitid>XXE 2</unitid><unittitle>&xxe;</unittitle></did></archdesc></ead>',
      400,
      'INVALID_EAD',
    ],
    [
      'components nested 65 deep',
      eadDocument({ callNumber: 'DEEP 1', eadId: 'deep', dsc: '<c><did><unittitle>x</unittitle></did>'.repeat(65) + '</c>'.repeat(65) }),
      400,
      'INVALID_EAD',
    ],
    ['truncated XML', threeBoxes.slice(0, threeBoxes.length / 2), 400, 'INVALID_EAD'],
    ['an HTML page', '<!DOCTYPE html><html><head><title>Finding aid</title></head><body><p>Not EAD<br></body></html>', 400, 'INVALID_EAD'],
    ['an empty body', '', 400, 'INVALID_EAD'],
    ['a body over IMPORT_MAX_BYTES', Buffer.alloc(60 * 1024 * 1024, ' '), 413, 'FST_ERR_CTP_BODY_TOO_LARGE'],
  ];
  for (const [what, body, status, code] of hostile) {
    it(`${what}: ${status} ${code}`, async () => {
      const checksum = await tablesChecksum(room.db);
      const answer = assertRefusal(await importXml(body), status, code);
      assert.doesNotMatch(String(answer.message), /root:|at \w+ \(/, 'no file content, no stack trace');
      assert.equal(await tablesChecksum(room.db), checksum, 'every table as it was');
    });
  }

  it('a call number taken by another finding aid (another eadid): 409 CALL_NUMBER_TAKEN', async () => {
    const checksum = await tablesChecksum(room.db);
    assertRefusal(await importXml(eadDocument({ callNumber: 'MS 100', eadId: 'someone-else', dsc: fileComponent('x', 'X', '<container type="Box">9</container>') })), 409, 'CALL_NUMBER_TAKEN');
    assert.equal(await tablesChecksum(room.db), checksum);
  });

  it('only admins import; JSON is not a finding aid', async () => {
    assertRefusal(await importXml(threeBoxes, curator), 403, 'FORBIDDEN');
    assertRefusal(await importXml(threeBoxes, staff), 403, 'FORBIDDEN');
    assertRefusal(await importXml(JSON.stringify({ ead: 1 }), admin, 'application/json'), 415, 'FST_ERR_CTP_INVALID_MEDIA_TYPE');
  });
});

describe('container edits by role', () => {
  it('a field outside the caller’s role is 403 FORBIDDEN and changes nothing; an unknown container is 404', async () => {
    const [box] = await containersOf(ok<ImportAnswer>(await importXml(threeBoxes)).collection.id);
    const checksum = await tablesChecksum(room.db);
    assertRefusal(await staff.call('PATCH', `/api/v1/containers/${box!.id}`, { restricted: true }), 403, 'FORBIDDEN');
    assertRefusal(await curator.call('PATCH', `/api/v1/containers/${box!.id}`, { location: 'Vault' }), 403, 'FORBIDDEN');
    assertRefusal(await curator.call('PATCH', `/api/v1/containers/${box!.id}`, { restricted: true, location: 'Vault' }), 403, 'FORBIDDEN');
    assertRefusal(await researcher.call('PATCH', `/api/v1/containers/${box!.id}`, { location: 'Vault' }), 403, 'FORBIDDEN');
    assertRefusal(await admin.call('PATCH', '/api/v1/containers/999999', { location: 'Vault' }), 404, 'NOT_FOUND');
    // A surrogate's address becomes a link: a script or a page of another scheme is no surrogate.
    for (const url of ['javascript:alert(document.cookie)', 'data:text/html,<script>alert(1)</script>', 'https://example.org/a page']) {
      assertRefusal(await curator.call('PATCH', `/api/v1/containers/${box!.id}`, { surrogate: { kind: 'digital', note: null, url } }), 400, 'FST_ERR_VALIDATION', url);
    }
    assert.equal(await tablesChecksum(room.db), checksum);
    const edited = ok<Container>(await admin.call('PATCH', `/api/v1/containers/${box!.id}`, { location: 'Vault', restricted: false }));
    assert.equal(edited.location, 'Vault');
  });
});

describe('a restriction with an end', () => {
  it('lifts by itself on its day: restricted for requests before it, open from it', async () => {
    const dated = eadDocument({
      callNumber: 'MS 300',
      eadId: 'ms-300',
      dsc: fileComponent('d1', 'Diaries', '<container type="Box">1</container>', '<accessrestrict><p>Restricted until January 2027.</p></accessrestrict>'),
    });
    const { collection } = ok<ImportAnswer>(await importXml(dated), 201);
    const [box] = await containersOf(collection.id);
    assert.equal(box!.restricted, true, 'restricted today (2026-11-26)');
    const researcher = await makePerson(room, 'researcher');
    const before = ok<{ items: { status: string }[] }>(await researcher.call('POST', '/api/v1/requests', { visitDate: '2026-12-30', containerIds: [box!.id] }), 201);
    assert.equal(before.items[0]!.status, 'awaiting_approval', 'a visit before 2027-01-01 needs a curator');
    const after = ok<{ items: { status: string; restricted: boolean }[] }>(await researcher.call('POST', '/api/v1/requests', { visitDate: '2027-01-04', containerIds: [box!.id] }), 201);
    assert.deepEqual([after.items[0]!.status, after.items[0]!.restricted], ['scheduled', false], 'from 2027-01-01 the box is open');
  });
});
