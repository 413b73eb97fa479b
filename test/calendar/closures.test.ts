import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertRefusal, ok } from '../helpers/answers.ts';
import { makePerson, type Person } from '../helpers/people.ts';
import { startReadingRoom, type TestReadingRoom } from '../helpers/reading-room.ts';
import { lastOutboxId as lastOutboxRow, mailsSince as outboxMailsSince } from '../helpers/outbox-mail.ts';

// Closing the reading room on a day (admins only), on Thanksgiving morning 2026.

const QUIET_DAY = '2026-12-07'; // Monday, nobody booked
const BUSY_DAY = '2026-12-08'; // Tuesday, with requests in every active status before delivery
const DESK_DAY = '2026-12-09'; // Wednesday, with a box out at the desk
const NEVER_CLOSED = '2026-12-10';

describe('closures', { timeout: 40_000 }, () => {
  let room: TestReadingRoom;
  let admin: Person;
  let staff: Person;
  let curator: Person;
  let alba: Person;
  let boris: Person;
  const ids: Record<string, number> = {};

  const mailsSince = (afterId: number) => outboxMailsSince(room.db, afterId);
  const lastOutboxId = () => lastOutboxRow(room.db);

  const day = async (date: string) => {
    const calendar = ok(await room.app.inject({ method: 'GET', url: `/api/v1/calendar?from=${date}&to=${date}` }));
    assert.equal(calendar.days.length, 1);
    return calendar.days[0] as { date: string; open: boolean; reason?: string };
  };
  const closureDates = async () => ok(await room.app.inject({ method: 'GET', url: '/api/v1/closures' })).items.map((c: { date: string }) => c.date) as string[];
  const statusOf = async (key: string) => ok(await staff.call('GET', `/api/v1/requests/${ids[key]}`)).status as string;
  async function submit(who: Person, visitDate: string, boxes: number[]) {
    const created = ok(await who.call('POST', '/api/v1/requests', { visitDate, containerIds: boxes }), 201).items as { id: number; containerId: number; status: string }[];
    for (const r of created) ids[`${who.name}:${visitDate}:${r.containerId}`] = r.id;
    return created.map((r) => r.status);
  }
  const move = async (key: string, ...steps: string[]) => {
    for (const to of steps) ok(await staff.call('POST', `/api/v1/requests/${ids[key]}/transition`, { to }), 200, `${key} → ${to}`);
  };

  before(async () => {
    room = await startReadingRoom();
    admin = await makePerson(room, 'admin', 'admin');
    staff = await makePerson(room, 'staff', 'staff');
    curator = await makePerson(room, 'curator', 'curator');
    alba = await makePerson(room, 'researcher', 'alba');
    boris = await makePerson(room, 'researcher', 'boris');
  });

  after(async () => {
    await room?.close();
  });

  it('closing a day without requests answers 201 with no request cancelled; the calendar shows it closed and requests for it are refused 422 VISIT_DAY_CLOSED', async () => {
    assert.equal((await day(QUIET_DAY)).open, true);
    const since = await lastOutboxId();
    const closed = ok(await admin.call('POST', '/api/v1/closures', { date: QUIET_DAY, reason: 'Staff training' }), 201);
    assert.deepEqual(closed, { date: QUIET_DAY, reason: 'Staff training', readingRoomId: null, cancelledRequests: 0 });
    assert.deepEqual(await day(QUIET_DAY), { date: QUIET_DAY, open: false, reason: 'Staff training' });
    assert.ok((await closureDates()).includes(QUIET_DAY));
    assertRefusal(await alba.call('POST', '/api/v1/requests', { visitDate: QUIET_DAY, containerIds: [1] }), 422, 'VISIT_DAY_CLOSED');
    assert.deepEqual(await mailsSince(since), [], 'nobody to tell');
  });

  it('closing a closed day again is refused 409 CLOSURE_EXISTS', async () => {
    assertRefusal(await admin.call('POST', '/api/v1/closures', { date: QUIET_DAY, reason: 'Again' }), 409, 'CLOSURE_EXISTS');
    assertRefusal(await admin.call('POST', '/api/v1/closures', { date: QUIET_DAY, reason: 'Again', force: true }), 409, 'CLOSURE_EXISTS');
    assert.equal((await day(QUIET_DAY)).reason, 'Staff training', 'the first reason stands');
  });

  it('a day with active requests is not closed without force (409 CLOSURE_HAS_REQUESTS), and nothing changes', async () => {
    assert.deepEqual(await submit(alba, BUSY_DAY, [1, 23, 5]), ['scheduled', 'awaiting_approval', 'scheduled']);
    assert.deepEqual(await submit(boris, BUSY_DAY, [1, 2]), ['waitlisted', 'scheduled']);
    await move(`boris:${BUSY_DAY}:2`, 'paged');
    ok(await alba.call('POST', `/api/v1/requests/${ids[`alba:${BUSY_DAY}:5`]}/cancel`, {})); // final: not the closure's to cancel

    const since = await lastOutboxId();
    assertRefusal(await admin.call('POST', '/api/v1/closures', { date: BUSY_DAY, reason: 'Burst pipe' }), 409, 'CLOSURE_HAS_REQUESTS');
    assertRefusal(await admin.call('POST', '/api/v1/closures', { date: BUSY_DAY, reason: 'Burst pipe', force: false }), 409, 'CLOSURE_HAS_REQUESTS');
    assert.equal((await day(BUSY_DAY)).open, true);
    assert.ok(!(await closureDates()).includes(BUSY_DAY));
    assert.deepEqual(
      [await statusOf(`alba:${BUSY_DAY}:1`), await statusOf(`alba:${BUSY_DAY}:23`), await statusOf(`boris:${BUSY_DAY}:1`), await statusOf(`boris:${BUSY_DAY}:2`)],
      ['scheduled', 'awaiting_approval', 'waitlisted', 'paged'],
    );
    assert.deepEqual(await mailsSince(since), []);
  });

  it("with force the day is closed: its awaiting, waitlisted, scheduled and paged requests are cancelled and each researcher gets one mail with the reason", async () => {
    const since = await lastOutboxId();
    const closed = ok(await admin.call('POST', '/api/v1/closures', { date: BUSY_DAY, reason: 'Burst pipe', force: true }), 201);
    assert.deepEqual(closed, { date: BUSY_DAY, reason: 'Burst pipe', readingRoomId: null, cancelledRequests: 4 });
    assert.equal((await day(BUSY_DAY)).open, false);

    for (const [key, from] of [
      [`alba:${BUSY_DAY}:1`, 'scheduled'],
      [`alba:${BUSY_DAY}:23`, 'awaiting_approval'],
      [`boris:${BUSY_DAY}:1`, 'waitlisted'],
      [`boris:${BUSY_DAY}:2`, 'paged'],
    ] as const) {
      assert.equal(await statusOf(key), 'cancelled', key);
      const event = ok(await staff.call('GET', `/api/v1/requests/${ids[key]}/events`)).items.at(-1);
      assert.deepEqual([event.actorId, event.actorRole, event.from, event.to], [admin.id, 'admin', from, 'cancelled'], key);
    }
    assert.equal(await statusOf(`alba:${BUSY_DAY}:5`), 'cancelled');

    const mails = await mailsSince(since);
    assert.deepEqual(mails.map((m) => m.jobName), ['request-cancelled', 'request-cancelled'], 'one mail per researcher, nothing else');
    assert.deepEqual(mails.map((m) => m.mail.to.email).sort(), [alba.email, boris.email].sort());
    for (const { mail } of mails) {
      assert.ok(mail.kind === 'request-cancelled');
      assert.equal(mail.data.visitDate, BUSY_DAY);
      assert.match(mail.data.reason, /Burst pipe/);
      const theirs = mail.to.email === alba.email ? [`alba:${BUSY_DAY}:1`, `alba:${BUSY_DAY}:23`] : [`boris:${BUSY_DAY}:1`, `boris:${BUSY_DAY}:2`];
      assert.deepEqual(
        mail.data.containers.map((c) => c.requestId).sort((a, b) => a - b),
        theirs.map((k) => ids[k] ?? 0).sort((a, b) => a - b),
      );
    }
  });

  it('a day with a box still delivered or returned is not closed, even with force (409 CLOSURE_HAS_REQUESTS)', async () => {
    assert.deepEqual(await submit(alba, DESK_DAY, [3, 4]), ['scheduled', 'scheduled']);
    ok(await staff.call('POST', `/api/v1/users/${alba.id}/identity-verification`, { documentType: 'passport' }));
    await move(`alba:${DESK_DAY}:3`, 'paged', 'delivered');
    const since = await lastOutboxId();
    for (const expected of ['delivered', 'returned']) {
      if (expected === 'returned') await move(`alba:${DESK_DAY}:3`, 'returned');
      assertRefusal(await admin.call('POST', '/api/v1/closures', { date: DESK_DAY, reason: 'Power cut', force: true }), 409, 'CLOSURE_HAS_REQUESTS', expected);
      assertRefusal(await admin.call('POST', '/api/v1/closures', { date: DESK_DAY, reason: 'Power cut' }), 409, 'CLOSURE_HAS_REQUESTS', expected);
      assert.equal(await statusOf(`alba:${DESK_DAY}:3`), expected);
      assert.equal(await statusOf(`alba:${DESK_DAY}:4`), 'scheduled', 'the forced attempt cancelled nothing');
      assert.equal((await day(DESK_DAY)).open, true);
    }
    assert.deepEqual(await mailsSince(since), []);

    await move(`alba:${DESK_DAY}:3`, 'reshelved');
    const closed = ok(await admin.call('POST', '/api/v1/closures', { date: DESK_DAY, reason: 'Power cut', force: true }), 201);
    assert.equal(closed.cancelledRequests, 1, 'once the box is back on its shelf, only the scheduled one is cancelled');
    assert.equal(await statusOf(`alba:${DESK_DAY}:3`), 'reshelved');
  });

  it('reopening a closed day answers 204 and the day is open again; an unknown date is 404', async () => {
    const reopened = await admin.call('DELETE', `/api/v1/closures/${QUIET_DAY}`);
    assert.equal(reopened.statusCode, 204, reopened.body);
    assert.equal(reopened.body, '');
    assert.deepEqual(await day(QUIET_DAY), { date: QUIET_DAY, open: true, seatsLeft: null });
    assert.ok(!(await closureDates()).includes(QUIET_DAY));
    assert.deepEqual(await submit(alba, QUIET_DAY, [1]), ['scheduled']);

    assertRefusal(await admin.call('DELETE', `/api/v1/closures/${QUIET_DAY}`), 404, 'NOT_FOUND', 'reopened already');
    assertRefusal(await admin.call('DELETE', `/api/v1/closures/${NEVER_CLOSED}`), 404, 'NOT_FOUND');
  });

  it('only admins close and reopen days: staff, curators and researchers get 403, nobody signed in 401', async () => {
    const since = await lastOutboxId();
    for (const person of [staff, curator, alba]) {
      assertRefusal(await person.call('POST', '/api/v1/closures', { date: NEVER_CLOSED, reason: 'Not mine to say' }), 403, 'FORBIDDEN', person.role);
      assertRefusal(await person.call('DELETE', `/api/v1/closures/${BUSY_DAY}`), 403, 'FORBIDDEN', person.role);
    }
    assertRefusal(await room.app.inject({ method: 'POST', url: '/api/v1/closures', payload: { date: NEVER_CLOSED, reason: 'Anonymous' } }), 401, 'UNAUTHENTICATED');
    assertRefusal(await room.app.inject({ method: 'DELETE', url: `/api/v1/closures/${BUSY_DAY}` }), 401, 'UNAUTHENTICATED');
    assert.equal((await day(NEVER_CLOSED)).open, true);
    assert.equal((await day(BUSY_DAY)).open, false);
    assert.deepEqual(await mailsSince(since), []);
  });
});
