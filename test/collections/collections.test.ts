import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { requests, users } from '../../db/tables.ts';
import { startReadingRoom, type TestReadingRoom } from '../helpers/reading-room.ts';

const RESTRICTION_NOTE =
  'Restricted fragile material. Reference surrogates have been substituted in the main files. For further information consult the appropriate curator.';

interface Container {
  id: number;
  collectionId: number;
  type: string;
  indicator: string;
  label: string;
  location: string | null;
  restricted: boolean;
  surrogate: unknown;
  restrictionNote: string | null;
  available?: boolean;
}

let room: TestReadingRoom;
before(async () => {
  room = await startReadingRoom();
});
after(() => room.close());

async function get(url: string) {
  const response = await room.app.inject({ method: 'GET', url });
  return { status: response.statusCode, body: response.json() };
}

async function serge() {
  const { body } = await get('/api/v1/collections?callNumber=GEN%20MSS%20238');
  return body.items[0];
}

describe('the Victor Serge papers, GEN MSS 238, as seeded from the finding aid', () => {
  it('are found by call number, with the finding aid’s description', async () => {
    const { status, body } = await get('/api/v1/collections?callNumber=GEN%20MSS%20238');
    assert.equal(status, 200);
    assert.equal(body.items.length, 1);
    const { series, id, ...description } = body.items[0];
    assert.equal(typeof id, 'number');
    assert.equal('containers' in body.items[0], false, 'a collection in a list carries no containers (v2)');
    assert.deepEqual(description, {
      callNumber: 'GEN MSS 238',
      title: 'Victor Serge papers',
      dates: '1912-1994',
      bulkDates: '1936-1947',
      extent: '16 linear feet (28 boxes) + 1 broadside',
      repository: 'Beinecke Rare Book and Manuscript Library',
      accessNote: `Boxes 23-27 and broadside, Bsd: ${RESTRICTION_NOTE}`,
      abstract:
        'The Victor Serge Papers document the life and work of the Franco-Russian writer and revolutionary, Victor Serge (1890-1947). ' +
        'The Papers consist of correspondence; manuscripts and notes for articles, books, and poems; subject files; immigration and ' +
        'identification documents; and memorabilia.',
      componentCount: 0,
      readingRoomId: 1,
    });
    assert.equal((await get(`/api/v1/collections/${id}`)).body.containers.length, 29);
    assert.equal(series.length, 6);
  });

  it('have the six series in the finding aid’s order', async () => {
    const { body } = await get(`/api/v1/collections/${(await serge()).id}`);
    assert.deepEqual(
      body.series.map((s: { title: string }) => s.title),
      ['Correspondence', 'Writings', 'Subject Files', 'Personal Papers and Memorabilia', 'Envelopes', 'Materials Collected by Vlady Kibalchich'],
    );
  });

  it('hold 28 boxes and a broadside; boxes 23–27 and the broadside are restricted with the curator’s note', async () => {
    const { id } = await serge();
    const { status, body } = await get(`/api/v1/collections/${id}/containers`);
    assert.equal(status, 200);
    const items: Container[] = body.items;
    assert.deepEqual(
      items.map((c) => c.label),
      [...Array.from({ length: 28 }, (_, i) => `Box ${i + 1}`), 'Broadside'],
    );
    for (const container of items) {
      const restricted = container.type === 'broadside' || [23, 24, 25, 26, 27].includes(Number(container.indicator));
      assert.equal(container.restricted, restricted, container.label);
      assert.equal(container.restrictionNote, restricted ? RESTRICTION_NOTE : null, container.label);
      assert.equal(container.collectionId, id);
      assert.ok(container.location && container.location.length > 0, `${container.label} has a stack location`);
      assert.deepEqual(
        container.surrogate,
        restricted ? { kind: 'reference_copy', note: 'Reference surrogates have been substituted in the main files.', url: null } : null,
        `${container.label}: the restricted originals have reference copies in the main files`,
      );
      assert.equal('available' in container, false, 'availability only comes with a date');
    }
    const broadside = items.at(-1);
    assert.deepEqual({ type: broadside?.type, indicator: broadside?.indicator }, { type: 'broadside', indicator: '1' });
    assert.deepEqual(items.filter((c) => c.restricted).map((c) => c.label), ['Box 23', 'Box 24', 'Box 25', 'Box 26', 'Box 27', 'Broadside']);
  });

  it('are listed among all collections when no call number is given', async () => {
    const { status, body } = await get('/api/v1/collections');
    assert.equal(status, 200);
    assert.deepEqual(body.items.map((c: { callNumber: string }) => c.callNumber), ['GEN MSS 238']);
  });

  it('an unknown call number finds nothing rather than an error', async () => {
    const { status, body } = await get('/api/v1/collections?callNumber=GEN%20MSS%20999');
    assert.equal(status, 200);
    assert.deepEqual(body.items, []);
  });
});

