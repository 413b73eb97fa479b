import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startReadingRoom, type TestReadingRoom } from '../helpers/reading-room.ts';
import { assertRefusal } from '../helpers/answers.ts';
import { makePerson, type Person } from '../helpers/people.ts';
import { requestTablesSnapshot } from '../helpers/stored-rows.ts';
import { statement } from '../../db/statements.ts';

// docs/api.md, "Requests" and "Roles": who may see and change which request. A researcher's request is
// theirs alone (another researcher gets 404, as for an unknown one); approving and denying belong
// to curators, paging and delivering to staff; admins hold both rights.

interface RequestView {
  id: number;
  researcherId: number;
  containerId: number;
  status: string;
}

let room: TestReadingRoom;
let alice: Person;
let bob: Person;
let staff: Person;
let curator: Person;
let admin: Person;

before(async () => {
  room = await startReadingRoom();
  [alice, bob, staff, curator, admin] = await Promise.all([
    makePerson(room, 'researcher', 'Alice Researcher'),
    makePerson(room, 'researcher', 'Bob Researcher'),
    makePerson(room, 'staff'),
    makePerson(room, 'curator'),
    makePerson(room, 'admin'),
  ]);
});

after(async () => {
  await room.close();
});

async function submit(person: Person, visitDate: string, containerIds: number[]): Promise<RequestView[]> {
  const response = await person.call('POST', '/api/v1/requests', { visitDate, containerIds });
  assert.equal(response.statusCode, 201, response.body);
  return response.json().items as RequestView[];
}

async function statusOf(id: number): Promise<string> {
  const response = await staff.call('GET', `/api/v1/requests/${id}`);
  assert.equal(response.statusCode, 200, response.body);
  return response.json().status as string;
}

/** A refused call: the status and code, and no request, event or outbox row changed. */
async function assertCallRefused(person: Person, method: 'GET' | 'POST', url: string, payload: unknown, statusCode: number, code: string) {
  const before = await requestTablesSnapshot(room.db);
  const response = await person.call(method, url, payload);
  assertRefusal(response, statusCode, code, `${person.user.role} ${method} ${url}`);
  assert.equal(await requestTablesSnapshot(room.db), before, `${method} ${url} changed nothing`);
}

const transition = (person: Person, id: number, to: string) => person.call('POST', `/api/v1/requests/${id}/transition`, { to });

describe("another researcher's request", () => {
  it('cannot be seen: GET /api/v1/requests/:id is 404 NOT_FOUND, as for a request that does not exist', async () => {
    const [mine] = await submit(alice, '2026-12-01', [1]);
    assert.ok(mine);
    assert.equal((await alice.call('GET', `/api/v1/requests/${mine.id}`)).statusCode, 200);
    await assertCallRefused(bob, 'GET', `/api/v1/requests/${mine.id}`, undefined, 404, 'NOT_FOUND');
    await assertCallRefused(bob, 'GET', '/api/v1/requests/987654', undefined, 404, 'NOT_FOUND');
  });

  it('cannot have its events read: GET /api/v1/requests/:id/events is 404 NOT_FOUND', async () => {
    const [mine] = await submit(alice, '2026-12-01', [2]);
    assert.ok(mine);
    const own = await alice.call('GET', `/api/v1/requests/${mine.id}/events`);
    assert.equal(own.statusCode, 200, own.body);
    assert.equal(own.json().items.length, 1);
    await assertCallRefused(bob, 'GET', `/api/v1/requests/${mine.id}/events`, undefined, 404, 'NOT_FOUND');
  });

  it('cannot be cancelled: POST /api/v1/requests/:id/cancel is 404 NOT_FOUND and the request stays as it was', async () => {
    const [mine] = await submit(alice, '2026-12-01', [3]);
    assert.ok(mine);
    await assertCallRefused(bob, 'POST', `/api/v1/requests/${mine.id}/cancel`, { reason: 'Not mine to cancel.' }, 404, 'NOT_FOUND');
    assert.equal(await statusOf(mine.id), 'scheduled');
  });

  it('cannot be approved or denied by a researcher: 403 FORBIDDEN by role, for theirs as for their own', async () => {
    const [restricted] = await submit(alice, '2026-12-01', [23]);
    assert.ok(restricted);
    assert.equal(restricted.status, 'awaiting_approval');
    await assertCallRefused(bob, 'POST', `/api/v1/requests/${restricted.id}/approve`, {}, 403, 'FORBIDDEN');
    await assertCallRefused(bob, 'POST', `/api/v1/requests/${restricted.id}/deny`, { reason: 'No.' }, 403, 'FORBIDDEN');
    await assertCallRefused(alice, 'POST', `/api/v1/requests/${restricted.id}/approve`, {}, 403, 'FORBIDDEN');
    await assertCallRefused(alice, 'POST', `/api/v1/requests/${restricted.id}/transition`, { to: 'paged' }, 403, 'FORBIDDEN');
    assert.equal(await statusOf(restricted.id), 'awaiting_approval');
  });
});

