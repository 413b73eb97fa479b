import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { makePerson, type Person } from '../helpers/people.ts';
import { startReadingRoom, type TestReadingRoom } from '../helpers/reading-room.ts';
import type { SearchHit } from '../../src/finding-aids/search.ts';

// GET /api/v1/search on finding aids imported through the API (docs/search.md).

type Hit = SearchHit;

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** An EAD 2002 document: a collection with an abstract and components (title, optional box, children). */
interface Part {
  title: string;
  box?: string;
  children?: Part[];
}
function ead(callNumber: string, title: string, abstract: string, parts: Part[]): string {
  const component = (p: Part): string =>
    `<c><did><unittitle>${escapeXml(p.title)}</unittitle><unitdate>1936</unitdate>${p.box ? `<container type="Box">${p.box}</container>` : ''}</did>${(p.children ?? []).map(component).join('')}</c>`;
  return `<ead><eadheader><eadid>${callNumber}</eadid></eadheader><archdesc level="collection"><did>
    <unitid>${callNumber}</unitid><unittitle>${escapeXml(title)}</unittitle><unitdate>1930-1950</unitdate><abstract>${escapeXml(abstract)}</abstract>
    </did><dsc>${parts.map(component).join('')}</dsc></archdesc></ead>`;
}

let room: TestReadingRoom;
let admin: Person;
const ids: Record<string, number> = {};

async function importEad(xml: string) {
  const response = await room.app.inject({
    method: 'POST',
    url: '/api/v1/collections/import',
    headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'application/xml' },
    payload: xml,
  });
  assert.ok(response.statusCode === 201 || response.statusCode === 200, response.body);
  return response.json().collection.id as number;
}

async function search(query: Record<string, string | number>) {
  const response = await room.app.inject({ method: 'GET', url: `/api/v1/search?${new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)])).toString()}` });
  return { status: response.statusCode, body: response.json() as { items: Hit[]; nextCursor: string | null; code?: string } };
}
const titles = async (q: string, more: Record<string, string | number> = {}) => (await search({ q, ...more })).body.items.map((h) => h.title);

before(async () => {
  room = await startReadingRoom();
  admin = await makePerson(room, 'admin');
  ids.guerin = await importEad(
    ead('TEST MSS 1', 'Daniel Guérin papers', 'Letters of a French socialist, among them to Trotsky.', [
      { title: 'Correspondence', box: '1', children: [{ title: 'Letters from Leon Trotsky' }, { title: 'Letters to Marceau Pivert', box: '2' }] },
      { title: 'Writings: <script>alert(1)</script> & A & B <i>', box: '3' },
      { title: 'NEAR "quoted" * AND OR NOT (parentheses) title:colon', box: '3' },
    ]),
  );
  ids.trotsky = await importEad(ead('TEST MSS 2', 'Trotsky collection', 'Photographs.', [{ title: 'Photographs of Coyoacán', box: '1' }]));
  // Sixty folders whose titles share a word, for paging.
  ids.folders = await importEad(
    ead(
      'TEST MSS 3',
      'Pamphlets',
      'Printed matter.',
      Array.from({ length: 60 }, (_, i) => ({ title: `Pamphlet ${i % 7 === 0 ? 'pamphlet ' : ''}number ${i + 1}`, box: String(1 + Math.floor(i / 20)) })),
    ),
  );
});
after(() => room.close());

