import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { appointments, requests } from '../../db/tables.ts';
import { ok } from '../helpers/answers.ts';
import { signedInBrowser, type FormBrowser } from '../helpers/form-browser.ts';
import { makePerson, type Person } from '../helpers/people.ts';
import { localInstant, startReadingRoom, THANKSGIVING_MORNING, type TestReadingRoom } from '../helpers/reading-room.ts';

// The desk's pages of a room's day: the appointments (check in, check out), the hold shelf, and
// keeping a returned box on hold. Booked on Thanksgiving 2026 for Tuesday 1 December; the desk then
// works on that Tuesday.

const VISIT = '2026-12-01';
const problemOf = (html: string) => /class="problem" role="alert">([^<]*)</.exec(html)?.[1];
const noticeOf = (html: string) => /class="notice" role="status">([^<]*)</.exec(html)?.[1];
/** One researcher's section of the appointments page, as text, and the desk buttons it offers. */
function appointmentOf(html: string, id: number) {
  const section = new RegExp(`<section class="desk-researcher" id="appointment-${id}"[\\s\\S]*?</section>`).exec(html)?.[0];
  assert.ok(section, `appointment ${id} is shown`);
  return {
    text: section.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' '),
    actions: [...section.matchAll(/action="\/desk\/appointments\/\d+\/([a-z-]+)"/g)].map((m) => m[1]),
  };
}

