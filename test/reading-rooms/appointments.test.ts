import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { appointments } from '../../db/tables.ts';
import { assertRefusal, ok } from '../helpers/answers.ts';
import { lastOutboxId, mailsSince } from '../helpers/outbox-mail.ts';
import { makePerson, type Person } from '../helpers/people.ts';
import { localInstant, startReadingRoom, type TestReadingRoom } from '../helpers/reading-room.ts';

// Appointments through the API: seats, one per researcher and day, the rules' order, requests
// joining the day's appointment, cancellation with its requests, and the desk's check-in and -out.

const MONDAY = '2026-11-30'; // the earliest visit date on Thanksgiving morning
const TUESDAY = '2026-12-01';
const WEDNESDAY = '2026-12-02';

interface Appointment {
  id: number;
  researcherId: number;
  readingRoomId: number;
  date: string;
  status: string;
  checkedInAt: string | null;
  checkedOutAt: string | null;
  requestIds: number[];
}

describe('appointments', () => {
  let room: TestReadingRoom;
  let admin: Person;
  let staff: Person;
  const readers: Person[] = [];

  const book = (person: Person, date: string, readingRoomId = 1) => person.call('POST', '/api/v1/appointments', { readingRoomId, date });
  const seatsLeft = async (date: string) =>
    (ok(await readers[0]!.call('GET', `/api/v1/calendar?from=${date}&to=${date}`)).days as { seatsLeft: number | null }[])[0]?.seatsLeft;

  before(async () => {
    room = await startReadingRoom({ env: { READING_ROOM_SEATS: '2' } });
    admin = await makePerson(room, 'admin');
    staff = await makePerson(room, 'staff');
    for (const name of ['Ana', 'Ben', 'Cleo', 'Dev']) readers.push(await makePerson(room, 'researcher', name));
  });
  after(async () => {
    await room?.close();
  });

  it('the first room takes its seats from READING_ROOM_SEATS, and the calendar counts them down', async () => {
    const rooms = ok(await readers[0]!.call('GET', '/api/v1/reading-rooms')).items as { id: number; seats: number | null; holdBusinessDays: number }[];
    assert.deepEqual(rooms.map((r) => [r.id, r.seats, r.holdBusinessDays]), [[1, 2, 5]]);
    assert.equal(await seatsLeft(MONDAY), 2);
    const made = ok<Appointment>(await book(readers[0]!, MONDAY), 201);
    assert.deepEqual([made.status, made.date, made.readingRoomId, made.researcherId, made.requestIds], ['booked', MONDAY, 1, readers[0]!.id, []]);
    assert.equal(await seatsLeft(MONDAY), 1);
  });

  it('answers the visit-date rules first, then DUPLICATE_APPOINTMENT, then READING_ROOM_FULL naming the next day with a seat', async () => {
    assertRefusal(await book(readers[1]!, '2026-11-27'), 422, 'VISIT_TOO_SOON');
    assertRefusal(await book(readers[1]!, '2026-11-28'), 422, 'VISIT_TOO_SOON');
    assertRefusal(await book(readers[1]!, '2027-06-01'), 422, 'VISIT_TOO_FAR');
    assertRefusal(await book(readers[1]!, '2026-12-05'), 422, 'VISIT_DAY_CLOSED');
    assertRefusal(await book(readers[0]!, MONDAY), 409, 'DUPLICATE_APPOINTMENT');
    ok(await book(readers[1]!, MONDAY), 201);
    // Tuesday full as well: the next day with a seat is Wednesday.
    ok(await book(readers[2]!, TUESDAY), 201);
    ok(await book(readers[3]!, TUESDAY), 201);
    const full = assertRefusal(await book(readers[2]!, MONDAY), 409, 'READING_ROOM_FULL');
    assert.match(String(full.message), new RegExp(`next open day with a seat is ${WEDNESDAY}`));
    assertRefusal(await book(readers[0]!, MONDAY), 409, 'DUPLICATE_APPOINTMENT', 'a duplicate answers before a full day');
    assert.equal(await seatsLeft(MONDAY), 0);
    assert.equal((await room.db.select().from(appointments)).filter((a) => a.date === MONDAY).length, 2, 'the refusals wrote nothing');
  });

  it('a request joins the researcher’s appointment that day; on a full day without one it is READING_ROOM_FULL, after the other rules', async () => {
    const joined = ok(await readers[0]!.call('POST', '/api/v1/requests', { visitDate: MONDAY, containerIds: [1, 2] }), 201).items as { id: number; appointmentId: number }[];
    const mine = ok<{ items: Appointment[] }>(await readers[0]!.call('GET', `/api/v1/appointments?date=${MONDAY}`)).items;
    assert.equal(mine.length, 1);
    assert.deepEqual(joined.map((r) => r.appointmentId), [mine[0]!.id, mine[0]!.id]);
    assert.deepEqual(mine[0]!.requestIds, joined.map((r) => r.id));

    assertRefusal(await readers[2]!.call('POST', '/api/v1/requests', { visitDate: MONDAY, containerIds: [999] }), 404, 'NOT_FOUND', 'an unknown box answers before a full day');
    assertRefusal(await readers[2]!.call('POST', '/api/v1/requests', { visitDate: MONDAY, containerIds: [3] }), 409, 'READING_ROOM_FULL');
    // A request for a day with seats books the appointment itself.
    const booked = ok(await readers[2]!.call('POST', '/api/v1/requests', { visitDate: WEDNESDAY, containerIds: [3] }), 201).items as { appointmentId: number }[];
    const theirs = ok<{ items: Appointment[] }>(await readers[2]!.call('GET', `/api/v1/appointments?date=${WEDNESDAY}`)).items;
    assert.deepEqual(theirs.map((a) => [a.id, a.status]), [[booked[0]!.appointmentId, 'booked']]);
  });

  it('seats lowered below a day’s bookings keep them; the day is full for the next', async () => {
    const patched = ok(await admin.call('PATCH', '/api/v1/reading-rooms/1', { seats: 1 }));
    assert.equal(patched.seats, 1);
    const monday = ok<{ items: Appointment[] }>(await staff.call('GET', `/api/v1/appointments?date=${MONDAY}&status=booked`)).items;
    assert.equal(monday.length, 2, 'both bookings stand');
    assert.equal(await seatsLeft(MONDAY), 0);
    ok(await admin.call('PATCH', '/api/v1/reading-rooms/1', { seats: null }));
    assert.equal(await seatsLeft(MONDAY), null, 'unlimited');
    ok(await admin.call('PATCH', '/api/v1/reading-rooms/1', { seats: 2 }));
  });

  it('a researcher sees only their own appointments; another’s is 404 to cancel', async () => {
    const seen = ok<{ items: Appointment[] }>(await readers[1]!.call('GET', '/api/v1/appointments')).items;
    assert.ok(seen.length > 0 && seen.every((a) => a.researcherId === readers[1]!.id));
    const ofAna = ok<{ items: Appointment[] }>(await readers[1]!.call('GET', `/api/v1/appointments?researcherId=${readers[0]!.id}`)).items;
    assert.ok(ofAna.every((a) => a.researcherId === readers[1]!.id), 'researcherId is ignored for a researcher');
    const anas = ok<{ items: Appointment[] }>(await readers[0]!.call('GET', '/api/v1/appointments')).items;
    assertRefusal(await readers[1]!.call('POST', `/api/v1/appointments/${anas[0]!.id}/cancel`, {}), 404, 'NOT_FOUND');
  });

  it('the desk checks in and out on the day only; again is the same answer; a cancelled one is refused', async () => {
    const [ana] = ok<{ items: Appointment[] }>(await readers[0]!.call('GET', `/api/v1/appointments?date=${MONDAY}`)).items;
    assertRefusal(await staff.call('POST', `/api/v1/appointments/${ana!.id}/check-in`, {}), 409, 'INVALID_TRANSITION', 'Thanksgiving is not Monday');
    room.setNow(localInstant(MONDAY, '10:00'));
    assertRefusal(await staff.call('POST', `/api/v1/appointments/${ana!.id}/check-out`, {}), 409, 'INVALID_TRANSITION', 'not checked in');
    const inside = ok<Appointment>(await staff.call('POST', `/api/v1/appointments/${ana!.id}/check-in`, {}));
    assert.equal(inside.status, 'attended');
    room.setNow(localInstant(MONDAY, '11:00'));
    assert.deepEqual(ok<Appointment>(await staff.call('POST', `/api/v1/appointments/${ana!.id}/check-in`, {})), inside, 'checking in again changes nothing');
    const out = ok<Appointment>(await staff.call('POST', `/api/v1/appointments/${ana!.id}/check-out`, {}));
    assert.equal(out.checkedInAt, localInstant(MONDAY, '10:00').toISOString());
    assert.equal(out.checkedOutAt, localInstant(MONDAY, '11:00').toISOString());
    assertRefusal(await readers[0]!.call('POST', `/api/v1/appointments/${ana!.id}/cancel`, {}), 409, 'INVALID_TRANSITION', 'attended');
    room.setNow(localInstant('2026-11-26', '10:00'));
  });
});