describe('GET /api/v1/search: what matches', () => {
  it('takes every word as the start of a word, ignoring case and accents', async () => {
    assert.deepEqual(await titles('trotsk', { collectionId: ids.guerin! }), ['Letters from Leon Trotsky', 'Daniel Guérin papers']);
    assert.deepEqual(await titles('TROTSKY LEON'), ['Letters from Leon Trotsky']);
    assert.deepEqual(await titles('guerin'), ['Daniel Guérin papers']);
    assert.deepEqual(await titles('Guérin'), ['Daniel Guérin papers']);
    assert.deepEqual(await titles('coyoacan'), ['Photographs of Coyoacán']);
    // Accents written as combining marks are the same letters.
    assert.deepEqual(await titles('Coyoaca\u0301n'), ['Photographs of Coyoacán']);
  });

  it('needs every word: one that matches nothing leaves nothing', async () => {
    assert.deepEqual(await titles('trotsky nowhere'), []);
  });

  it('reads operators, quotes and stars as plain characters, never as FTS5 syntax', async () => {
    for (const q of ['NEAR', '"quoted"', '"quot', 'AND OR NOT', '*', 'title:colon', '(parentheses', 'NEAR(quoted, OR)', '-trotsky', '^near']) {
      const { status, body } = await search({ q });
      if (q === '*') {
        assert.equal(status, 400, q);
        continue;
      }
      assert.equal(status, 200, `${q}: ${JSON.stringify(body)}`);
      assert.ok(body.items.length > 0, q);
    }
    assert.deepEqual(await titles('NEAR quoted'), ['NEAR "quoted" * AND OR NOT (parentheses) title:colon']);
    assert.deepEqual(await titles('"trotsky" OR pivert'), []);
  });

  it('refuses an empty q, and a q with no letter or digit, as 400 FST_ERR_VALIDATION', async () => {
    for (const q of ['', '   ', '*', '"" -- !', '\u0301']) {
      const { status, body } = await search({ q });
      assert.equal(status, 400, JSON.stringify(q));
      assert.equal(body.code, 'FST_ERR_VALIDATION');
    }
    assert.equal((await room.app.inject({ method: 'GET', url: '/api/v1/search' })).statusCode, 400);
  });
});

describe('GET /api/v1/search: the hits', () => {
  it('describe a component with its collection, dates and containers, own or inherited', async () => {
    const { body } = await search({ q: 'letters', collectionId: ids.guerin! });
    const [fromTrotsky, toPivert] = ['Letters from Leon Trotsky', 'Letters to Marceau Pivert'].map((t) => body.items.find((h) => h.title === t)!);
    assert.deepEqual({ ...fromTrotsky, componentId: typeof fromTrotsky?.componentId }, {
      collectionId: ids.guerin,
      callNumber: 'TEST MSS 1',
      collectionTitle: 'Daniel Guérin papers',
      componentId: 'number',
      title: 'Letters from Leon Trotsky',
      dates: '1936',
      containers: ['Box 1'],
      snippet: '<mark>Letters</mark> from Leon Trotsky',
    });
    assert.deepEqual(toPivert?.containers, ['Box 2']);
  });

  it('describe a collection with no component and no containers', async () => {
    const [hit] = (await search({ q: 'trotsky collection' })).body.items;
    assert.deepEqual(hit, {
      collectionId: ids.trotsky,
      callNumber: 'TEST MSS 2',
      collectionTitle: 'Trotsky collection',
      componentId: null,
      title: 'Trotsky collection',
      dates: '1930-1950',
      containers: [],
      snippet: '<mark>Trotsky</mark> <mark>collection</mark>',
    });
  });

  it('escape the title in the snippet and mark whole words only', async () => {
    const [hit] = (await search({ q: 'script alert' })).body.items;
    assert.equal(hit?.title, 'Writings: <script>alert(1)</script> & A & B <i>');
    assert.equal(hit?.snippet, 'Writings: &lt;<mark>script</mark>&gt;<mark>alert</mark>(1)&lt;/<mark>script</mark>&gt; &amp; A &amp; B &lt;i&gt;');
    const [ampersand] = (await search({ q: 'writ b' })).body.items;
    assert.equal(ampersand?.snippet, '<mark>Writings</mark>: &lt;script&gt;alert(1)&lt;/script&gt; &amp; A &amp; <mark>B</mark> &lt;i&gt;');
  });
});

describe('GET /api/v1/search: the order', () => {
  it('puts a title match before an abstract match, then orders by call number and finding-aid order', async () => {
    // "trotsky": GEN's abstract does not name him; TEST MSS 1's abstract does, TEST MSS 2's title does.
    const { body } = await search({ q: 'trotsky' });
    const order = body.items.map((h) => `${h.callNumber}: ${h.title}`);
    assert.equal(order.at(-1), 'TEST MSS 1: Daniel Guérin papers', 'the abstract match comes last');
    assert.deepEqual(order.slice(0, -1).sort(), ['TEST MSS 1: Letters from Leon Trotsky', 'TEST MSS 2: Trotsky collection']);
  });

  it('keeps finding-aid order among hits that rank alike', async () => {
    const { body } = await search({ q: 'number', collectionId: ids.folders!, limit: 200 });
    const plain = body.items.filter((h) => !/pamphlet pamphlet/i.test(h.title)).map((h) => Number(h.title.split(' ').at(-1)));
    assert.deepEqual(plain, [...plain].sort((a, b) => a - b));
  });
});