describe("the desk's appointments and hold shelf", { timeout: 120_000 }, () => {
  let room: TestReadingRoom;
  let rosa: Person;
  let otto: Person;
  let desk: FormBrowser;
  let rosaVisit: number;
  let ottoVisit: number;
  let boxRequest: number;

  before(async () => {
    room = await startReadingRoom();
    const staff = await makePerson(room, 'staff', 'Sam Stacks');
    [rosa, otto] = await Promise.all([makePerson(room, 'researcher', 'Rosa Reader'), makePerson(room, 'researcher', 'Otto Other')]);
    boxRequest = ok(await rosa.call('POST', '/api/v1/requests', { visitDate: VISIT, containerIds: [2] }), 201).items[0].id;
    ottoVisit = ok(await otto.call('POST', '/api/v1/appointments', { readingRoomId: 1, date: VISIT }), 201).id;
    rosaVisit = (await room.db.select().from(appointments).where(eq(appointments.researcherId, rosa.id)))[0]!.id;
    desk = await signedInBrowser(room.app, staff.email, staff.password);
  });
  after(() => room.close());

  it("lists a day's appointments with their status, photo ID and boxes, and is in the staff's navigation", async () => {
    const page = await desk.get(`/desk/appointments?date=${VISIT}`);
    assert.equal(page.statusCode, 200, page.body);
    assert.match(page.body, /<h1>Appointments: [^<]+, Tuesday 1 December 2026<\/h1>/);
    assert.match(page.body, /href="\/desk\/appointments" aria-current="page">Appointments<\/a>/);
    assert.match(page.body, /href="\/paging\/hold-shelf">Hold shelf<\/a>/);
    const rosaShown = appointmentOf(page.body, rosaVisit);
    assert.match(rosaShown.text, /Rosa Reader .*Booked: not arrived yet .*Photo ID Not checked yet/);
    assert.match(rosaShown.text, /Box 2 .*GEN MSS 238 .*To fetch from the stacks/);
    assert.match(appointmentOf(page.body, ottoVisit).text, /No boxes requested/);
    assert.deepEqual(rosaShown.actions, [], 'not its day yet: nobody can be checked in');
  });

  it('refuses a check-in on another day than the appointment, on the page, with the reason', async () => {
    await desk.get(`/desk/appointments?date=${VISIT}`);
    const refused = await desk.post(`/desk/appointments/${rosaVisit}/check-in`);
    assert.equal(refused.statusCode, 409);
    assert.equal(problemOf(refused.body), 'This appointment is for 2026-12-01, not today (2026-11-26). (409 INVALID_TRANSITION)');
    assert.equal((await room.db.select().from(appointments).where(eq(appointments.id, rosaVisit)))[0]?.status, 'booked');
  });

  it('checks a researcher in and then out on the day, through the buttons, and says so', async () => {
    room.setNow(localInstant(VISIT, '10:00'));
    try {
      const today = await desk.get('/desk/appointments');
      assert.deepEqual(appointmentOf(today.body, rosaVisit).actions, ['check-in']);
      const checkedIn = await desk.post(`/desk/appointments/${rosaVisit}/check-in`);
      assert.equal(checkedIn.statusCode, 303, checkedIn.body);
      assert.equal(checkedIn.headers.location, `/desk/appointments?room=1&date=${VISIT}&done=check-in&appointment=${rosaVisit}`);
      const after = await desk.follow(checkedIn);
      assert.equal(noticeOf(after.body), 'Rosa Reader is checked in.');
      assert.match(appointmentOf(after.body, rosaVisit).text, /Checked in ?, in Tuesday 1 December 2026 at 10:00/);
      assert.deepEqual(appointmentOf(after.body, rosaVisit).actions, ['check-out']);
      assert.equal((await room.db.select().from(appointments).where(eq(appointments.id, rosaVisit)))[0]?.status, 'attended');

      const out = await desk.follow(await desk.post(`/desk/appointments/${rosaVisit}/check-out`));
      assert.equal(noticeOf(out.body), 'Rosa Reader is checked out.');
      assert.deepEqual(appointmentOf(out.body, rosaVisit).actions, []);
      assert.ok((await room.db.select().from(appointments).where(eq(appointments.id, rosaVisit)))[0]?.checkedOutAt);
    } finally {
      room.setNow(THANKSGIVING_MORNING);
    }
  });

  it("keeps a returned box on hold to a day through the desk's form; a day too far is refused with the last day a hold can run to", async () => {
    (await room.db.$writer.update(requests).set({ status: 'returned' }).where(eq(requests.id, boxRequest)));
    room.setNow(localInstant(VISIT, '16:00'));
    try {
      const page = await desk.get(`/desk/requests/${boxRequest}`);
      assert.match(page.body, new RegExp(`<label for="hold-${boxRequest}">Keep on hold until</label>`));
      const back = `/desk/requests/${boxRequest}`;
      const tooFar = await desk.post(`/paging/requests/${boxRequest}/transition`, { to: 'on_hold', holdUntil: '2026-12-18', back });
      assert.equal(tooFar.statusCode, 422);
      assert.equal(
        problemOf(tooFar.body),
        '2026-12-18 is more than 5 business days after the visit on 2026-12-01; a hold can run to any business day after today up to 2026-12-08. (422 INVALID_HOLD)',
      );
      assert.equal((await room.db.select().from(requests).where(eq(requests.id, boxRequest)))[0]?.status, 'returned');
      const held = await desk.post(`/paging/requests/${boxRequest}/transition`, { to: 'on_hold', holdUntil: '2026-12-03', back });
      assert.equal(held.statusCode, 303, held.body);
      const row = (await room.db.select().from(requests).where(eq(requests.id, boxRequest)))[0];
      assert.deepEqual([row?.status, row?.holdUntil], ['on_hold', '2026-12-03']);
      assert.doesNotMatch((await desk.follow(held)).body, /Keep on hold until/, 'a held box is not offered a hold again');
    } finally {
      room.setNow(THANKSGIVING_MORNING);
    }
  });

  it('lists the hold shelf of each held day, and nothing after the hold ends', async () => {
    const shelf = await desk.get('/paging/hold-shelf?date=2026-12-02');
    assert.equal(shelf.statusCode, 200);
    assert.match(shelf.body, /1 box on the hold shelf/);
    const row = /<tr id="request-(\d+)">([\s\S]*?)<\/tr>/.exec(shelf.body);
    assert.equal(Number(row?.[1]), boxRequest);
    assert.match((row?.[2] ?? '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' '), /GEN MSS 238 .*Box 2 .*Rosa Reader .*Thursday 3 December 2026/);
    const later = await desk.get('/paging/hold-shelf?date=2026-12-04');
    assert.match(later.body, /Nothing is held on Friday 4 December 2026/);
    assert.equal((await desk.get('/paging/hold-shelf?room=99')).statusCode, 404);
  });

  it('shows the first and last dates there are, without a day before or after them (the page fuzzer found a 500 there)', async () => {
    for (const path of ['/paging/hold-shelf', '/desk/appointments']) {
      const first = await desk.get(`${path}?date=0000-01-01`);
      assert.equal(first.statusCode, 200, `${path}: ${first.body.slice(0, 200)}`);
      assert.doesNotMatch(first.body, />Previous day</);
      assert.match(first.body, />Next day</);
      const last = await desk.get(`${path}?date=9999-12-31`);
      assert.equal(last.statusCode, 200, path);
      assert.match(last.body, />Previous day</);
      assert.doesNotMatch(last.body, />Next day</);
    }
  });
});
