import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { UsageRow } from '../../src/reports/usage.ts';
import { assertRefusal, ok } from '../helpers/answers.ts';
import { eadDocument, fileComponent } from '../helpers/ead-documents.ts';
import { makePerson, type Person } from '../helpers/people.ts';
import { startReadingRoom, THANKSGIVING_MORNING, type TestReadingRoom } from '../helpers/reading-room.ts';
import { historySteps } from '../helpers/report-history.ts';

// A fixed history, made through the API (and the room's closing-time job) with an injected clock,
// whose every figure is stated here by hand. The room is New York's, with 4 seats.
//
// Monday 30 November 2026: Ana asks for Box 1 and Box 2; Ben for Box 1 (waitlisted behind Ana) and
//   Box 3. Ana checks in at 10:00; Box 1 is delivered at 10:20, returned and reshelved; Box 2 is
//   delivered at 10:40, returned and kept on hold until Wednesday. Ben never comes: at closing
//   time Box 3 is a no-show, his Box 1 is cancelled (it never came free), his appointment a no-show.
// Tuesday 1 December: Cleo asks for Box 24 (restricted: denied), Box 4 (she cancels it), Box 5, and
//   the box of a second collection. She checks in at 23:00 and both are delivered, at 23:30 and
//   23:40 New York time (04:30 and 04:40 UTC on the 2nd: still the 1st for the room). Ana releases
//   her hold at 10:00 (held one business day, Tuesday).
// Thursday 3 December: a class session with Box 7 (delivered) and Box 25 (restricted, approved,
//   never fetched: a no-show at closing time).
// Monday 4 January 2027: Ana asks for Box 6, checks in at 9:00, and it is delivered at 9:45.

const MONDAY = '2026-11-30';
const TUESDAY = '2026-12-01';
const THURSDAY = '2026-12-03';
const JANUARY = '2027-01-04';
const RANGE = 'from=2026-11-30&to=2027-01-31';
// A call number a spreadsheet would run, with a comma and quotes; a title with both too.
const FORMULA_CALL_NUMBER = '=HYPERLINK("http://evil.example","Click")';
const SECOND_TITLE = 'Letters, "drafts" and notes';

type Row = UsageRow;

