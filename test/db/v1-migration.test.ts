import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { hashPassword } from '../../src/accounts/secrets.ts';
import { assertRefusal, ok } from '../helpers/answers.ts';
import { makePerson, PASSWORD, signIn, type Person } from '../helpers/people.ts';
import { localInstant, startReadingRoom, type TestReadingRoom } from '../helpers/reading-room.ts';
import { makeV1Database } from '../helpers/v1-database.ts';

// Not under test:postgres: it migrates a SQLite database of the first release.

// A database of the last release before reading rooms, with its people, requests in every state,
// their events, closures and a run already done, opened by this release: the first start migrates it
// into the first reading room, whose settings come from the environment once, and every v1 answer
// stays what it was.

const V1_ENV = {
  LIBRARY_NAME: 'Old Library',
  READING_ROOM_TZ: 'America/New_York',
  DAILY_REQUEST_LIMIT: '3',
  MAX_ADVANCE_DAYS: '60',
  PAGING_TIMES: '13:00,08:30',
  CLOSING_TIME: '16:30',
  READING_ROOM_SEATS: '20',
  HOLD_BUSINESS_DAYS: '4',
};

const MONDAY = '2026-11-30';

interface V1Request {
  key: string;
  researcher: 'alice' | 'bob';
  box: number;
  visitDate: string;
  /** The statuses it went through, first to last. */
  path: string[];
}

const v1Requests: V1Request[] = [
  { key: 'alice-1', researcher: 'alice', box: 1, visitDate: MONDAY, path: ['scheduled'] },
  { key: 'bob-2', researcher: 'bob', box: 2, visitDate: MONDAY, path: ['scheduled'] },
  { key: 'alice-2', researcher: 'alice', box: 2, visitDate: MONDAY, path: ['waitlisted'] },
  { key: 'alice-23', researcher: 'alice', box: 23, visitDate: MONDAY, path: ['awaiting_approval'] },
  { key: 'alice-past', researcher: 'alice', box: 3, visitDate: '2026-11-20', path: ['scheduled', 'paged', 'delivered', 'returned', 'reshelved'] },
  { key: 'bob-missed', researcher: 'bob', box: 4, visitDate: '2026-11-19', path: ['scheduled', 'no_show'] },
  { key: 'bob-cancelled', researcher: 'bob', box: 5, visitDate: '2026-12-01', path: ['scheduled', 'cancelled'] },
];

