import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { roomClock, type ClockRun } from '../../src/paging/runs.ts';
import { requestsContext, type RequestsContext } from '../../src/requests/moves.ts';
import { assertRefusal, ok } from '../helpers/answers.ts';
import { eadDocument, fileComponent } from '../helpers/ead-documents.ts';
import { makePerson, type Person } from '../helpers/people.ts';
import { startReadingRoom, type TestReadingRoom } from '../helpers/reading-room.ts';

// Two reading rooms, New York (the first, from the environment) and Tokyo, fourteen hours apart:
// each reads "today", its earliest visit date, its pull times and its closing time on its own
// clock. Instants are written in UTC, so each edge is plain to see.

const utc = (text: string) => new Date(`${text}Z`);

describe('two reading rooms in different time zones', () => {
  let room: TestReadingRoom;
  let ctx: RequestsContext;
  let admin: Person;
  let reader: Person;
  let tokyo: number;
  let tokyoBox: number;

  /** What the rooms' clock ran at an instant, as `room:run:date`. */
  const tick = async (instant: string) =>
    (await roomClock(ctx, utc(instant))).map((r: ClockRun) => `${r.roomId === tokyo ? 'tokyo' : 'new-york'}:${r.run}:${r.outcome.done ? r.outcome.date : ''}`);
  const earliest = async (readingRoomId: number) => ok(await reader.call('GET', `/api/v1/calendar?readingRoomId=${readingRoomId}`)).earliestVisitDate as string;

  before(async () => {
    room = await startReadingRoom({ now: utc('2026-12-01T15:00:00') });
    ctx = requestsContext(room.db, room.config);
    admin = await makePerson(room, 'admin');
    reader = await makePerson(room, 'researcher');
    await makePerson(room, 'staff');
    tokyo = ok(await admin.call('POST', '/api/v1/reading-rooms', { code: 'tokyo', name: 'Tokyo reading room', timezone: 'Asia/Tokyo' }), 201).id;
    const imported = await room.app.inject({
      method: 'POST',
      url: `/api/v1/collections/import?readingRoomId=${tokyo}`,
      headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'application/xml' },
      payload: eadDocument({ callNumber: 'TOKYO 1', dsc: fileComponent('t1', 'Letters', '<container type="Box">1</container>') }),
    });
    const collection = ok(imported, 201).collection as { id: number; readingRoomId: number };
    assert.equal(collection.readingRoomId, tokyo);
    tokyoBox = (ok(await reader.call('GET', `/api/v1/collections/${collection.id}`)).containers as { id: number }[])[0]!.id;
  });
  after(async () => {
    await room?.close();
  });

  it("at 23:30 on Wednesday in New York it is Thursday afternoon in Tokyo: each room's earliest visit date is its own", async () => {
    room.setNow(utc('2026-12-03T04:30:00'));
    assert.equal(await earliest(1), '2026-12-04', 'New York: Wednesday, so Friday');
    assert.equal(await earliest(tokyo), '2026-12-07', 'Tokyo: Thursday, so Monday');
    const calendar = ok(await reader.call('GET', `/api/v1/calendar?readingRoomId=${tokyo}&from=2026-12-03&to=2026-12-03`));
    assert.equal(calendar.timezone, 'Asia/Tokyo');

    const tooSoon = assertRefusal(await reader.call('POST', '/api/v1/requests', { visitDate: '2026-12-04', containerIds: [tokyoBox] }), 422, 'VISIT_TOO_SOON');
    assert.match(String(tooSoon.message), /2026-12-07/);
    const made = ok(await reader.call('POST', '/api/v1/requests', { visitDate: '2026-12-04', containerIds: [1] }), 201).items as { readingRoomId: number }[];
    assert.equal(made[0]?.readingRoomId, 1, 'a New York box on Friday is fine');

    room.setNow(utc('2026-12-03T05:30:00')); // 00:30 on Thursday in New York
    assert.equal(await earliest(1), '2026-12-07');
    ok(await reader.call('POST', '/api/v1/requests', { visitDate: '2026-12-07', containerIds: [tokyoBox] }), 201);
  });

  it("each room's paging run and closing time come at its own local times, to the minute", async () => {
    // Tokyo 08:59 on Thursday the 3rd: nothing yet there; New York's Wednesday evening catches up.
    const first = await tick('2026-12-02T23:59:00');
    assert.ok(!first.some((r) => r.startsWith('tokyo:')), first.join(', '));
    assert.deepEqual((await tick('2026-12-03T00:00:00')).filter((r) => r.startsWith('tokyo:paging')), ['tokyo:paging-run 09:00:2026-12-04'], 'Tokyo 09:00: the pick list of Friday');
    assert.deepEqual((await tick('2026-12-03T07:59:00')).filter((r) => r.includes('closing')), [], 'Tokyo 16:59');
    assert.deepEqual((await tick('2026-12-03T08:00:00')).filter((r) => r.includes('closing')), ['tokyo:closing-time:2026-12-03'], 'Tokyo 17:00');
    assert.deepEqual((await tick('2026-12-03T08:01:00')).filter((r) => r.includes('closing')), [], 'once');
    assert.deepEqual((await tick('2026-12-03T13:59:00')).filter((r) => r.startsWith('new-york:paging')), [], 'New York 08:59');
    assert.deepEqual((await tick('2026-12-03T14:00:00')).filter((r) => r.startsWith('new-york:paging')), ['new-york:paging-run 09:00:2026-12-04'], 'New York 09:00');
    assert.deepEqual((await tick('2026-12-03T21:59:00')).filter((r) => r.includes('closing')), [], 'New York 16:59');
    assert.deepEqual(await tick('2026-12-03T22:00:00'), ['new-york:closing-time:2026-12-03'], 'New York 17:00 (EST, UTC−5)');
  });

  it('closing time keeps to the wall clock across the change to daylight-saving time', async () => {
    // New York goes to EDT (UTC−4) on Sunday 14 March 2027: 17:00 is 22:00Z on Friday, 21:00Z on Monday.
    assert.deepEqual((await tick('2027-03-12T21:59:00')).filter((r) => r.includes('new-york:closing')), []);
    assert.deepEqual((await tick('2027-03-12T22:00:00')).filter((r) => r.includes('new-york:closing')), ['new-york:closing-time:2027-03-12']);
    assert.deepEqual((await tick('2027-03-15T20:59:00')).filter((r) => r.includes('new-york:closing')), []);
    assert.deepEqual((await tick('2027-03-15T21:00:00')).filter((r) => r.includes('new-york:closing')), ['new-york:closing-time:2027-03-15']);
  });
});