describe('GET /api/v1/requests', () => {
  it("lists a researcher's own requests only, even with ?researcherId= of another researcher", async () => {
    await submit(alice, '2026-12-02', [1, 2]);
    await submit(bob, '2026-12-02', [4]);
    for (const url of ['/api/v1/requests?limit=200', `/api/v1/requests?limit=200&researcherId=${alice.user.id}`]) {
      const response = await bob.call('GET', url);
      assert.equal(response.statusCode, 200, response.body);
      const items = response.json().items as RequestView[];
      assert.ok(items.length > 0, url);
      assert.deepEqual([...new Set(items.map((i) => i.researcherId))], [bob.user.id], url);
    }
  });

  it("shows staff and curators everyone's, and ?researcherId= narrows it to one researcher", async () => {
    for (const person of [staff, curator]) {
      const all = (await person.call('GET', '/api/v1/requests?limit=200')).json().items as RequestView[];
      assert.deepEqual([...new Set(all.map((i) => i.researcherId))].sort(), [alice.user.id, bob.user.id].sort());
      const alices = (await person.call('GET', `/api/v1/requests?limit=200&researcherId=${alice.user.id}`)).json().items as RequestView[];
      assert.ok(alices.length > 0);
      assert.deepEqual([...new Set(alices.map((i) => i.researcherId))], [alice.user.id]);
    }
  });
});

describe('roles on the status of restricted material and at the desk', () => {
  it('staff cannot approve or deny restricted material: 403 FORBIDDEN, and the request still awaits approval', async () => {
    const [restricted] = await submit(alice, '2026-12-03', [24]);
    assert.ok(restricted);
    await assertCallRefused(staff, 'POST', `/api/v1/requests/${restricted.id}/approve`, { note: 'Fine.' }, 403, 'FORBIDDEN');
    await assertCallRefused(staff, 'POST', `/api/v1/requests/${restricted.id}/deny`, { reason: 'No.' }, 403, 'FORBIDDEN');
    assert.equal(await statusOf(restricted.id), 'awaiting_approval');
    const approved = await curator.call('POST', `/api/v1/requests/${restricted.id}/approve`, {});
    assert.equal(approved.statusCode, 200, approved.body);
    assert.equal(approved.json().status, 'scheduled');
  });

  it('a curator cannot page or deliver: 403 FORBIDDEN', async () => {
    const [box] = await submit(alice, '2026-12-03', [5]);
    assert.ok(box);
    await assertCallRefused(curator, 'POST', `/api/v1/requests/${box.id}/transition`, { to: 'paged' }, 403, 'FORBIDDEN');
    const paged = await transition(staff, box.id, 'paged');
    assert.equal(paged.statusCode, 200, paged.body);
    await assertCallRefused(curator, 'POST', `/api/v1/requests/${box.id}/transition`, { to: 'delivered' }, 403, 'FORBIDDEN');
    assert.equal(await statusOf(box.id), 'paged');
  });

  it("an admin can both approve restricted material and page and deliver it, and the events name the admin", async () => {
    const [restricted] = await submit(alice, '2026-12-04', [25]);
    assert.ok(restricted);
    const approved = await admin.call('POST', `/api/v1/requests/${restricted.id}/approve`, { note: 'Approved by the admin.' });
    assert.equal(approved.statusCode, 200, approved.body);
    assert.equal(approved.json().status, 'scheduled');
    const checked = await admin.call('POST', `/api/v1/users/${alice.user.id}/identity-verification`, { documentType: 'passport' });
    assert.equal(checked.statusCode, 200, checked.body);
    for (const to of ['paged', 'delivered']) {
      const moved = await transition(admin, restricted.id, to);
      assert.equal(moved.statusCode, 200, moved.body);
      assert.equal(moved.json().status, to);
    }
    const events = (await alice.call('GET', `/api/v1/requests/${restricted.id}/events`)).json().items as {
      actorId: number | null;
      from: string | null;
      to: string;
    }[];
    assert.deepEqual(
      events.map((e) => [e.actorId, e.from, e.to]),
      [
        [alice.user.id, null, 'awaiting_approval'],
        [admin.user.id, 'awaiting_approval', 'scheduled'],
        [admin.user.id, 'scheduled', 'paged'],
        [admin.user.id, 'paged', 'delivered'],
      ],
    );
  });
});