describe('GET /api/v1/search: paging', () => {
  it('walks every page with the cursor: the same hits as one big page, no duplicates, no gaps', async () => {
    const whole = (await search({ q: 'pamph', limit: 200 })).body;
    assert.equal(whole.items.length, 61);
    assert.equal(whole.nextCursor, null);
    const walked: Hit[] = [];
    let cursor: string | null = null;
    do {
      const { status, body }: Awaited<ReturnType<typeof search>> = await search({ q: 'pamph', limit: 7, ...(cursor ? { cursor } : {}) });
      assert.equal(status, 200);
      assert.ok(body.items.length <= 7);
      walked.push(...body.items);
      cursor = body.nextCursor;
    } while (cursor);
    assert.deepEqual(walked, whole.items);
  });

  it('answers 50 by default and refuses a cursor it did not give', async () => {
    assert.equal((await search({ q: 'pamphlet' })).body.items.length, 50);
    const { status, body } = await search({ q: 'pamphlet', cursor: 'bm90IGEgY3Vyc29y' });
    assert.equal(status, 400);
    assert.equal(body.code, 'FST_ERR_VALIDATION');
  });
});

describe('GET /api/v1/search: collections and re-imports', () => {
  it('keeps to one collection with collectionId; an unknown one is 404', async () => {
    assert.deepEqual(await titles('trotsky', { collectionId: ids.trotsky! }), ['Trotsky collection']);
    const { status, body } = await search({ q: 'trotsky', collectionId: 999_999 });
    assert.equal(status, 404);
    assert.equal(body.code, 'NOT_FOUND');
  });

  it('keeps to the collections of one reading room with readingRoomId; an unknown room is 404', async () => {
    const everywhere = await titles('trotsky');
    assert.ok(everywhere.length >= 2);
    const second = (
      await room.app.inject({
        method: 'POST',
        url: '/api/v1/reading-rooms',
        headers: { authorization: `Bearer ${admin.token}` },
        payload: { code: 'east', name: 'East reading room', timezone: 'America/New_York' },
      })
    ).json().id as number;
    const response = await room.app.inject({
      method: 'POST',
      url: `/api/v1/collections/import?readingRoomId=${second}`,
      headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'application/xml' },
      payload: ead('TEST MSS 9', 'Natalia Sedova papers', 'Letters to and about Trotsky.', [{ title: 'Letters from Coyoacán', box: '1' }]),
    });
    assert.equal(response.statusCode, 201, response.body);
    assert.deepEqual(await titles('trotsky', { readingRoomId: second }), ['Natalia Sedova papers']);
    assert.deepEqual(await titles('trotsky', { readingRoomId: 1 }), everywhere, 'the first room keeps what it had');
    const { status, body } = await search({ q: 'trotsky', readingRoomId: 999 });
    assert.deepEqual([status, body.code], [404, 'NOT_FOUND']);
  });

  it('finds the seeded GEN MSS 238 by its title', async () => {
    const [hit] = (await search({ q: 'victor serge' })).body.items;
    assert.equal(hit?.callNumber, 'GEN MSS 238');
  });

  it('forgets what a re-import removed and finds what it added', async () => {
    const id = await importEad(ead('TEST MSS 4', 'Pivert papers', 'Socialist.', [{ title: 'Old folder zanzibar', box: '1' }]));
    assert.deepEqual(await titles('zanzibar'), ['Old folder zanzibar']);
    assert.equal(await importEad(ead('TEST MSS 4', 'Pivert papers renamed', 'Socialist.', [{ title: 'New folder yokohama', box: '1' }])), id);
    assert.deepEqual(await titles('zanzibar'), []);
    assert.deepEqual(await titles('yokohama'), ['New folder yokohama']);
    assert.deepEqual(await titles('renamed'), ['Pivert papers renamed']);
    assert.equal((await search({ q: 'pivert papers' })).body.items.length, 1);
  });
});
