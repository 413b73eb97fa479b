import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertRefusal, ok } from '../helpers/answers.ts';
import { makePerson, type Person } from '../helpers/people.ts';
import { startReadingRoom, type TestReadingRoom } from '../helpers/reading-room.ts';
import { eadDocument, fileComponent } from '../helpers/ead-documents.ts';
import { statement } from '../../db/statements.ts';


// Reading rooms as data: made and changed by admins, each with its own closures besides those of
// every room.

const DAY = '2026-12-09'; // a Wednesday, open in both rooms

describe('reading rooms', () => {
  let room: TestReadingRoom;
  let admin: Person;
  let reader: Person;
  let second: { id: number; code: string };

  const isOpen = async (readingRoomId: number, date = DAY) =>
    (ok(await reader.call('GET', `/api/v1/calendar?readingRoomId=${readingRoomId}&from=${date}&to=${date}`)).days as { open: boolean }[])[0]?.open;

  before(async () => {
    room = await startReadingRoom({ env: { LIBRARY_NAME: 'Beinecke Library', HOLD_BUSINESS_DAYS: '3' } });
    admin = await makePerson(room, 'admin');
    reader = await makePerson(room, 'researcher');
  });
  after(async () => {
    await room?.close();
  });

  it('the first is made from the environment; a new one takes the documented defaults', async () => {
    const [first] = ok(await reader.call('GET', '/api/v1/reading-rooms')).items;
    assert.deepEqual(first, {
      id: 1,
      code: 'main',
      name: 'Beinecke Library',
      timezone: 'America/New_York',
      seats: null,
      leadBusinessDays: 2,
      dailyItemLimit: 10,
      maxAdvanceDays: 90,
      holdBusinessDays: 3,
      classLeadBusinessDays: 5,
      classItemLimit: 15,
      pagingTimes: ['09:00', '14:00'],
      closingTime: '17:00',
    });
    second = ok(await admin.call('POST', '/api/v1/reading-rooms', { code: 'MSSA', name: 'Manuscripts and Archives', timezone: 'America/New_York', seats: 12, pagingTimes: ['13:00', '10:30', '13:00'] }), 201);
    const rooms = ok(await reader.call('GET', '/api/v1/reading-rooms')).items as Record<string, unknown>[];
    assert.deepEqual(rooms.map((r) => r.code), ['main', 'MSSA'], 'the first-created first');
    assert.deepEqual([rooms[1]!.seats, rooms[1]!.pagingTimes, rooms[1]!.holdBusinessDays, rooms[1]!.closingTime], [12, ['10:30', '13:00'], 5, '17:00']);
  });

  it('refuses a taken code (case ignored), an unknown time zone, an unknown room, and changes nothing', async () => {
    assertRefusal(await admin.call('POST', '/api/v1/reading-rooms', { code: 'mssa', name: 'Again', timezone: 'America/New_York' }), 409, 'ROOM_CODE_TAKEN');
    assertRefusal(await admin.call('PATCH', '/api/v1/reading-rooms/1', { code: 'Mssa' }), 409, 'ROOM_CODE_TAKEN');
    assertRefusal(await admin.call('POST', '/api/v1/reading-rooms', { code: 'mars', name: 'Mars', timezone: 'Mars/Olympus_Mons' }), 400, 'FST_ERR_VALIDATION');
    assertRefusal(await admin.call('PATCH', `/api/v1/reading-rooms/${second.id}`, { timezone: 'Not/AZone' }), 400, 'FST_ERR_VALIDATION');
    assertRefusal(await admin.call('PATCH', '/api/v1/reading-rooms/99', { seats: 3 }), 404, 'NOT_FOUND');
    assertRefusal(await admin.call('PATCH', '/api/v1/reading-rooms/1', { closingTime: '25:00' }), 400, 'FST_ERR_VALIDATION');
    assertRefusal(await admin.call('PATCH', '/api/v1/reading-rooms/1', {}), 400, 'FST_ERR_VALIDATION');
    assert.equal((ok(await reader.call('GET', '/api/v1/reading-rooms')).items as unknown[]).length, 2);
    assertRefusal(await reader.call('GET', '/api/v1/calendar?readingRoomId=99'), 404, 'NOT_FOUND');
  });

  it("a room's closure closes that room only; one of every room closes both; CLOSURE_EXISTS is per room", async () => {
    const closed = ok(await admin.call('POST', '/api/v1/closures', { date: DAY, reason: 'Move of the stacks', readingRoomId: second.id }), 201);
    assert.deepEqual(closed, { date: DAY, reason: 'Move of the stacks', readingRoomId: second.id, cancelledRequests: 0 });
    assert.deepEqual([await isOpen(1), await isOpen(second.id)], [true, false]);
    assertRefusal(await admin.call('POST', '/api/v1/closures', { date: DAY, reason: 'Again', readingRoomId: second.id }), 409, 'CLOSURE_EXISTS');
    ok(await admin.call('POST', '/api/v1/closures', { date: DAY, reason: 'Snow', readingRoomId: null }), 201);
    assert.deepEqual([await isOpen(1), await isOpen(second.id)], [false, false]);
    assertRefusal(await admin.call('POST', '/api/v1/closures', { date: DAY, reason: 'Again', readingRoomId: 1 }), 409, 'CLOSURE_EXISTS', 'closed for every room already');

    const ofSecond = ok(await reader.call('GET', `/api/v1/closures?readingRoomId=${second.id}&from=${DAY}&to=${DAY}`)).items;
    assert.deepEqual(ofSecond, [
      { date: DAY, reason: 'Move of the stacks', readingRoomId: second.id },
      { date: DAY, reason: 'Snow', readingRoomId: null },
    ]);
    const ofFirst = ok(await reader.call('GET', `/api/v1/closures?readingRoomId=1&from=${DAY}&to=${DAY}`)).items;
    assert.deepEqual(ofFirst, [{ date: DAY, reason: 'Snow', readingRoomId: null }]);

    ok(await admin.call('DELETE', `/api/v1/closures/${DAY}`), 204);
    assert.deepEqual([await isOpen(1), await isOpen(second.id)], [true, false], 'without a room, the closure of every room is reopened');
    assertRefusal(await admin.call('DELETE', `/api/v1/closures/${DAY}?readingRoomId=1`), 404, 'NOT_FOUND');
    ok(await admin.call('DELETE', `/api/v1/closures/${DAY}?readingRoomId=${second.id}`), 204);
    assert.equal(await isOpen(second.id), true);
  });

  it('refuses an unknown room everywhere one is named, writing nothing; refuses codes and names that are not plain', async () => {
    const staff = await makePerson(room, 'staff');
    const counts = () => Promise.all(['closures', 'appointments', 'collections', 'reading_rooms'].map(async (t) => Number((await statement<{ n: number }>(room.db, `select count(*) as n from ${t}`).first())!.n)));
    const before = await counts();
    assertRefusal(await admin.call('POST', '/api/v1/closures', { date: '2026-12-10', reason: 'Nowhere', readingRoomId: 999 }), 404, 'NOT_FOUND');
    assertRefusal(await admin.call('DELETE', '/api/v1/closures/2026-12-10?readingRoomId=999'), 404, 'NOT_FOUND');
    assertRefusal(await reader.call('POST', '/api/v1/appointments', { readingRoomId: 999, date: '2026-12-10' }), 404, 'NOT_FOUND');
    assertRefusal(await staff.call('GET', '/api/v1/paging/hold-shelf?date=2026-12-10&readingRoomId=999'), 404, 'NOT_FOUND');
    const imported = await room.app.inject({
      method: 'POST',
      url: '/api/v1/collections/import?readingRoomId=999',
      headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'application/xml' },
      payload: eadDocument({ callNumber: 'NOWHERE 1', dsc: fileComponent('n1', 'Letters', '<container type="Box">1</container>') }),
    });
    assertRefusal(imported, 404, 'NOT_FOUND');
    for (const body of [
      { code: 'a b', name: 'Spaces', timezone: 'UTC' },
      { code: '<script>', name: 'Markup', timezone: 'UTC' },
      { code: 'x'.repeat(41), name: 'Long code', timezone: 'UTC' },
      { code: 'long-name', name: 'n'.repeat(201), timezone: 'UTC' },
      { code: 'no-seats', name: 'Negative', timezone: 'UTC', seats: -1 },
      { code: 'times', name: 'Times', timezone: 'UTC', pagingTimes: ['9:00'] },
    ]) {
      assertRefusal(await admin.call('POST', '/api/v1/reading-rooms', body), 400, 'FST_ERR_VALIDATION', JSON.stringify(body).slice(0, 80));
    }
    assert.deepEqual(await counts(), before, 'no refusal wrote anything');
    // An id sent along is no way to overwrite a room (Fastify drops what the schema does not name).
    const made = ok(await admin.call('POST', '/api/v1/reading-rooms', { code: 'extra', name: 'Extra', timezone: 'UTC', id: 1 }), 201);
    assert.notEqual(made.id, 1);
    assert.equal((ok(await reader.call('GET', '/api/v1/reading-rooms')).items as { id: number; code: string }[]).find((r) => r.id === 1)?.code, 'main');
  });
});
