import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertRefusal, ok } from '../helpers/answers.ts';
import { lastOutboxId, mailsSince } from '../helpers/outbox-mail.ts';
import { makePerson, type Person } from '../helpers/people.ts';
import { localInstant, startReadingRoom, type TestReadingRoom } from '../helpers/reading-room.ts';
import { closingTime } from '../../src/paging/runs.ts';
import { requestsContext } from '../../src/requests/moves.ts';
import { allRooms } from '../../src/reading-rooms/store.ts';

// Class sessions, booked on Thanksgiving morning (Thursday 2026-11-26). The room's class notice is
// five business days strictly after today: Fri 27, Mon 30, Tue 1, Wed 2, Thu 3 December.

const TOO_SOON = '2026-12-02';
const FIRST_CLASS_DAY = '2026-12-03';
const LATER = '2026-12-04';

interface ClassSession {
  id: number;
  readingRoomId: number;
  date: string;
  status: string;
  requestIds: number[];
  title: string;
}
interface Request {
  id: number;
  researcherId: number | null;
  classSessionId: number | null;
  containerId: number;
  containerLabel: string;
  status: string;
}
interface PickItem {
  requestId: number;
  containerLabel: string;
  location: string;
  researcher: { id: number; name: string } | null;
  classSession: { id: number; title: string } | null;
}