describe('cancelling', () => {
  it('the owner can cancel while the request awaits approval, waits or is scheduled', async () => {
    await submit(bob, '2026-12-07', [7]); // Bob holds Box 7, so Alice waits for it.
    const items = await submit(alice, '2026-12-07', [26, 7, 8]);
    assert.deepEqual(
      items.map((i) => i.status),
      ['awaiting_approval', 'waitlisted', 'scheduled'],
    );
    for (const item of items) {
      const cancelled = await alice.call('POST', `/api/v1/requests/${item.id}/cancel`, {});
      assert.equal(cancelled.statusCode, 200, cancelled.body);
      assert.equal(cancelled.json().status, 'cancelled');
    }
  });

  it('once paged, the owner gets 409 INVALID_TRANSITION and nothing changes, while staff can cancel it', async () => {
    const [box] = await submit(alice, '2026-12-08', [9]);
    assert.ok(box);
    assert.equal((await transition(staff, box.id, 'paged')).statusCode, 200);
    await assertCallRefused(alice, 'POST', `/api/v1/requests/${box.id}/cancel`, { reason: 'Changed my mind.' }, 409, 'INVALID_TRANSITION');
    assert.equal(await statusOf(box.id), 'paged');
    const cancelled = await staff.call('POST', `/api/v1/requests/${box.id}/cancel`, { reason: 'The researcher phoned.' });
    assert.equal(cancelled.statusCode, 200, cancelled.body);
    assert.equal(cancelled.json().status, 'cancelled');
  });
});

describe('paging through GET /api/v1/requests', () => {
  async function walk(person: Person, query: string): Promise<number[]> {
    const ids: number[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 1000; page++) {
      const url: string = `/api/v1/requests?limit=2${query}${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`;
      const response = await person.call('GET', url);
      assert.equal(response.statusCode, 200, response.body);
      const body = response.json() as { items: RequestView[]; nextCursor: string | null };
      assert.ok(body.items.length <= 2, 'at most limit items a page');
      ids.push(...body.items.map((i) => i.id));
      if (body.nextCursor === null) return ids;
      assert.equal(body.items.length, 2, 'only the last page is short');
      cursor = body.nextCursor;
    }
    assert.fail('the pages never ended');
  }

  it('with limit=2, following nextCursor visits every request exactly once', async () => {
    const ids = async (text: string, ...values: unknown[]) => (await statement<{ id: number }>(room.db, text).rows(...values)).map((r) => r.id);
    const all = await ids('select id from requests order by id');
    assert.ok(all.length > 5, 'several pages');
    const seen = await walk(staff, '');
    assert.equal(new Set(seen).size, seen.length, 'no request twice');
    assert.deepEqual([...seen].sort((a, b) => a - b), all);

    const alices = await ids('select id from requests where researcher_id = ? order by id', alice.user.id);
    const seenByAlice = await walk(alice, '');
    assert.deepEqual([...seenByAlice].sort((a, b) => a - b), alices);

    const cancelled = await ids("select id from requests where status = 'cancelled' order by id");
    assert.ok(cancelled.length > 2);
    assert.deepEqual(
      (await walk(curator, '&status=cancelled')).sort((a, b) => a - b),
      cancelled,
    );
  });

  it('a cursor the API did not give is a 400', async () => {
    const forged = [
      'not-a-cursor',
      Buffer.from('{"after":-1}').toString('base64url'),
      Buffer.from('{"after":"x"}').toString('base64url'),
      Buffer.from('[1,2]').toString('base64url'),
    ];
    for (const cursor of forged) {
      const response = await staff.call('GET', `/api/v1/requests?limit=2&cursor=${encodeURIComponent(cursor)}`);
      assert.equal(response.statusCode, 400, `${cursor}: ${response.body}`);
      const body = response.json();
      assert.deepEqual(Object.keys(body).sort(), ['code', 'error', 'message', 'statusCode']);
      assert.equal(body.statusCode, 400);
      assert.equal(typeof body.code, 'string');
    }
  });
});
