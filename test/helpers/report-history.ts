import assert from 'node:assert/strict';
import { closingTime } from '../../src/paging/runs.ts';
import { allRooms } from '../../src/reading-rooms/store.ts';
import { requestsContext } from '../../src/requests/moves.ts';
import { ok } from './answers.ts';
import { eadDocument, fileComponent } from './ead-documents.ts';
import { makePerson, type Person } from './people.ts';
import { localInstant, THANKSGIVING_MORNING, type TestReadingRoom } from './reading-room.ts';

// A small history for the reports pages, made through the API with the injected clock, every figure
// of it stated here by hand. The room is New York's, with 4 seats.
//
// Monday 30 November 2026: Ana asks for Box 1 and Box 2, Ben for Box 3. Ana checks in at 10:00;
//   Box 1 is delivered at 10:20 and Box 2 at 10:40, both returned and reshelved. Ben never comes:
//   at closing time Box 3 is a no-show, and so is his appointment.
// Tuesday 1 December: Cleo asks for Box 4 (she cancels it) and the box of a second collection,
//   whose title has markup in it. She checks in at 11:00; the box is delivered at 11:30.
// Monday 4 January 2027: Ana asks for Box 6, checks in at 9:00; it is delivered at 9:45.
//
// From 30 November 2026 to 31 January 2027, then:
//   by month: November 3 requests, 2 uses, 1 no-show (3 due: 33.3%); December 2 requests, 1 use,
//     1 cancelled (1 due, no no-show: 0%); January 1 request, 1 use (0%). 4 uses in all.
//   by collection: GEN MSS 238 5 requests, 3 uses; the second 1 request, 1 use.
//   service: 3 visits; Ben was a no-show, 1 of 4 (25%); 3 of 4 seats × 42 open days (1.8%);
//     20, 30 and 45 minutes to the first delivery (median 30); no hold.

export const REPORT_RANGE = { from: '2026-11-30', to: '2027-01-31' };
/** The second collection's call number and title, with markup a page must show as text. */
export const MARKUP_CALL_NUMBER = 'MS <b>9</b>';
export const MARKUP_TITLE = 'Letters <script>alert("x")</script> & drafts';
export const MARKUP_LABEL = `${MARKUP_CALL_NUMBER} ${MARKUP_TITLE}`;

const MONDAY = '2026-11-30';
const TUESDAY = '2026-12-01';
const JANUARY = '2027-01-04';

const xml = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

export interface ReportHistory {
  staff: Person;
  curator: Person;
  admin: Person;
  researcher: Person;
}

/**
 * The steps a history is made of, through the API as their owners take them: the clock set to a
 * time of the room's day, requests, the desk's moves (a hold to `holdUntil`), check-ins, closing time.
 */
export function historySteps(room: TestReadingRoom, staff: Person) {
  return {
    at: (date: string, time: string) => room.setNow(localInstant(date, time)),
    ask: async (who: Person, visitDate: string, containerIds: number[]) =>
      ok(await who.call('POST', '/api/v1/requests', { visitDate, containerIds }), 201).items as { id: number; appointmentId: number; status: string }[],
    move: async (id: number, ...steps: string[]) => {
      for (const to of steps) ok(await staff.call('POST', `/api/v1/requests/${id}/transition`, to === 'on_hold' ? { to, holdUntil: HOLD_UNTIL } : { to }), 200, `${id} to ${to}`);
    },
    checkIn: async (appointmentId: number) => ok(await staff.call('POST', `/api/v1/appointments/${appointmentId}/check-in`, {})),
    closeDay: async (date: string) => closingTime(requestsContext(room.db, room.config), (await allRooms(room.db))[0]!, localInstant(date, '17:00')),
  };
}

/** The last day of the histories' holds: the Wednesday after the first Monday. */
const HOLD_UNTIL = '2026-12-02';

export async function makeReportHistory(room: TestReadingRoom): Promise<ReportHistory> {
  const staff = await makePerson(room, 'staff', 'Sam Stacks');
  const curator = await makePerson(room, 'curator', 'Clara Curator');
  const admin = await makePerson(room, 'admin', 'Ada Admin');
  const ana = await makePerson(room, 'researcher', 'Ana');
  const ben = await makePerson(room, 'researcher', 'Ben');
  const cleo = await makePerson(room, 'researcher', 'Cleo');
  const { at, ask, move, checkIn, closeDay } = historySteps(room, staff);

  room.setNow(THANKSGIVING_MORNING);
  ok(await admin.call('PATCH', '/api/v1/reading-rooms/1', { seats: 4 }));
  for (const person of [ana, cleo]) ok(await staff.call('POST', `/api/v1/users/${person.id}/identity-verification`, { documentType: 'passport' }));
  const imported = await room.app.inject({
    method: 'POST',
    url: '/api/v1/collections/import',
    headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'application/xml' },
    payload: eadDocument({ callNumber: xml(MARKUP_CALL_NUMBER), title: xml(MARKUP_TITLE), dsc: fileComponent('f1', 'A letter', '<container type="box">1</container>') }),
  });
  const collectionId = (ok(imported, 201) as { collection: { id: number } }).collection.id;
  const secondBox = (ok(await staff.call('GET', `/api/v1/collections/${collectionId}`)) as { containers: { id: number }[] }).containers[0]?.id;
  assert.ok(secondBox, 'the second collection has its box');

  const [anaBox1, anaBox2] = await ask(ana, MONDAY, [1, 2]);
  const [benBox3] = await ask(ben, MONDAY, [3]);
  const [cleoBox4, cleoSecond] = await ask(cleo, TUESDAY, [4, secondBox]);
  const [anaBox6] = await ask(ana, JANUARY, [6]);
  assert.deepEqual([anaBox1, anaBox2, benBox3, cleoBox4, cleoSecond, anaBox6].map((r) => r?.status), Array(6).fill('scheduled'));
  ok(await cleo.call('POST', `/api/v1/requests/${cleoBox4!.id}/cancel`, {}));

  at(MONDAY, '09:30');
  await move(anaBox1!.id, 'paged');
  await move(anaBox2!.id, 'paged');
  at(MONDAY, '10:00');
  await checkIn(anaBox1!.appointmentId);
  at(MONDAY, '10:20');
  await move(anaBox1!.id, 'delivered', 'returned', 'reshelved');
  at(MONDAY, '10:40');
  await move(anaBox2!.id, 'delivered', 'returned', 'reshelved');
  await closeDay(MONDAY);

  at(TUESDAY, '10:30');
  await move(cleoSecond!.id, 'paged');
  at(TUESDAY, '11:00');
  await checkIn(cleoSecond!.appointmentId);
  at(TUESDAY, '11:30');
  await move(cleoSecond!.id, 'delivered');

  at(JANUARY, '09:00');
  await checkIn(anaBox6!.appointmentId);
  await move(anaBox6!.id, 'paged');
  at(JANUARY, '09:45');
  await move(anaBox6!.id, 'delivered');

  room.setNow(THANKSGIVING_MORNING);
  return { staff, curator, admin, researcher: ana };
}
