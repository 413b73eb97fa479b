import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { appointments, requests } from '../../db/tables.ts';
import { updateRoom } from '../../src/reading-rooms/store.ts';
import { ok } from '../helpers/answers.ts';
import { signedInBrowser, type FormBrowser } from '../helpers/form-browser.ts';
import { makePerson, type Person } from '../helpers/people.ts';
import { startReadingRoom, type TestReadingRoom } from '../helpers/reading-room.ts';

// The researcher's visits as a browser without JavaScript uses them, on Thanksgiving morning 2026
// (Thursday 26 November, 10:00 in New York; the earliest visit date is Monday 30 November). The
// first room has two seats a day.

/** One day's card of the visit planner: its text, and whether it offers "Book this day". */
function dayCard(html: string, date: string) {
  const card = new RegExp(`<li id="day-${date}"[^>]*>([\\s\\S]*?)</li>\\s*(?=<li id="day-|</ol>)`).exec(html)?.[1];
  assert.ok(card !== undefined, `a card for ${date}`);
  return { text: card.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim(), bookable: /action="\/visit\/book"/.test(card) };
}
const problemOf = (html: string) => /class="problem" role="alert">([^<]*)</.exec(html)?.[1];
const noticeOf = (html: string) => /class="notice" role="status">([^<]*)</.exec(html)?.[1];

