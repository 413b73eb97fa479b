import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { readingRooms } from '../../db/tables.ts';
import { allRooms, findRoom } from '../../src/reading-rooms/store.ts';
import { signedInBrowser, type FormBrowser } from '../helpers/form-browser.ts';
import { makeAccount, PASSWORD } from '../helpers/people.ts';
import { startReadingRoom, type TestReadingRoom } from '../helpers/reading-room.ts';

// The admin's reading rooms page: add a room, change one's settings; the API's checks, said to a
// person, with the form kept as typed.

const problemOf = (html: string) => /class="problem" role="alert">([^<]*)</.exec(html)?.[1];
const noticeOf = (html: string) => /class="notice" role="status">([^<]*)</.exec(html)?.[1];

const mapRoom = {
  code: 'maps',
  name: 'Map Room',
  timezone: 'Asia/Tokyo',
  seats: '4',
  leadBusinessDays: '3',
  dailyItemLimit: '6',
  maxAdvanceDays: '60',
  holdBusinessDays: '2',
  classLeadBusinessDays: '5',
  classItemLimit: '15',
  pagingTimes: '10:00, 09:00',
  closingTime: '16:30',
};

describe("the admin's reading rooms page", { timeout: 120_000 }, async () => {
  let room: TestReadingRoom;
  let admin: FormBrowser;
  const roomCount = async () => (await room.db.select().from(readingRooms)).length;

  before(async () => {
    room = await startReadingRoom();
    const account = await makeAccount(room.db, 'admin', { name: 'Ada Admin' });
    admin = await signedInBrowser(room.app, account.email, PASSWORD);
  });
  after(() => room.close());

  it('lists the rooms with their settings, is linked from the hub and the navigation, and offers the defaults for a new room', async () => {
    const page = await admin.get('/admin/rooms');
    assert.equal(page.statusCode, 200, page.body);
    assert.match(page.body, /href="\/admin\/rooms" aria-current="page">Reading rooms<\/a>/);
    assert.match(page.body, /<td data-label="Time zone">America\/New_York<\/td>/);
    assert.match(page.body, /id="new-room-holdBusinessDays" name="holdBusinessDays" inputmode="numeric" value="5"/);
    assert.match(page.body, /id="new-room-pagingTimes" name="pagingTimes" value="09:00, 14:00"/);
    assert.match((await admin.get('/admin')).body, /href="\/admin\/rooms"/);
  });

  it('adds a room with its own settings, and says so', async () => {
    await admin.get('/admin/rooms');
    const added = await admin.post('/admin/rooms', mapRoom);
    assert.equal(added.statusCode, 303, problemOf(added.body));
    const made = (await allRooms(room.db)).find((r) => r.code === 'maps');
    assert.ok(made);
    assert.deepEqual(
      { ...made, id: 0 },
      { id: 0, code: 'maps', name: 'Map Room', timezone: 'Asia/Tokyo', seats: 4, leadBusinessDays: 3, dailyItemLimit: 6, maxAdvanceDays: 60, holdBusinessDays: 2, classLeadBusinessDays: 5, classItemLimit: 15, pagingTimes: ['09:00', '10:00'], closingTime: '16:30' },
    );
    assert.equal(added.headers.location, `/admin/rooms?done=created&room=${made.id}`);
    assert.equal(noticeOf((await admin.follow(added)).body), 'Map Room is open for bookings, with its own calendar and seats.');
  });

  it('refuses a taken code (case ignored), a time zone that is none and a number out of bounds, keeping the form as typed', async () => {
    await admin.get('/admin/rooms');
    const before = await roomCount();
    const taken = await admin.post('/admin/rooms', { ...mapRoom, code: 'MAPS', name: 'Second map room' });
    assert.equal(taken.statusCode, 409);
    assert.equal(problemOf(taken.body), 'A reading room with the code &quot;MAPS&quot; exists already.');
    assert.match(taken.body, /id="new-room-name" name="name" value="Second map room"/);
    const zone = await admin.post('/admin/rooms', { ...mapRoom, code: 'atlas', timezone: 'Mars/Olympus' });
    assert.equal(zone.statusCode, 400);
    assert.equal(problemOf(zone.body), '“Mars/Olympus” is not a time zone: give an IANA name such as America/New_York.');
    const hold = await admin.post('/admin/rooms', { ...mapRoom, code: 'atlas', holdBusinessDays: '61' });
    assert.equal(hold.statusCode, 400);
    assert.equal(problemOf(hold.body), 'Longest hold, in business days after the visit: give a whole number from 1 to 60.');
    assert.equal(await roomCount(), before, 'no room was added');
  });

  it("changes a room's settings through its form: seats left empty are unlimited; a refusal leaves the room as it was", async () => {
    const page = await admin.get('/admin/rooms');
    const first = (await findRoom(room.db, 1))!;
    assert.match(page.body, /<form method="post" action="\/admin\/rooms\/1">/);
    const fields = { ...mapRoom, code: first.code, name: 'Manuscripts Room', timezone: first.timezone, seats: '', holdBusinessDays: '7' };
    const badTimes = await admin.post('/admin/rooms/1', { ...fields, pagingTimes: '9 am' });
    assert.equal(badTimes.statusCode, 400);
    assert.equal(problemOf(badTimes.body), 'Pull times: from one to 12 times of day such as 09:00, 14:00.');
    assert.match(badTimes.body, /<details class="room-edit" id="room-1" open>/, 'the refused form is open');
    assert.equal((await findRoom(room.db, 1))?.name, first.name);
    const taken = await admin.post('/admin/rooms/1', { ...fields, code: 'maps' });
    assert.equal(taken.statusCode, 409);
    const saved = await admin.post('/admin/rooms/1', fields);
    assert.equal(saved.statusCode, 303, problemOf(saved.body));
    assert.equal(noticeOf((await admin.follow(saved)).body), 'The settings of Manuscripts Room are saved.');
    const changed = await findRoom(room.db, 1);
    assert.deepEqual([changed?.name, changed?.seats, changed?.holdBusinessDays, changed?.code], ['Manuscripts Room', null, 7, first.code]);
  });

  it('gives researchers a room picker on the visit planner once there are two rooms, each with its own calendar', async () => {
    const account = await makeAccount(room.db, 'researcher', { name: 'Rosa Reader' });
    const researcher = await signedInBrowser(room.app, account.email, PASSWORD);
    const maps = (await allRooms(room.db)).find((r) => r.code === 'maps')!;
    const planner = await researcher.get(`/visit?room=${maps.id}`);
    assert.match(planner.body, /<select id="visit-room" name="room">/);
    assert.match(planner.body, new RegExp(`<option value="${maps.id}" selected>Map Room</option>`));
    assert.match(planner.body, /Map Room has 4 seats a day\./);
  });
});