describe('class sessions', () => {
  let room: TestReadingRoom;
  let staff: Person;
  let curator: Person;
  let admin: Person;
  let reader: Person;

  const booking = (overrides: Record<string, unknown> = {}) => ({
    readingRoomId: 1,
    date: FIRST_CLASS_DAY,
    startTime: '10:00',
    endTime: '11:30',
    title: 'Exile and revolution: reading Serge',
    instructorName: 'Dr Ana Reyes',
    instructorEmail: 'ana.reyes@example.edu',
    headcount: 14,
    containerIds: [1, 2],
    ...overrides,
  });
  const book = (by: Person, overrides: Record<string, unknown> = {}) => by.call('POST', '/api/v1/class-sessions', booking(overrides));
  const request = async (id: number) => ok(await staff.call('GET', `/api/v1/requests/${id}`)) as Request;
  const requestsOf = (session: ClassSession) => Promise.all(session.requestIds.map(request));

  before(async () => {
    room = await startReadingRoom();
    staff = await makePerson(room, 'staff', 'Desk Clerk');
    curator = await makePerson(room, 'curator', 'Rare Books Curator');
    admin = await makePerson(room, 'admin');
    reader = await makePerson(room, 'researcher', 'Visiting Reader');
  });
  after(async () => {
    await room?.close();
  });

  it("refuses a date inside the room's class notice, and more boxes than the room's class limit; nothing is written", async () => {
    const since = await lastOutboxId(room.db);
    const soon = assertRefusal(await book(staff, { date: TOO_SOON }), 422, 'VISIT_TOO_SOON');
    assert.match(String(soon.message), /five business days.*2026-12-03/);
    const sixteen = Array.from({ length: 16 }, (_, i) => i + 1);
    assertRefusal(await book(staff, { containerIds: sixteen }), 422, 'REQUEST_LIMIT_EXCEEDED', 'fifteen boxes by default');
    // The room's own settings rule: three boxes, two days' notice.
    ok(await admin.call('PATCH', '/api/v1/reading-rooms/1', { classItemLimit: 3, classLeadBusinessDays: 2 }));
    assertRefusal(await book(staff, { containerIds: [1, 2, 3, 4] }), 422, 'REQUEST_LIMIT_EXCEEDED');
    assertRefusal(await book(staff, { date: '2026-11-27' }), 422, 'VISIT_TOO_SOON');
    ok(await admin.call('PATCH', '/api/v1/reading-rooms/1', { classItemLimit: 15, classLeadBusinessDays: 5 }));
    // The date answers before the boxes; unknown boxes before the limit.
    assertRefusal(await book(staff, { date: TOO_SOON, containerIds: sixteen }), 422, 'VISIT_TOO_SOON');
    assertRefusal(await book(staff, { containerIds: [...sixteen.slice(1), 99_999] }), 404, 'NOT_FOUND');
    assertRefusal(await book(staff, { date: '2026-12-25' }), 422, 'VISIT_DAY_CLOSED');
    assertRefusal(await book(staff, { startTime: '11:30', endTime: '10:00' }), 400, 'INVALID_RANGE');
    assertRefusal(await book(staff, { startTime: '25:00' }), 400, 'FST_ERR_VALIDATION');
    assertRefusal(await book(staff, { instructorEmail: 'not an address' }), 400, 'FST_ERR_VALIDATION');
    assertRefusal(await book(staff, { containerIds: [] }), 400, 'FST_ERR_VALIDATION');
    const classes = ok(await staff.call('GET', '/api/v1/class-sessions')).items as ClassSession[];
    assert.deepEqual(classes, []);
    assert.deepEqual(await mailsSince(room.db, since), [], 'no refusal mailed anyone');
  });

  it('a box of another reading room is not for this room\'s class', async () => {
    const second = ok(await admin.call('POST', '/api/v1/reading-rooms', { code: 'MSSA', name: 'Manuscripts and Archives', timezone: 'America/New_York' }), 201) as { id: number };
    const refusal = assertRefusal(await book(staff, { readingRoomId: second.id }), 422, 'NOT_REQUESTABLE');
    assert.match(String(refusal.message), /Box 1, Box 2 are read in another reading room, not in Manuscripts and Archives/);
    assertRefusal(await book(staff, { readingRoomId: 9_999 }), 404, 'NOT_FOUND');
  });

  it('books the boxes for the class under the status machine; the instructor and the curators are told; a researcher asking for a class box that day is waitlisted', async () => {
    const since = await lastOutboxId(room.db);
    const session = ok(await book(staff, { containerIds: [3, 5, 23] }), 201) as ClassSession;
    assert.equal(session.status, 'booked');
    const boxes = await requestsOf(session);
    assert.deepEqual(
      boxes.map((r) => [r.containerLabel, r.researcherId, r.classSessionId, r.status]),
      [
        ['Box 3', null, session.id, 'scheduled'],
        ['Box 5', null, session.id, 'scheduled'],
        ['Box 23', null, session.id, 'awaiting_approval'],
      ],
    );
    const [first] = ok(await staff.call('GET', `/api/v1/requests/${boxes[0]!.id}/events`)).items as { actorId: number; actorRole: string; note: string }[];
    assert.deepEqual([first?.actorId, first?.actorRole], [staff.id, 'staff']);
    assert.match(first?.note ?? '', /class session "Exile and revolution: reading Serge"/);

    const mails = await mailsSince(room.db, since);
    const booked = mails.find((m) => m.jobName === 'class-session-booked');
    assert.equal(booked?.mail.to.email, 'ana.reyes@example.edu');
    assert.deepEqual(
      mails.filter((m) => m.jobName === 'restricted-review').map((m) => m.mail.to.email),
      [curator.email],
    );

    // Researchers' later requests for a class's box that day wait; another box is theirs.
    const theirs = ok(await reader.call('POST', '/api/v1/requests', { visitDate: FIRST_CLASS_DAY, containerIds: [3, 4] }), 201).items as Request[];
    assert.deepEqual(theirs.map((r) => [r.containerLabel, r.status]), [['Box 3', 'waitlisted'], ['Box 4', 'scheduled']]);
    // A class's boxes count toward no researcher's limit: the reader may still ask for eight more.
    ok(await reader.call('POST', '/api/v1/requests', { visitDate: FIRST_CLASS_DAY, containerIds: [6, 7, 8, 9, 10, 11, 12, 13] }), 201);

    // The pick list, in walking order: the class's boxes marked for it, with no researcher.
    const list = ok(await staff.call('GET', `/api/v1/paging/pick-list?date=${FIRST_CLASS_DAY}`)).items as PickItem[];
    const labels = list.map((i) => i.containerLabel);
    assert.deepEqual(labels, ['Box 3', 'Box 4', 'Box 5', 'Box 6', 'Box 7', 'Box 8', 'Box 9', 'Box 10', 'Box 11', 'Box 12', 'Box 13']);
    const box3 = list.find((i) => i.containerLabel === 'Box 3');
    const box4 = list.find((i) => i.containerLabel === 'Box 4');
    assert.deepEqual([box3?.researcher, box3?.classSession], [null, { id: session.id, title: 'Exile and revolution: reading Serge' }]);
    assert.deepEqual([box4?.researcher?.id, box4?.classSession], [reader.id, null]);

    // The session is listed for staff and curators, with its requests.
    const listed = ok(await curator.call('GET', `/api/v1/class-sessions?from=${FIRST_CLASS_DAY}&to=${FIRST_CLASS_DAY}`)).items as ClassSession[];
    assert.deepEqual(listed.map((s) => [s.id, s.requestIds]), [[session.id, session.requestIds]]);
  });

  it("tells the instructor once the last restricted box is decided, with the curator's reason", async () => {
    const session = ok(await book(curator, { date: LATER, containerIds: [24, 25, 14] }), 201) as ClassSession;
    const [box24, box25] = await requestsOf(session);
    const since = await lastOutboxId(room.db);
    ok(await curator.call('POST', `/api/v1/requests/${box24!.id}/approve`, { note: 'Handle with the book cradle.' }));
    assert.deepEqual((await mailsSince(room.db, since)).map((m) => m.jobName), [], 'one box still waits: no mail yet, and no researcher to mail');
    ok(await curator.call('POST', `/api/v1/requests/${box25!.id}/deny`, { reason: 'Too fragile for a class of fourteen.' }));
    const mails = await mailsSince(room.db, since);
    assert.deepEqual(mails.map((m) => [m.jobName, m.mail.to.email]), [['class-session-decided', 'ana.reyes@example.edu']]);
    const decisions = (mails[0]!.mail.data as { decisions: { container: { containerLabel: string; status: string }; note: string | null }[] }).decisions;
    assert.deepEqual(
      decisions.map((d) => [d.container.containerLabel, d.container.status, d.note]),
      [
        ['Box 24', 'scheduled', 'Handle with the book cradle.'],
        ['Box 25', 'denied', 'Too fragile for a class of fourteen.'],
      ],
    );
  });

  it("delivers a class's box to its table without a photo-ID check, and never keeps it on hold", async () => {
    const session = ok(await book(staff, { date: LATER, containerIds: [15] }), 201) as ClassSession;
    const [box] = session.requestIds;
    room.setNow(new Date('2026-12-04T15:00:00Z'));
    try {
      ok(await staff.call('POST', `/api/v1/requests/${box}/transition`, { to: 'paged' }));
      ok(await staff.call('POST', `/api/v1/requests/${box}/transition`, { to: 'delivered' }));
      ok(await staff.call('POST', `/api/v1/requests/${box}/transition`, { to: 'returned' }));
      assertRefusal(await staff.call('POST', `/api/v1/requests/${box}/transition`, { to: 'on_hold', holdUntil: '2026-12-07' }), 409, 'INVALID_TRANSITION');
      ok(await staff.call('POST', `/api/v1/requests/${box}/transition`, { to: 'reshelved' }));
    } finally {
      room.setNow(new Date('2026-11-26T15:00:00Z'));
    }
  });

  it('cancels a session: its boxes not yet paged are cancelled, the waiting researcher promoted, the instructor told; again is 409', async () => {
    const [session] = ok(await staff.call('GET', `/api/v1/class-sessions?from=${FIRST_CLASS_DAY}&to=${FIRST_CLASS_DAY}`)).items as ClassSession[];
    const since = await lastOutboxId(room.db);
    const cancelled = ok(await curator.call('POST', `/api/v1/class-sessions/${session!.id}/cancel`)) as ClassSession;
    assert.equal(cancelled.status, 'cancelled');
    assert.deepEqual((await requestsOf(cancelled)).map((r) => r.status), ['cancelled', 'cancelled', 'cancelled']);
    const theirs = ok(await reader.call('GET', `/api/v1/requests?visitDate=${FIRST_CLASS_DAY}`)).items as Request[];
    assert.equal(theirs.find((r) => r.containerLabel === 'Box 3')?.status, 'scheduled', 'the waiting researcher has the box now');
    const mails = (await mailsSince(room.db, since)).map((m) => [m.jobName, m.mail.to.email]);
    assert.deepEqual(mails, [['waitlist-promoted', reader.email], ['class-session-cancelled', 'ana.reyes@example.edu']]);
    assertRefusal(await curator.call('POST', `/api/v1/class-sessions/${session!.id}/cancel`), 409, 'INVALID_TRANSITION');
    assertRefusal(await curator.call('POST', '/api/v1/class-sessions/9999/cancel'), 404, 'NOT_FOUND');
  });

  it("a forced closure of the day cancels its class sessions with their boxes, and tells each instructor", async () => {
    const day = '2026-12-08';
    const session = ok(await book(staff, { date: day, containerIds: [16, 17], instructorEmail: 'closed.out@example.edu' }), 201) as ClassSession;
    assertRefusal(await admin.call('POST', '/api/v1/closures', { date: day, reason: 'Burst pipe' }), 409, 'CLOSURE_HAS_REQUESTS', "a class's boxes are booked requests");
    const since = await lastOutboxId(room.db);
    const closed = ok(await admin.call('POST', '/api/v1/closures', { date: day, reason: 'Burst pipe', force: true }), 201) as { cancelledRequests: number };
    assert.equal(closed.cancelledRequests, 2);
    const [after] = ok(await staff.call('GET', `/api/v1/class-sessions?from=${day}&to=${day}`)).items as ClassSession[];
    assert.equal(after?.status, 'cancelled');
    assert.deepEqual((await requestsOf(session)).map((r) => r.status), ['cancelled', 'cancelled']);
    const mails = await mailsSince(room.db, since);
    assert.deepEqual(mails.map((m) => [m.jobName, m.mail.to.email]), [['class-session-cancelled', 'closed.out@example.edu']]);
    assert.match(String((mails[0]!.mail.data as { reason: string }).reason), /closed on that day \(Burst pipe\)/);
  });

  it("at closing time a class's undelivered box is a no-show and its undecided one is cancelled, with no researcher to tell", async () => {
    const day = '2026-12-09';
    const session = ok(await book(staff, { date: day, containerIds: [18, 26] }), 201) as ClassSession;
    const since = await lastOutboxId(room.db);
    await closingTime(requestsContext(room.db, room.config), (await allRooms(room.db))[0]!, localInstant(day, '17:00'));
    assert.deepEqual((await requestsOf(session)).map((r) => [r.containerLabel, r.status]), [['Box 18', 'no_show'], ['Box 26', 'cancelled']]);
    assert.deepEqual((await mailsSince(room.db, since)).filter((m) => m.jobName !== 'closing-time').map((m) => m.jobName), [], 'nobody is mailed about them');
  });

  it("takes no seat: a room's last seat that day is still a researcher's", async () => {
    const day = '2026-12-10';
    ok(await admin.call('PATCH', '/api/v1/reading-rooms/1', { seats: 1 }));
    try {
      ok(await book(staff, { date: day, containerIds: [19, 20] }), 201);
      const [calendarDay] = ok(await reader.call('GET', `/api/v1/calendar?from=${day}&to=${day}`)).days as { seatsLeft: number | null }[];
      assert.equal(calendarDay?.seatsLeft, 1, 'the class took none');
      ok(await reader.call('POST', '/api/v1/requests', { visitDate: day, containerIds: [21] }), 201);
      const other = await makePerson(room, 'researcher', 'Second Reader');
      assertRefusal(await other.call('POST', '/api/v1/requests', { visitDate: day, containerIds: [22] }), 409, 'READING_ROOM_FULL', 'the one seat is the first reader’s');
    } finally {
      ok(await admin.call('PATCH', '/api/v1/reading-rooms/1', { seats: null }));
    }
  });

  it('is for staff and curators only', async () => {
    assertRefusal(await book(reader), 403, 'FORBIDDEN');
    assertRefusal(await reader.call('GET', '/api/v1/class-sessions'), 403, 'FORBIDDEN');
    assertRefusal(await reader.call('POST', '/api/v1/class-sessions/1/cancel'), 403, 'FORBIDDEN');
    assertRefusal(await staff.call('GET', '/api/v1/class-sessions?from=2026-12-10&to=2026-12-01'), 400, 'INVALID_RANGE');
  });
});
