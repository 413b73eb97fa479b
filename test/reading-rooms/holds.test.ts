import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { allRooms } from '../../src/reading-rooms/store.ts';
import { closingTime, visitReminders } from '../../src/paging/runs.ts';
import { requestsContext } from '../../src/requests/moves.ts';
import { eventsOf } from '../../src/requests/store.ts';
import { assertRefusal, ok } from '../helpers/answers.ts';
import { lastOutboxId, mailsSince } from '../helpers/outbox-mail.ts';
import { makePerson, type Person } from '../helpers/people.ts';
import { localInstant, startReadingRoom, type TestReadingRoom } from '../helpers/reading-room.ts';

// Holds between visits, through the API with the room's clock moved day by day: the hold's limit
// in business days (a weekend and a closure are not counted), the box held on each day, the
// waiting list behind it, the hold shelf and the pick list, release, and closing time on holdUntil.

const THURSDAY = '2026-12-03'; // the visit
const CLOSED_MONDAY = '2026-12-07'; // an admin's closure inside the hold
// Business days after Thursday: Fri 4, (weekend, closed Monday), Tue 8, Wed 9, Thu 10, Fri 11.
const FIFTH_BUSINESS_DAY = '2026-12-11';

describe('holds between visits', () => {
  let room: TestReadingRoom;
  let staff: Person;
  let admin: Person;
  let reader: Person;
  let other: Person;
  let held: number;
  let later: number;

  const at = (date: string, time = '10:00') => room.setNow(localInstant(date, time));
  const transition = (id: number, body: Record<string, unknown>) => staff.call('POST', `/api/v1/requests/${id}/transition`, body);
  const request = async (person: Person, visitDate: string, box: number) =>
    (ok(await person.call('POST', '/api/v1/requests', { visitDate, containerIds: [box] }), 201).items as { id: number; status: string }[])[0]!;
  const statusOf = async (id: number) => ok(await staff.call('GET', `/api/v1/requests/${id}`)).status as string;

  before(async () => {
    room = await startReadingRoom({ now: localInstant('2026-11-30', '10:00') });
    staff = await makePerson(room, 'staff');
    admin = await makePerson(room, 'admin');
    reader = await makePerson(room, 'researcher', 'Reader');
    other = await makePerson(room, 'researcher', 'Other');
    ok(await admin.call('POST', '/api/v1/closures', { date: CLOSED_MONDAY, reason: 'Staff training' }), 201);
    ok(await staff.call('POST', `/api/v1/users/${reader.id}/identity-verification`, { documentType: 'passport' }));
    held = (await request(reader, THURSDAY, 5)).id;
    at(THURSDAY);
    for (const to of ['paged', 'delivered', 'returned']) ok(await transition(held, { to }), 200, to);
  });
  after(async () => {
    await room?.close();
  });

  it('refuses a hold without holdUntil, on a closed day or a weekend, or past five business days (the weekend and the closure not counted)', async () => {
    for (const holdUntil of [undefined, THURSDAY, '2026-12-05', CLOSED_MONDAY, '2026-12-14']) {
      const body = assertRefusal(await transition(held, { to: 'on_hold', ...(holdUntil ? { holdUntil } : {}) }), 422, 'INVALID_HOLD', String(holdUntil));
      assert.match(String(body.message), new RegExp(FIFTH_BUSINESS_DAY), 'the message names the last day a hold may run to');
    }
    assert.equal(await statusOf(held), 'returned', 'a refusal changes nothing');
  });

  it('holds to the fifth business day, and the researcher is told until when', async () => {
    const since = await lastOutboxId(room.db);
    const answer = ok(await transition(held, { to: 'on_hold', holdUntil: FIFTH_BUSINESS_DAY }));
    assert.deepEqual([answer.status, answer.holdUntil], ['on_hold', FIFTH_BUSINESS_DAY]);
    const mails = await mailsSince(room.db, since);
    assert.deepEqual(mails.map((m) => [m.jobName, m.mail.to.email]), [['hold-placed', reader.email]]);
    assert.ok(mails[0]?.mail.kind === 'hold-placed');
    assert.equal(mails[0].mail.data.holdUntil, FIFTH_BUSINESS_DAY);
  });

  it("another researcher's request for a held day is waitlisted", async () => {
    // Still Thursday: the earliest visit date is Tuesday the 8th (Friday, then the closed Monday skipped).
    const waiting = await request(other, '2026-12-08', 5);
    assert.equal(waiting.status, 'waitlisted');
    later = (await request(other, '2026-12-10', 5)).id;
    assert.equal(await statusOf(later), 'waitlisted');
    const containers = ok(await staff.call('GET', '/api/v1/collections/1/containers?date=2026-12-09')).items as { id: number; available: boolean }[];
    assert.equal(containers.find((c) => c.id === 5)?.available, false, 'not available on a held day');
    assert.equal(containers.find((c) => c.id === 6)?.available, true);
  });

  it('the hold shelf lists the box on each held day, and the pick list does not', async () => {
    for (const date of ['2026-12-04', '2026-12-08', FIFTH_BUSINESS_DAY]) {
      const shelf = ok(await staff.call('GET', `/api/v1/paging/hold-shelf?date=${date}`)).items as { requestId: number; holdUntil: string; researcher: { id: number } }[];
      assert.deepEqual(shelf.map((i) => [i.requestId, i.holdUntil, i.researcher.id]), [[held, FIFTH_BUSINESS_DAY, reader.id]], date);
      const pick = ok(await staff.call('GET', `/api/v1/paging/pick-list?date=${date}`)).items as { requestId: number }[];
      assert.ok(!pick.some((i) => i.requestId === held), `not on the pick list of ${date}`);
    }
    assert.deepEqual(ok(await staff.call('GET', '/api/v1/paging/hold-shelf?date=2026-12-14')).items, [], 'not after holdUntil');
  });

  it('is delivered again on a held day only, and may go back on hold', async () => {
    for (const day of ['2026-12-05', CLOSED_MONDAY, '2026-12-14']) {
      at(day); // a Saturday, the closure, the Monday after holdUntil
      assertRefusal(await transition(held, { to: 'delivered' }), 409, 'INVALID_TRANSITION', day);
    }
    at('2026-12-08');
    ok(await transition(held, { to: 'delivered' }));
    ok(await transition(held, { to: 'returned' }));
    const again = ok(await transition(held, { to: 'on_hold', holdUntil: FIFTH_BUSINESS_DAY }));
    assert.equal(again.status, 'on_hold');
  });

  it('released by its researcher, the box comes free: the waiting request of the next held day is scheduled and its researcher told', async () => {
    assertRefusal(await other.call('POST', `/api/v1/requests/${held}/release`, {}), 404, 'NOT_FOUND', "another's hold");
    at('2026-12-09');
    const since = await lastOutboxId(room.db);
    const released = ok(await reader.call('POST', `/api/v1/requests/${held}/release`, {}));
    assert.equal(released.status, 'reshelved');
    assert.equal(await statusOf(later), 'scheduled', 'the request for Thursday the 10th');
    const mails = await mailsSince(room.db, since);
    assert.deepEqual(mails.map((m) => [m.jobName, m.mail.to.email]), [['waitlist-promoted', other.email]]);
    assertRefusal(await reader.call('POST', `/api/v1/requests/${held}/release`, {}), 409, 'INVALID_TRANSITION', 'released twice');
  });
});

