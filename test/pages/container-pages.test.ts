import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ok } from '../helpers/answers.ts';
import { makePerson, type Person } from '../helpers/people.ts';
import { signedInBrowser, type FormBrowser } from '../helpers/form-browser.ts';
import { startReadingRoom, type TestReadingRoom } from '../helpers/reading-room.ts';
import { testFindingAid } from './finding-aid-ead.ts';

// The containers of a collection, as staff, curators and admins see and change them: each role is
// offered the forms of its own fields, and a forged post of another's is refused by the domain.

interface Container {
  id: number;
  label: string;
  barcode: string | null;
  location: string | null;
  restricted: boolean;
  restrictionNote: string | null;
  surrogate: { kind: string; note: string | null; url: string | null } | null;
}

describe('the container pages', { timeout: 60_000 }, () => {
  let room: TestReadingRoom;
  let admin: Person;
  let staff: Person;
  let curator: Person;
  let researcher: Person;
  const as: Record<'admin' | 'staff' | 'curator', FormBrowser> = {} as never;
  let collectionId: number;
  const box: Record<string, number> = {};

  const containerOf = async (label: string): Promise<Container> =>
    (ok(await room.app.inject({ method: 'GET', url: `/api/v1/collections/${collectionId}/containers` })).items as Container[]).find((c) => c.label === label)!;

  before(async () => {
    room = await startReadingRoom();
    admin = await makePerson(room, 'admin', 'Ada Admin');
    staff = await makePerson(room, 'staff', 'Sam Staff');
    curator = await makePerson(room, 'curator', 'Clara Curator');
    researcher = await makePerson(room, 'researcher', 'Rae Reader');
    const answer = await room.app.inject({
      method: 'POST',
      url: '/api/v1/collections/import',
      headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'application/xml' },
      payload: testFindingAid(),
    });
    collectionId = (ok(answer, 201).collection as { id: number }).id;
    for (const c of ok(await room.app.inject({ method: 'GET', url: `/api/v1/collections/${collectionId}/containers` })).items as Container[]) box[c.label] = c.id;
    for (const person of [admin, staff, curator]) as[person.role as 'admin' | 'staff' | 'curator'] = await signedInBrowser(room.app, person.email, person.password);
  });

  after(async () => {
    await room?.close();
  });

  it('lists the collections in the staff and curator navigation, each leading to its containers', async () => {
    for (const role of ['staff', 'curator', 'admin'] as const) {
      const page = await as[role].get('/containers');
      assert.equal(page.statusCode, 200, role);
      assert.match(page.body, /<a href="\/containers" aria-current="page">Containers<\/a>/, role);
      assert.match(page.body, new RegExp(`<a href="/collections/${collectionId}/containers">TEST MSS 1</a> · Papers of Tess Tester`), role);
    }
    const found = await as.staff.get('/containers?q=tess');
    assert.match(found.body, /TEST MSS 1/);
    assert.doesNotMatch(found.body, /GEN MSS 238/);
    const reader = await signedInBrowser(room.app, researcher.email, researcher.password);
    assert.equal((await reader.get('/containers')).statusCode, 403);
    assert.equal((await reader.get(`/containers/${box['Box 1']}`)).statusCode, 403);
  });

  it('shows each container: barcode, location, restriction (why, until when, by whom), surrogate; and the access notes as read', async () => {
    const page = await as.curator.get(`/collections/${collectionId}/containers`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<h1>Containers of TEST MSS 1<\/h1>/);
    const row = (label: string) => new RegExp(`<tr id="container-${box[label]}">([\\s\\S]*?)</tr>`).exec(page.body)?.[1] ?? '';
    assert.match(row('Box 1'), /<td data-label="Location">Not recorded<\/td>/);
    assert.match(row('Box 1'), /<td data-label="Restriction">\s*Open\s*<\/td>/);
    assert.match(row('Box 2'), /Restricted until Sunday 1 January 2045<\/span>: Closed until 2045\.\s*<span class="hint">\(from the finding aid\)<\/span>/);
    assert.match(row('Box 3'), /Restricted<\/span>: Sealed by the donor\./);
    assert.match(row('Box 1'), /<td data-label="Surrogate">None<\/td>/);
    const texts = [...page.body.matchAll(/<td data-label="Access note">([^<]*)<\/td>\s*<td data-label="Read as">([^<]*)<\/td>\s*<td data-label="Components">(\d+)<\/td>/g)].map((m) => m.slice(1));
    assert.deepEqual(texts, [
      ['Closed until 2045.', 'Restricted until Sunday 1 January 2045', '1'],
      ['This folder is open.', 'Open', '1'],
      ['Sealed by the donor.', 'Restricted, no end stated', '1'],
    ]);
  });

  it('offers each role the forms of its own fields only', async () => {
    const forms = (body: string) => [...body.matchAll(/action="\/containers\/\d+\/(\w+)"/g)].map((m) => m[1]);
    assert.deepEqual(forms((await as.curator.get(`/containers/${box['Box 1']}`)).body), ['restriction', 'surrogate']);
    assert.deepEqual(forms((await as.staff.get(`/containers/${box['Box 1']}`)).body), ['shelf']);
    assert.deepEqual(forms((await as.admin.get(`/containers/${box['Box 1']}`)).body), ['restriction', 'surrogate', 'shelf']);
  });

  it('lets a curator restrict with a note, lift it, and set and remove a surrogate', async () => {
    await as.curator.get(`/containers/${box['Box 1']}`);
    const restricted = await as.curator.follow(await as.curator.post(`/containers/${box['Box 1']}/restriction`, { restricted: 'true', note: 'Fragile: handle with the curator.' }));
    assert.match(restricted.body, /role="status">The container is restricted/);
    assert.match(restricted.body, /Restricted<\/span>: Fragile: handle with the curator\.\s*<span class="hint">\(a curator’s decision\)<\/span>/);
    assert.equal((await containerOf('Box 1')).restrictionNote, 'Fragile: handle with the curator.');

    const lifted = await as.curator.follow(await as.curator.post(`/containers/${box['Box 2']}/restriction`, { restricted: 'false', note: '' }));
    assert.match(lifted.body, /role="status">The restriction is lifted/);
    assert.match(lifted.body, /Open <span class="hint">\(a curator lifted the restriction\)<\/span>/);
    assert.equal((await containerOf('Box 2')).restricted, false);

    const saved = await as.curator.follow(
      await as.curator.post(`/containers/${box['Box 1']}/surrogate`, { action: 'save', kind: 'microfilm', note: 'Reel 4', url: 'https://example.org/reel-4' }),
    );
    assert.match(saved.body, /role="status">The surrogate is saved/);
    assert.match(saved.body, /Microfilm: Reel 4 <a href="https:\/\/example.org\/reel-4">\(open it\)<\/a>/);
    assert.deepEqual((await containerOf('Box 1')).surrogate, { kind: 'microfilm', note: 'Reel 4', url: 'https://example.org/reel-4' });

    const badUrl = await as.curator.post(`/containers/${box['Box 1']}/surrogate`, { action: 'save', kind: 'digital', note: '', url: 'javascript:alert(1)' });
    assert.equal(badUrl.statusCode, 400);
    assert.match(badUrl.body, /role="alert">Give the surrogate’s web address in full/);
    assert.equal((await containerOf('Box 1')).surrogate?.kind, 'microfilm', 'nothing changed');

    const removed = await as.curator.follow(await as.curator.post(`/containers/${box['Box 1']}/surrogate`, { action: 'remove', kind: 'microfilm' }));
    assert.match(removed.body, /role="status">The surrogate is removed/);
    assert.equal((await containerOf('Box 1')).surrogate, null);
  });

  it('lets staff set the location and barcode (empty: none, and the finding aid’s barcode again)', async () => {
    await as.staff.get(`/containers/${box['Box 3']}`);
    const saved = await as.staff.follow(await as.staff.post(`/containers/${box['Box 3']}/shelf`, { location: 'Vault B, shelf 4', barcode: '39002012345678' }));
    assert.match(saved.body, /role="status">The location and barcode are saved/);
    assert.match(saved.body, /<dt>Location<\/dt><dd>Vault B, shelf 4<\/dd>/);
    assert.deepEqual([(await containerOf('Box 3')).location, (await containerOf('Box 3')).barcode], ['Vault B, shelf 4', '39002012345678']);

    await as.staff.follow(await as.staff.post(`/containers/${box['Box 3']}/shelf`, { location: '', barcode: '' }));
    assert.deepEqual([(await containerOf('Box 3')).location, (await containerOf('Box 3')).barcode], [null, null]);
  });

  it('lets an admin change every field', async () => {
    await as.admin.get(`/containers/${box['Box 3']}`);
    assert.equal((await as.admin.post(`/containers/${box['Box 3']}/shelf`, { location: 'Stack 1', barcode: '' })).statusCode, 303);
    assert.equal((await as.admin.post(`/containers/${box['Box 3']}/restriction`, { restricted: 'false' })).statusCode, 303);
    assert.equal((await as.admin.post(`/containers/${box['Box 3']}/surrogate`, { action: 'save', kind: 'digital', url: '' })).statusCode, 303);
    const after = await containerOf('Box 3');
    assert.deepEqual([after.location, after.restricted, after.surrogate?.kind], ['Stack 1', false, 'digital']);
  });

  it('refuses a forged post of a field outside the role with the domain’s FORBIDDEN, shown on the page; nothing changed', async () => {
    const before = await containerOf('Box 2');
    await as.staff.get(`/containers/${box['Box 2']}`);
    const byStaff = await as.staff.post(`/containers/${box['Box 2']}/restriction`, { restricted: 'true', note: 'Forged' });
    assert.equal(byStaff.statusCode, 403);
    assert.match(byStaff.headers['content-type'] as string, /text\/html/);
    assert.match(byStaff.body, /role="alert">A staff may not change restricted, restrictionNote of a container\./);
    const surrogateByStaff = await as.staff.post(`/containers/${box['Box 2']}/surrogate`, { action: 'save', kind: 'digital' });
    assert.equal(surrogateByStaff.statusCode, 403);

    await as.curator.get(`/containers/${box['Box 2']}`);
    const byCurator = await as.curator.post(`/containers/${box['Box 2']}/shelf`, { location: 'Forged', barcode: '' });
    assert.equal(byCurator.statusCode, 403);
    assert.match(byCurator.body, /role="alert">A curator may not change location, barcode of a container\./);
    assert.deepEqual(await containerOf('Box 2'), before);
  });

  it('refuses a post without the CSRF token, and says so for a container that does not exist', async () => {
    const forged = await as.curator.post(`/containers/${box['Box 2']}/restriction`, { restricted: 'true' }, { csrf: false });
    assert.equal(forged.statusCode, 403);
    assert.equal(forged.json().code, 'CSRF_INVALID');
    assert.equal((await as.curator.get('/containers/999999')).statusCode, 404);
    await as.curator.get(`/containers/${box['Box 2']}`);
    assert.equal((await as.curator.post('/containers/999999/restriction', { restricted: 'true' })).statusCode, 404);
  });
});