describe('reports: a fixed history, figured by hand', () => {
  let room: TestReadingRoom;
  let staff: Person;
  let curator: Person;
  let admin: Person;
  let secondBox: number;

  const usage = async (groupBy: string, who: Person = curator) => ok(await who.call('GET', `/api/v1/reports/usage?${RANGE}&groupBy=${groupBy}`)).rows as Row[];

  before(async () => {
    room = await startReadingRoom();
    staff = await makePerson(room, 'staff', 'Sam Stacks');
    const { at, ask, move, checkIn, closeDay } = historySteps(room, staff);
    curator = await makePerson(room, 'curator', 'Clara Curator');
    admin = await makePerson(room, 'admin');
    const ana = await makePerson(room, 'researcher', 'Ana');
    const ben = await makePerson(room, 'researcher', 'Ben');
    const cleo = await makePerson(room, 'researcher', 'Cleo');
    ok(await admin.call('PATCH', '/api/v1/reading-rooms/1', { seats: 4 }));
    for (const person of [ana, cleo]) ok(await staff.call('POST', `/api/v1/users/${person.id}/identity-verification`, { documentType: 'passport' }));
    const imported = await room.app.inject({
      method: 'POST',
      url: '/api/v1/collections/import',
      headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'application/xml' },
      payload: eadDocument({ callNumber: FORMULA_CALL_NUMBER.replaceAll('"', '&quot;'), title: SECOND_TITLE.replaceAll('"', '&quot;'), dsc: fileComponent('f1', 'A letter', '<container type="box">1</container>') }),
    });
    const collectionId = (ok(imported, 201) as { collection: { id: number } }).collection.id;
    secondBox = ((ok(await staff.call('GET', `/api/v1/collections/${collectionId}`)) as { containers: { id: number }[] }).containers[0] ?? { id: 0 }).id;

    // Thanksgiving morning: the requests.
    const [anaBox1, anaBox2] = await ask(ana, MONDAY, [1, 2]);
    const [benBox1, benBox3] = await ask(ben, MONDAY, [1, 3]);
    assert.deepEqual([anaBox1?.status, benBox1?.status, benBox3?.status], ['scheduled', 'waitlisted', 'scheduled']);
    const [cleo24, cleo4, cleo5, cleoSecond] = await ask(cleo, TUESDAY, [24, 4, 5, secondBox]);
    ok(await curator.call('POST', `/api/v1/requests/${cleo24!.id}/deny`, { reason: 'Too fragile.' }));
    ok(await cleo.call('POST', `/api/v1/requests/${cleo4!.id}/cancel`, {}));
    const session = ok(
      await staff.call('POST', '/api/v1/class-sessions', {
        readingRoomId: 1,
        date: THURSDAY,
        startTime: '10:00',
        endTime: '11:00',
        title: 'Seminar',
        instructorName: 'Dr Reyes',
        instructorEmail: 'reyes@example.edu',
        headcount: 8,
        containerIds: [7, 25],
      }),
      201,
    ) as { requestIds: [number, number] };
    ok(await curator.call('POST', `/api/v1/requests/${session.requestIds[1]}/approve`, {}));
    const [anaBox6] = await ask(ana, JANUARY, [6]);

    // Monday.
    at(MONDAY, '09:30');
    await move(anaBox1!.id, 'paged');
    await move(anaBox2!.id, 'paged');
    at(MONDAY, '10:00');
    await checkIn(anaBox1!.appointmentId);
    at(MONDAY, '10:20');
    await move(anaBox1!.id, 'delivered', 'returned', 'reshelved');
    at(MONDAY, '10:40');
    await move(anaBox2!.id, 'delivered', 'returned', 'on_hold');
    await closeDay(MONDAY);
    // Tuesday.
    at(TUESDAY, '10:00');
    ok(await ana.call('POST', `/api/v1/requests/${anaBox2!.id}/release`, {}));
    at(TUESDAY, '22:30');
    await move(cleo5!.id, 'paged');
    await move(cleoSecond!.id, 'paged');
    at(TUESDAY, '23:00');
    await checkIn(cleo5!.appointmentId);
    at(TUESDAY, '23:30');
    await move(cleo5!.id, 'delivered');
    at(TUESDAY, '23:40');
    await move(cleoSecond!.id, 'delivered');
    // Thursday.
    at(THURSDAY, '09:30');
    await move(session.requestIds[0], 'paged', 'delivered');
    await closeDay(THURSDAY);
    // January.
    at(JANUARY, '09:00');
    await checkIn(anaBox6!.appointmentId);
    await move(anaBox6!.id, 'paged');
    at(JANUARY, '09:45');
    await move(anaBox6!.id, 'delivered');
    room.setNow(THANKSGIVING_MORNING);
  });
  after(() => room?.close());

  it('by month: visits crossing months and a year, cancelled and denied apart, each researcher once per row', async () => {
    assert.deepEqual(await usage('month'), [
      { key: '2026-11', label: '2026-11', requests: 4, uses: 2, researchers: 2, noShows: 1, cancelled: 1, denied: 0 },
      { key: '2026-12', label: '2026-12', requests: 6, uses: 3, researchers: 1, noShows: 1, cancelled: 1, denied: 1 },
      { key: '2027-01', label: '2027-01', requests: 1, uses: 1, researchers: 1, noShows: 0, cancelled: 0, denied: 0 },
    ]);
  });

  it('by collection, by reading room, by container', async () => {
    assert.deepEqual(await usage('collection'), [
      { key: 1, label: 'GEN MSS 238 Victor Serge papers', requests: 10, uses: 5, researchers: 3, noShows: 2, cancelled: 2, denied: 1 },
      { key: 2, label: `${FORMULA_CALL_NUMBER} ${SECOND_TITLE}`, requests: 1, uses: 1, researchers: 1, noShows: 0, cancelled: 0, denied: 0 },
    ]);
    assert.deepEqual(await usage('readingRoom'), [{ key: 1, label: 'Reading Room', requests: 11, uses: 6, researchers: 3, noShows: 2, cancelled: 2, denied: 1 }]);
    const box = (key: number, label: string, requests: number, uses: number, researchers: number, noShows: number, cancelled: number, denied: number): Row => ({
      key,
      label,
      requests,
      uses,
      researchers,
      noShows,
      cancelled,
      denied,
    });
    assert.deepEqual(await usage('container'), [
      box(1, 'GEN MSS 238, Box 1', 2, 1, 2, 0, 1, 0),
      box(2, 'GEN MSS 238, Box 2', 1, 1, 1, 0, 0, 0),
      box(3, 'GEN MSS 238, Box 3', 1, 0, 1, 1, 0, 0),
      box(4, 'GEN MSS 238, Box 4', 1, 0, 1, 0, 1, 0),
      box(5, 'GEN MSS 238, Box 5', 1, 1, 1, 0, 0, 0),
      box(6, 'GEN MSS 238, Box 6', 1, 1, 1, 0, 0, 0),
      // The class's boxes: requests and uses, and no researcher.
      box(7, 'GEN MSS 238, Box 7', 1, 1, 0, 0, 0, 0),
      box(24, 'GEN MSS 238, Box 24', 1, 0, 1, 0, 0, 1),
      box(25, 'GEN MSS 238, Box 25', 1, 0, 0, 1, 0, 0),
      box(secondBox, `${FORMULA_CALL_NUMBER}, Box 1`, 1, 1, 1, 0, 0, 0),
    ]);
  });

  it('a range narrows by visit date, and a room filters', async () => {
    const december = ok(await curator.call('GET', '/api/v1/reports/usage?from=2026-12-01&to=2026-12-31&groupBy=month')).rows as Row[];
    assert.deepEqual(december.map((r) => [r.key, r.requests]), [['2026-12', 6]]);
    const second = ok(await admin.call('POST', '/api/v1/reading-rooms', { code: 'MSSA', name: 'Manuscripts and Archives', timezone: 'America/New_York' }), 201) as { id: number };
    assert.deepEqual(ok(await curator.call('GET', `/api/v1/reports/usage?${RANGE}&readingRoomId=${second.id}`)).rows, []);
    assertRefusal(await curator.call('GET', `/api/v1/reports/usage?${RANGE}&readingRoomId=999`), 404, 'NOT_FOUND');
  });

  it('service: attended visits, the no-show rate, seats used, minutes from check-in to the first delivery (in the room\'s day), hold days', async () => {
    const service = ok(await curator.call('GET', `/api/v1/reports/service?${RANGE}&readingRoomId=1`));
    assert.deepEqual(service, {
      // Ana on Monday and in January, Cleo on Tuesday; Ben was a no-show: 1 of 4.
      visits: 3,
      noShowRate: 0.25,
      // 4 seats on 42 open days (the weekdays but Christmas, New Year's Day and Martin Luther King Day).
      seatsUsed: 3 / (4 * 42),
      // 20 (Ana, Monday), 30 (Cleo, Tuesday, delivered at 23:30 New York time), 45 (Ana, January).
      medianMinutesToDeliver: 30,
      // Ana's Box 2, held to Wednesday, released on Tuesday.
      holdDays: 1,
    });
    // Every room: Manuscripts and Archives (made above) has unlimited seats, so no share of seats is told.
    const everywhere = ok(await curator.call('GET', `/api/v1/reports/service?${RANGE}`)) as { visits: number; seatsUsed: number | null };
    assert.deepEqual([everywhere.visits, everywhere.seatsUsed], [3, null]);
  });

  it('CSV: the same rows as JSON, RFC 4180 quoted, formulas neutralised, streamed as an attachment', async () => {
    const answer = await room.app.inject({ method: 'GET', url: `/api/v1/reports/usage?${RANGE}&groupBy=collection`, headers: { authorization: `Bearer ${curator.token}`, accept: 'text/csv' } });
    assert.equal(answer.statusCode, 200);
    assert.match(String(answer.headers['content-type']), /^text\/csv/);
    assert.match(String(answer.headers['content-disposition']), /attachment; filename="usage-collection-2026-11-30-2027-01-31.csv"/);
    assert.equal(
      answer.body,
      [
        'key,label,requests,uses,researchers,noShows,cancelled,denied',
        '1,GEN MSS 238 Victor Serge papers,10,5,3,2,2,1',
        `2,"'=HYPERLINK(""http://evil.example"",""Click"") Letters, ""drafts"" and notes",1,1,1,0,0,0`,
        '',
      ].join('\r\n'),
    );
    const months = await room.app.inject({ method: 'GET', url: `/api/v1/reports/usage?${RANGE}&groupBy=month`, headers: { authorization: `Bearer ${curator.token}`, accept: 'text/csv' } });
    const json = await usage('month');
    assert.deepEqual(
      months.body.trim().split('\r\n').slice(1),
      json.map((r) => [r.key, r.label, r.requests, r.uses, r.researchers, r.noShows, r.cancelled, r.denied].join(',')),
      'CSV and JSON agree',
    );
  });

  it('only curators and admins; a range backwards or over 1,100 days is 400 INVALID_RANGE', async () => {
    ok(await admin.call('GET', `/api/v1/reports/usage?${RANGE}`));
    for (const url of [`/api/v1/reports/usage?${RANGE}`, `/api/v1/reports/service?${RANGE}`]) assertRefusal(await staff.call('GET', url), 403, 'FORBIDDEN');
    assertRefusal(await curator.call('GET', '/api/v1/reports/usage?from=2027-01-31&to=2026-11-30'), 400, 'INVALID_RANGE');
    assertRefusal(await curator.call('GET', '/api/v1/reports/service?from=2024-01-01&to=2027-01-31'), 400, 'INVALID_RANGE');
    assertRefusal(await curator.call('GET', `/api/v1/reports/usage?${RANGE}&groupBy=researcher`), 400, 'FST_ERR_VALIDATION');
  });
});