describe('closing time on holdUntil', () => {
  let room: TestReadingRoom;
  let reader: Person;
  let id: number;

  before(async () => {
    room = await startReadingRoom({ now: localInstant('2026-11-30', '10:00') });
    const staff = await makePerson(room, 'staff');
    reader = await makePerson(room, 'researcher');
    ok(await staff.call('POST', `/api/v1/users/${reader.id}/identity-verification`, { documentType: 'passport' }));
    id = (ok(await reader.call('POST', '/api/v1/requests', { visitDate: THURSDAY, containerIds: [7] }), 201).items as { id: number }[])[0]!.id;
    room.setNow(localInstant(THURSDAY, '10:00'));
    for (const to of ['paged', 'delivered', 'returned']) ok(await staff.call('POST', `/api/v1/requests/${id}/transition`, { to }));
    ok(await staff.call('POST', `/api/v1/requests/${id}/transition`, { to: 'on_hold', holdUntil: '2026-12-04' }));
  });
  after(async () => {
    await room?.close();
  });

  it('the day before, the researcher is told the hold ends tomorrow', async () => {
    const since = await lastOutboxId(room.db);
    await visitReminders(requestsContext(room.db, room.config), (await allRooms(room.db))[0]!, localInstant(THURSDAY, '09:00'));
    const ending = (await mailsSince(room.db, since)).filter((m) => m.jobName === 'hold-ending');
    assert.deepEqual(ending.map((m) => m.mail.to.email), [reader.email]);
  });

  it('a forced closure of a held day leaves the hold alone: a closed day is simply not a business day', async () => {
    const admin = await makePerson(room, 'admin');
    const closed = ok(await admin.call('POST', '/api/v1/closures', { date: '2026-12-04', reason: 'Burst pipe', force: true }), 201);
    assert.equal(closed.cancelledRequests, 0);
    const held = ok(await admin.call('GET', `/api/v1/requests/${id}`));
    assert.deepEqual([held.status, held.holdUntil], ['on_hold', '2026-12-04']);
  });

  it('reshelves the box once, even when the job runs twice, and the researcher hears once', async () => {
    const ctx = requestsContext(room.db, room.config);
    const since = await lastOutboxId(room.db);
    const firstRoom = (await allRooms(room.db))[0]!;
    await closingTime(ctx, firstRoom, localInstant('2026-12-03', '17:00'));
    assert.equal((await eventsOf(room.db, id)).at(-1)?.toStatus, 'on_hold', 'the day before holdUntil leaves it on hold');
    await closingTime(ctx, firstRoom, localInstant('2026-12-04', '17:00'));
    await closingTime(ctx, firstRoom, localInstant('2026-12-04', '17:00'));
    const reshelved = (await eventsOf(room.db, id)).filter((e) => e.toStatus === 'reshelved');
    assert.deepEqual(reshelved.map((e) => [e.fromStatus, e.actorRole, e.actorId]), [['on_hold', 'system', null]]);
    const ended = (await mailsSince(room.db, since)).filter((m) => m.jobName === 'hold-ended');
    assert.deepEqual(ended.map((m) => m.mail.to.email), [reader.email]);
  });
});