describe('container availability on a visit date', () => {
  it('is false only for a container held (scheduled, paged or delivered) that day', async () => {
    const { id } = await serge();
    const { containers } = (await get(`/api/v1/collections/${id}`)).body;
    const [box1, box2, box3] = containers as Container[];
    const researcher = (await room.db.$writer.insert(users).values({ email: 'reader@example.org', name: 'A Reader', passwordHash: 'x' }).returning())[0]!;
    (await room.db.$writer
      .insert(requests)
      .values([
        { researcherId: researcher.id, containerId: box1!.id, visitDate: '2026-12-01', readingRoomId: 1, status: 'scheduled' },
        { researcherId: researcher.id, containerId: box2!.id, visitDate: '2026-12-01', readingRoomId: 1, status: 'cancelled' },
        { researcherId: researcher.id, containerId: box3!.id, visitDate: '2026-12-02', readingRoomId: 1, status: 'delivered' },
      ])
      );

    const { status, body } = await get(`/api/v1/collections/${id}/containers?date=2026-12-01`);
    assert.equal(status, 200);
    const availability = new Map(body.items.map((c: Container) => [c.label, c.available]));
    assert.equal(availability.get('Box 1'), false);
    assert.equal(availability.get('Box 2'), true, 'a cancelled request holds nothing');
    assert.equal(availability.get('Box 3'), true, 'a request on another day holds nothing today');
    assert.equal(availability.size, 29);
  });
});

describe('bad questions about collections', () => {
  it('an unknown collection is 404 NOT_FOUND', async () => {
    for (const url of ['/api/v1/collections/9999', '/api/v1/collections/9999/containers']) {
      const { status, body } = await get(url);
      assert.equal(status, 404, url);
      assert.deepEqual(Object.keys(body).sort(), ['code', 'error', 'message', 'statusCode']);
      assert.equal(body.code, 'NOT_FOUND');
      assert.equal(body.statusCode, 404);
    }
  });

  it('a collection id that is no positive integer is 400', async () => {
    for (const url of ['/api/v1/collections/abc', '/api/v1/collections/0', '/api/v1/collections/-3', '/api/v1/collections/1.5', '/api/v1/collections/99999999999999999999']) {
      const { status, body } = await get(url);
      assert.equal(status, 400, url);
      assert.equal(body.code, 'FST_ERR_VALIDATION', url);
    }
  });

  it('an impossible or malformed date is 400', async () => {
    const { id } = await serge();
    for (const date of ['2026-02-30', '2026-13-01', '26-12-01', 'tomorrow', '2026-12-1', '']) {
      const { status, body } = await get(`/api/v1/collections/${id}/containers?date=${date}`);
      assert.equal(status, 400, date);
      assert.equal(body.code, 'FST_ERR_VALIDATION', date);
    }
  });

  it('an empty call number is 400', async () => {
    const { status, body } = await get('/api/v1/collections?callNumber=');
    assert.equal(status, 400);
    assert.equal(body.code, 'FST_ERR_VALIDATION');
  });
});