describe("the researcher's visit pages", { timeout: 120_000 }, () => {
  let room: TestReadingRoom;
  let rosa: Person;
  let otto: Person;
  let olga: Person;
  let browser: FormBrowser;
  let roomName: string;
  const box: Record<string, number> = {};

  before(async () => {
    room = await startReadingRoom();
    roomName = (await updateRoom(room.db, 1, { seats: 2 })).name;
    [rosa, otto, olga] = await Promise.all([makePerson(room, 'researcher', 'Rosa Reader'), makePerson(room, 'researcher', 'Otto Other'), makePerson(room, 'researcher', 'Olga Other')]);
    const collection = ok(await rosa.call('GET', `/api/v1/collections?callNumber=${encodeURIComponent('GEN MSS 238')}`)).items[0];
    for (const c of ok(await rosa.call('GET', `/api/v1/collections/${collection.id}`)).containers) box[c.label] = c.id;
    // 2 December: one seat taken; 3 December: both; Box 1 is Otto's on 4 December.
    ok(await otto.call('POST', '/api/v1/appointments', { readingRoomId: 1, date: '2026-12-02' }), 201);
    for (const person of [otto, olga]) ok(await person.call('POST', '/api/v1/appointments', { readingRoomId: 1, date: '2026-12-03' }), 201);
    ok(await otto.call('POST', '/api/v1/requests', { visitDate: '2026-12-04', containerIds: [box['Box 1']] }), 201);
    browser = await signedInBrowser(room.app, rosa.email, rosa.password);
  });
  after(() => room.close());

  it('plans in the first room this month by default: past days, the holiday and weekends closed with their reason, and the days before the earliest visit date', async () => {
    const page = await browser.get('/visit');
    assert.equal(page.statusCode, 200, page.body);
    assert.match(page.body, new RegExp(`<h1>Plan a visit: ${roomName}, November 2026</h1>`));
    assert.match(dayCard(page.body, '2026-11-25').text, /Past/);
    assert.match(dayCard(page.body, '2026-11-26').text, /Closed: Thanksgiving Day/);
    assert.match(dayCard(page.body, '2026-11-28').text, /Closed on Saturdays/);
    assert.match(dayCard(page.body, '2026-11-27').text, /Too soon: the earliest visit date is Monday 30 November 2026/);
    assert.equal(dayCard(page.body, '2026-11-27').bookable, false);
    assert.deepEqual(dayCard(page.body, '2026-11-30'), { text: 'Monday 30 November Open: 2 seats left Book this day , Monday 30 November 2026', bookable: true });
    assert.match(page.body, /href="\/visit\?room=1&amp;month=2026-12">Next month/);
    assert.doesNotMatch(page.body, /Previous month/, 'no month before this one');
  });

  it('shows the seats left each day from the bookings, a full day as full and without a Book button, and a day past the horizon', async () => {
    const december = await browser.get('/visit?room=1&month=2026-12');
    assert.match(dayCard(december.body, '2026-12-01').text, /Open: 2 seats left/);
    assert.match(dayCard(december.body, '2026-12-02').text, /Open: 1 seat left/);
    assert.deepEqual(dayCard(december.body, '2026-12-03'), { text: 'Thursday 3 December Full: every seat is taken', bookable: false });
    assert.match(dayCard(december.body, '2026-12-25').text, /Closed: Christmas Day/);
    const february = await browser.get('/visit?room=1&month=2027-02');
    assert.match(dayCard(february.body, '2027-02-25').text, /Past the booking horizon: the last day that can be booked is Wednesday 24 February 2027/);
    assert.doesNotMatch(february.body, /Next month/, 'no month past the horizon');
  });

  it("shows how the chosen boxes stand on each open day: another reader's, or a curator's to approve", async () => {
    const page = await browser.get(`/visit?month=2026-12&containerIds=${box['Box 1']}&containerIds=${box['Box 23']}`);
    assert.match(page.body, /The boxes you chose/);
    assert.match(dayCard(page.body, '2026-12-04').text, /Box 1: held by another reader: you would join the waiting list/);
    assert.match(dayCard(page.body, '2026-12-07').text, /Box 1: available/);
    assert.match(dayCard(page.body, '2026-12-07').text, /Box 23: restricted: a curator must approve it/);
    assert.doesNotMatch(dayCard(page.body, '2026-12-05').text, /Box 1/, 'a closed day says nothing of the boxes');
    assert.match(page.body, new RegExp(`href="/visit\\?room=1&amp;month=2027-01&amp;containerIds=${box['Box 1']}&amp;containerIds=${box['Box 23']}"`), 'the next month keeps the boxes');
  });

  it('books a day through its form, then shows it as theirs on the planner and on My appointments', async () => {
    await browser.get('/visit?month=2026-12');
    const booked = await browser.post('/visit/book', { room: '1', date: '2026-12-01' });
    assert.equal(booked.statusCode, 303, booked.body);
    const made = (await room.db.select().from(appointments).where(eq(appointments.researcherId, rosa.id)));
    assert.deepEqual(made.map((a) => [a.date, a.status]), [['2026-12-01', 'booked']]);
    assert.equal(booked.headers.location, `/appointments?booked=${made[0]!.id}`);
    const mine = await browser.follow(booked);
    assert.equal(noticeOf(mine.body), `Booked: ${roomName} on Tuesday 1 December 2026. A confirmation is on its way by e-mail, with the visit for your calendar.`);
    assert.match(mine.body, /<strong>Tuesday 1 December 2026<\/strong>, [^:]+: <span class="researcher-status">booked<\/span>/);
    const planner = await browser.get('/visit?month=2026-12');
    assert.deepEqual(dayCard(planner.body, '2026-12-01'), { text: 'Tuesday 1 December Open: 1 seat left Your appointment: booked', bookable: false });
  });

  it('shows a refused booking on the planner with its message: a second appointment that day, a full day with the next day that has a seat, a day too soon', async () => {
    await browser.get('/visit');
    const twice = await browser.post('/visit/book', { room: '1', date: '2026-12-01' });
    assert.equal(twice.statusCode, 409);
    assert.equal(problemOf(twice.body), `You already have an appointment in ${roomName} on Tuesday 1 December 2026.`);
    assert.match(twice.body, /<h1>Plan a visit: [^<]+, December 2026<\/h1>/, 'the month of the day asked for');
    const full = await browser.post('/visit/book', { room: '1', date: '2026-12-03' });
    assert.equal(full.statusCode, 409);
    assert.equal(problemOf(full.body), `Every seat in ${roomName} is taken on Thursday 3 December 2026; the next open day with a seat is Friday 4 December 2026.`);
    const soon = await browser.post('/visit/book', { room: '1', date: '2026-11-27' });
    assert.equal(soon.statusCode, 422);
    assert.equal(problemOf(soon.body), 'Requests must be made at least two business days ahead; the earliest visit date is Monday 30 November 2026.');
    assert.equal((await room.db.select().from(appointments).where(eq(appointments.researcherId, rosa.id))).length, 1, 'nothing more was booked');
  });

  it('refuses a booking without the CSRF token, and names an unknown room or month plainly', async () => {
    const forged = await browser.post('/visit/book', { room: '1', date: '2026-12-04' }, { csrf: false });
    assert.equal(forged.statusCode, 403);
    assert.equal((await browser.get('/visit?room=99')).statusCode, 404);
    const far = await browser.get('/visit?month=2031-01');
    assert.equal(far.statusCode, 200);
    assert.equal(problemOf(far.body), `Visits to ${roomName} can be planned from November 2026 to February 2027; here is November 2026.`);
  });

  it('lists the appointments with their requests, gives each a calendar file, and cancels one with its requests', async () => {
    const requested = ok(await rosa.call('POST', '/api/v1/requests', { visitDate: '2026-12-07', containerIds: [box['Box 2']] }), 201).items[0];
    const visit = (await room.db.select().from(appointments).where(eq(appointments.date, '2026-12-07')))[0];
    assert.ok(visit);
    const list = await browser.get('/appointments');
    const item = /<li id="appointment-(\d+)">([\s\S]*?)<\/li>\s*(?=<li id="appointment-|<\/ul>)/g;
    const shown = [...list.body.matchAll(item)].map((m) => ({ id: Number(m[1]), text: (m[2] ?? '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ') }));
    assert.deepEqual(shown.map((s) => s.id).length, 2);
    assert.match(shown[0]!.text, /Tuesday 1 December 2026/, 'the soonest first');
    assert.match(shown[1]!.text, /Monday 7 December 2026.*Box 2, .*: scheduled/);

    const ics = await browser.get(`/appointments/${visit.id}/calendar.ics`);
    assert.equal(ics.statusCode, 200);
    assert.match(String(ics.headers['content-type']), /^text\/calendar; charset=utf-8/);
    assert.equal(ics.headers['content-disposition'], 'attachment; filename="visit-2026-12-07.ics"');
    assert.match(ics.body, /DTSTART;VALUE=DATE:20261207/);
    assert.match(ics.body, new RegExp(`UID:appointment-${visit.id}@`));

    await browser.get('/appointments');
    const cancelled = await browser.post(`/appointments/${visit.id}/cancel`);
    assert.equal(cancelled.statusCode, 303, cancelled.body);
    assert.equal(cancelled.headers.location, `/appointments?cancelled=${visit.id}`);
    assert.equal((await room.db.select().from(appointments).where(eq(appointments.id, visit.id)))[0]?.status, 'cancelled');
    assert.equal((await room.db.select().from(requests).where(eq(requests.id, requested.id)))[0]?.status, 'cancelled');
    const after = await browser.follow(cancelled);
    assert.match(noticeOf(after.body) ?? '', /^Cancelled: your appointment in .* on Monday 7 December 2026/);
    assert.doesNotMatch(after.body, new RegExp(`action="/appointments/${visit.id}/cancel"`), 'no cancel button once cancelled');
    const again = await browser.post(`/appointments/${visit.id}/cancel`);
    assert.equal(again.statusCode, 409);
    assert.equal(problemOf(again.body), 'This appointment is already cancelled.');
  });

  it("treats another researcher's appointment as not there: its calendar file and its cancellation are 404, and it stays booked", async () => {
    const theirs = (await room.db.select().from(appointments).where(eq(appointments.researcherId, otto.id)))[0];
    assert.ok(theirs);
    const file = await browser.get(`/appointments/${theirs.id}/calendar.ics`);
    assert.equal(file.statusCode, 404);
    assert.match(String(file.headers['content-type']), /text\/html/);
    await browser.get('/appointments');
    const cancel = await browser.post(`/appointments/${theirs.id}/cancel`);
    assert.equal(cancel.statusCode, 404);
    assert.match(cancel.body, /There is no appointment \d+ among yours/);
    assert.equal((await room.db.select().from(appointments).where(eq(appointments.id, theirs.id)))[0]?.status, 'booked');
  });

  it('shows a box kept on hold with its last day, and releases it to the stacks', async () => {
    const held = (await room.db.$writer
      .insert(requests)
      .values({ researcherId: rosa.id, containerId: box['Box 3']!, visitDate: '2026-11-24', readingRoomId: 1, status: 'on_hold', holdUntil: '2026-12-01' })
      .returning({ id: requests.id })
      )[0]!.id;
    const list = await browser.get('/requests');
    assert.match(list.body, /Kept for you at the desk until Tuesday 1 December 2026/);
    assert.match(list.body, new RegExp(`action="/requests/${held}/release"`));
    const released = await browser.post(`/requests/${held}/release`);
    assert.equal(released.statusCode, 303, released.body);
    assert.equal(released.headers.location, `/requests?released=${held}`);
    assert.equal((await room.db.select().from(requests).where(eq(requests.id, held)))[0]?.status, 'reshelved');
    const after = await browser.follow(released);
    assert.match(noticeOf(after.body) ?? '', /^Released\. Box 3, .*goes back to the stacks/);
    assert.doesNotMatch(after.body, new RegExp(`action="/requests/${held}/release"`));
    const again = await browser.post(`/requests/${held}/release`);
    assert.equal(again.statusCode, 409);
  });

  it("plans a visit for the boxes checked on a collection page: its Plan button leads to the planner with them", async () => {
    const collection = await browser.get('/collections/1');
    assert.match(collection.body, /formaction="\/collections\/1\/view" name="plan"/);
    const plan = await browser.post('/collections/1/view', { plan: '1', containerIds: [String(box['Box 1']), String(box['Box 2'])] }, { csrf: false });
    assert.equal(plan.statusCode, 303);
    assert.equal(plan.headers.location, `/visit?room=1&containerIds=${box['Box 1']}&containerIds=${box['Box 2']}`);
  });
});