describe('cancelling an appointment', () => {
  let room: TestReadingRoom;
  let staff: Person;
  let owner: Person;
  let waiting: Person;
  let curatorReviewed: number;

  before(async () => {
    room = await startReadingRoom();
    staff = await makePerson(room, 'staff');
    owner = await makePerson(room, 'researcher', 'Owner');
    waiting = await makePerson(room, 'researcher', 'Waiting');
    await makePerson(room, 'curator');
    // Owner: box 1 (scheduled, someone waits behind it), box 2 (paged), box 23 (awaiting a curator).
    const made = ok(await owner.call('POST', '/api/v1/requests', { visitDate: MONDAY, containerIds: [1, 2, 23] }), 201).items as { id: number }[];
    curatorReviewed = made[2]!.id;
    ok(await staff.call('POST', `/api/v1/requests/${made[1]!.id}/transition`, { to: 'paged' }));
    const behind = ok(await waiting.call('POST', '/api/v1/requests', { visitDate: MONDAY, containerIds: [1] }), 201).items as { status: string }[];
    assert.equal(behind[0]!.status, 'waitlisted');
  });
  after(async () => {
    await room?.close();
  });

  it('cancels only the requests not yet paged, promotes the waiting list, and each researcher hears once', async () => {
    const [appointment] = ok<{ items: Appointment[] }>(await owner.call('GET', `/api/v1/appointments?date=${MONDAY}`)).items;
    const since = await lastOutboxId(room.db);
    const cancelled = ok<Appointment>(await owner.call('POST', `/api/v1/appointments/${appointment!.id}/cancel`, {}));
    assert.equal(cancelled.status, 'cancelled');
    const statuses = await Promise.all(cancelled.requestIds.map(async (id) => ok(await owner.call('GET', `/api/v1/requests/${id}`)).status as string));
    assert.deepEqual(statuses, ['cancelled', 'paged', 'cancelled']);
    const waitingRequests = ok(await waiting.call('GET', '/api/v1/requests')).items as { status: string }[];
    assert.deepEqual(waitingRequests.map((r) => r.status), ['scheduled']);

    const mails = await mailsSince(room.db, since);
    assert.deepEqual(mails.map((m) => [m.jobName, m.mail.to.email]).sort(), [
      ['appointment-cancelled', owner.email],
      ['waitlist-promoted', waiting.email],
    ]);
    const toOwner = mails.find((m) => m.jobName === 'appointment-cancelled')!.mail;
    assert.ok(toOwner.kind === 'appointment-cancelled');
    assert.deepEqual(toOwner.data.containers.map((c) => c.requestId).sort((a, b) => a - b), [cancelled.requestIds[0], curatorReviewed].sort((a, b) => (a ?? 0) - (b ?? 0)));

    assertRefusal(await owner.call('POST', `/api/v1/appointments/${appointment!.id}/cancel`, {}), 409, 'INVALID_TRANSITION', 'cancelled twice');
    assert.deepEqual((await mailsSince(room.db, since)).length, 2, 'the refusal mailed nobody');
  });

  it('after it, the seat is free again and the researcher may book the day anew', async () => {
    const again = ok<Appointment>(await owner.call('POST', '/api/v1/appointments', { readingRoomId: 1, date: MONDAY }), 201);
    assert.equal(again.status, 'booked');
  });
});
