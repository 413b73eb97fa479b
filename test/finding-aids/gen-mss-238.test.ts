import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { startReadingRoom, type TestReadingRoom } from '../helpers/reading-room.ts';
import { makePerson, type Person } from '../helpers/people.ts';
import { ok } from '../helpers/answers.ts';

// GEN MSS 238 as EAD (db/seed/gen-mss-238.xml, written from the seed's finding aid), imported
// over the seeded collection: the same collection and boxes, restricted by the collection-level
// note alone.

interface Container {
  id: number;
  type: string;
  indicator: string;
  label: string;
  location: string | null;
  restricted: boolean;
  restrictionNote: string | null;
  surrogate: unknown;
}

let room: TestReadingRoom;
let admin: Person;
before(async () => {
  room = await startReadingRoom();
  admin = await makePerson(room, 'admin');
});
after(() => room.close());

const containersOf = async (id: number) =>
  ok<{ items: Container[] }>(await room.app.inject({ method: 'GET', url: `/api/v1/collections/${id}/containers` })).items;

describe('GEN MSS 238 imported over the seeded collection', () => {
  it('updates it in place: same collection, same container ids, boxes 23–27 and the broadside restricted from the collection-level note', async () => {
    const seeded = ok<{ items: { id: number }[] }>(await room.app.inject({ method: 'GET', url: '/api/v1/collections?callNumber=GEN%20MSS%20238' })).items[0]!;
    const before = await containersOf(seeded.id);
    const answer = await room.app.inject({
      method: 'POST',
      url: '/api/v1/collections/import',
      headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'application/xml' },
      payload: readFileSync(new URL('../../db/seed/gen-mss-238.xml', import.meta.url)),
    });
    const result = ok<{ created: boolean; collection: { id: number }; containers: { added: number; updated: number; unchanged: number; withdrawn: number }; restricted: number }>(answer, 200);
    assert.equal(result.created, false);
    assert.equal(result.collection.id, seeded.id);
    assert.equal(result.containers.added, 0, 'no box is new');
    assert.equal(result.containers.withdrawn, 0, 'no box is gone');
    assert.equal(result.containers.added + result.containers.updated + result.containers.unchanged, 29);
    assert.equal(result.restricted, 6);

    const after = await containersOf(seeded.id);
    const key = (c: Container) => `${c.type} ${c.indicator}`;
    assert.deepEqual(new Map(after.map((c) => [key(c), c.id])), new Map(before.map((c) => [key(c), c.id])), 'every container keeps its id');
    assert.deepEqual(after.filter((c) => c.restricted).map((c) => c.label), ['Box 23', 'Box 24', 'Box 25', 'Box 26', 'Box 27', 'Broadside 1']);
    for (const c of after.filter((c) => c.restricted)) assert.match(c.restrictionNote ?? '', /Restricted fragile material/, c.label);
    const broadside = after.find((c) => c.type === 'broadside')!;
    assert.equal(broadside.label, 'Broadside 1', 'the import relabels the seeded broadside');
    // What the import never writes stays: locations and the reference copies.
    assert.deepEqual(after.map((c) => [c.label.replace('Broadside 1', 'Broadside'), c.location, c.surrogate]), before.map((c) => [c.label, c.location, c.surrogate]));
  });
});