describe('a v1 database opened by this release', () => {
  let folder: string;
  let path: string;
  let room: TestReadingRoom;
  let admin: Person;
  let staff: Person;
  const ids: Record<string, number> = {};
  const people: Record<string, { id: number; email: string; token?: string }> = {};

  before(async () => {
    folder = mkdtempSync(join(tmpdir(), 'reading-room-v1-'));
    path = join(folder, 'reading-room.sqlite');
    const v1 = makeV1Database(path);
    const hash = await hashPassword(PASSWORD);
    const at = localInstant('2026-11-18', '10:00').getTime();
    for (const [name, role] of [
      ['alice', 'researcher'],
      ['bob', 'researcher'],
    ] as const) {
      const email = `${name}@example.org`;
      const id = Number(
        v1
          .prepare('insert into users (email, name, role, password_hash, email_verified_at, identity_verified_at, created_at) values (?, ?, ?, ?, ?, ?, ?)')
          .run(email, name, role, hash, at, at, at).lastInsertRowid,
      );
      people[name] = { id, email };
    }
    const insertRequest = v1.prepare('insert into requests (researcher_id, container_id, visit_date, status, waitlisted_at, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?)');
    const insertEvent = v1.prepare('insert into request_events (request_id, at, actor_id, actor_role, from_status, to_status) values (?, ?, ?, ?, ?, ?)');
    for (const [i, r] of v1Requests.entries()) {
      const status = r.path.at(-1)!;
      const made = at + i * 1000;
      const id = Number(insertRequest.run(people[r.researcher]!.id, r.box, r.visitDate, status, status === 'waitlisted' ? made : null, made, made).lastInsertRowid);
      ids[r.key] = id;
      r.path.forEach((to, step) => insertEvent.run(id, made + step, step === 0 ? people[r.researcher]!.id : null, step === 0 ? 'researcher' : 'system', step === 0 ? null : r.path[step - 1], to));
    }
    v1.prepare('insert into closures (date, reason) values (?, ?)').run('2026-12-07', 'Staff training');
    v1.prepare('insert into scheduled_runs (key, at) values (?, ?)').run('closing-time:2026-11-20', at);
    v1.close();

    room = await startReadingRoom({ env: { ...V1_ENV, DATABASE_PATH: path } });
    admin = await makePerson(room, 'admin');
    staff = await makePerson(room, 'staff');
    for (const name of ['alice', 'bob']) people[name]!.token = await signIn(room.app, people[name]!.email);
  });
  after(async () => {
    await room?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  const as = (name: string) => ({
    call: (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) =>
      room.app.inject({ method, url, headers: { authorization: `Bearer ${people[name]!.token}` }, ...(payload ? { payload } : {}) }),
  });

  it('makes the first reading room from the v1 environment', async () => {
    const rooms = ok(await staff.call('GET', '/api/v1/reading-rooms')).items;
    assert.deepEqual(rooms, [
      {
        id: 1,
        code: 'main',
        name: 'Old Library',
        timezone: 'America/New_York',
        seats: 20,
        leadBusinessDays: 2,
        dailyItemLimit: 3,
        maxAdvanceDays: 60,
        holdBusinessDays: 4,
        classLeadBusinessDays: 5,
        classItemLimit: 15,
        pagingTimes: ['08:30', '13:00'],
        closingTime: '16:30',
      },
    ]);
    const collections = ok(await staff.call('GET', '/api/v1/collections')).items as { callNumber: string; readingRoomId: number }[];
    assert.deepEqual(collections.map((c) => [c.callNumber, c.readingRoomId]), [['GEN MSS 238', 1]]);
  });

  it('keeps every request, status and event, in the first room, each in the appointment of its researcher and day', async () => {
    const requests = ok(await staff.call('GET', '/api/v1/requests?limit=50')).items as { id: number; status: string; readingRoomId: number; appointmentId: number; holdUntil: null }[];
    assert.deepEqual(
      requests.map((r) => [r.id, r.status, r.readingRoomId, r.holdUntil]),
      v1Requests.map((r) => [ids[r.key], r.path.at(-1), 1, null]),
    );
    for (const r of v1Requests) {
      const events = ok(await staff.call('GET', `/api/v1/requests/${ids[r.key]}/events`)).items as { to: string }[];
      assert.deepEqual(events.map((e) => e.to), r.path, r.key);
    }
    const appointmentOf = (key: string) => requests.find((r) => r.id === ids[key])!.appointmentId;
    assert.equal(appointmentOf('alice-1'), appointmentOf('alice-2'));
    assert.equal(appointmentOf('alice-1'), appointmentOf('alice-23'));
    assert.notEqual(appointmentOf('alice-1'), appointmentOf('bob-2'));

    const appointments = ok(await staff.call('GET', '/api/v1/appointments?limit=50')).items as { id: number; researcherId: number; date: string; status: string; requestIds: number[] }[];
    const summary = appointments.map((a) => [a.date, a.researcherId === people.alice!.id ? 'alice' : 'bob', a.status, a.requestIds.length]).sort();
    assert.deepEqual(summary, [
      ['2026-11-19', 'bob', 'no_show', 1],
      ['2026-11-20', 'alice', 'attended', 1],
      [MONDAY, 'alice', 'booked', 3],
      [MONDAY, 'bob', 'booked', 1],
      ['2026-12-01', 'bob', 'cancelled', 1],
    ].sort());
  });

  it('keeps its closures for every room, and a v1 client reopens one as before', async () => {
    const calendarDay = async (date: string) => (ok(await staff.call('GET', `/api/v1/calendar?from=${date}&to=${date}`)).days as { open: boolean; reason?: string }[])[0];
    assert.deepEqual(await calendarDay('2026-12-07'), { date: '2026-12-07', open: false, reason: 'Staff training' });
    const closures = ok(await staff.call('GET', '/api/v1/closures?from=2026-12-07&to=2026-12-07')).items;
    assert.deepEqual(closures, [{ date: '2026-12-07', reason: 'Staff training', readingRoomId: null }]);
    ok(await admin.call('DELETE', '/api/v1/closures/2026-12-07'), 204);
    assert.equal((await calendarDay('2026-12-07'))?.open, true);
    assert.equal((await calendarDay('2026-12-25'))?.open, false, "the federal holidays are seeded for every room");
  });

  it('answers v1 clients as before: the booking rules with the v1 limits, the waiting list, the pick list', async () => {
    const tooSoon = assertRefusal(await as('bob').call('POST', '/api/v1/requests', { visitDate: '2026-11-27', containerIds: [6] }), 422, 'VISIT_TOO_SOON');
    assert.match(String(tooSoon.message), /2026-11-30/);
    assertRefusal(await as('alice').call('POST', '/api/v1/requests', { visitDate: MONDAY, containerIds: [6] }), 422, 'REQUEST_LIMIT_EXCEEDED', 'DAILY_REQUEST_LIMIT=3');
    assertRefusal(await as('alice').call('POST', '/api/v1/requests', { visitDate: MONDAY, containerIds: [1] }), 409, 'DUPLICATE_REQUEST');
    ok(await as('bob').call('POST', `/api/v1/requests/${ids['bob-2']}/cancel`, {}));
    assert.equal(ok(await staff.call('GET', `/api/v1/requests/${ids['alice-2']}`)).status, 'scheduled', 'the waiting request is promoted');
    const pick = ok(await staff.call('GET', `/api/v1/paging/pick-list?date=${MONDAY}`)).items as { requestId: number }[];
    assert.deepEqual(pick.map((i) => i.requestId).sort((a, b) => a - b), [ids['alice-1'], ids['alice-2']].sort((a, b) => (a ?? 0) - (b ?? 0)));
    const made = ok(await as('bob').call('POST', '/api/v1/requests', { visitDate: '2026-12-02', containerIds: [6] }), 201).items as { status: string; appointmentId: number }[];
    assert.equal(made[0]?.status, 'scheduled');
    assert.ok(made[0]?.appointmentId);
  });

  it('takes the environment once: a restart with other values leaves the room as it is', async () => {
    await room.close();
    room = await startReadingRoom({ env: { ...V1_ENV, DAILY_REQUEST_LIMIT: '7', READING_ROOM_SEATS: '3', DATABASE_PATH: path } });
    const reader = await makePerson(room, 'researcher');
    const [first] = ok(await reader.call('GET', '/api/v1/reading-rooms')).items as { dailyItemLimit: number; seats: number }[];
    assert.deepEqual([first?.dailyItemLimit, first?.seats], [3, 20]);
  });
});
