import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ok } from '../helpers/answers.ts';
import { signedInBrowser, type FormBrowser } from '../helpers/form-browser.ts';
import { makePerson, type Person } from '../helpers/people.ts';
import { pdfText } from '../helpers/pdf-text.ts';
import { localInstant, startReadingRoom, type TestReadingRoom } from '../helpers/reading-room.ts';

// A class session's boxes on the staff's and the curators' pages: the day's sheet, the printed pick
// list, the call slips, a box's own desk page and the review queue name the class where a
// researcher's box names the researcher, and never ask for a photo ID.

const CLASS_DAY = '2026-12-03';
const TITLE = 'Exile and revolution: reading Serge';

describe("a class session's boxes on the staff's pages", () => {
  let room: TestReadingRoom;
  let staff: Person;
  let curator: Person;
  let reader: Person;
  let desk: FormBrowser;
  let session: { id: number; requestIds: number[] };

  before(async () => {
    room = await startReadingRoom();
    staff = await makePerson(room, 'staff', 'Sam Stacks');
    curator = await makePerson(room, 'curator', 'Clara Curator');
    reader = await makePerson(room, 'researcher', 'Rosa Reader');
    session = ok(
      await staff.call('POST', '/api/v1/class-sessions', {
        readingRoomId: 1,
        date: CLASS_DAY,
        startTime: '10:00',
        endTime: '11:30',
        title: TITLE,
        instructorName: 'Dr Ana Reyes',
        instructorEmail: 'ana.reyes@example.edu',
        headcount: 14,
        containerIds: [3, 23],
      }),
      201,
    ) as typeof session;
    ok(await reader.call('POST', '/api/v1/requests', { visitDate: CLASS_DAY, containerIds: [4] }), 201);
    desk = await signedInBrowser(room.app, staff.email, staff.password);
  });
  after(() => room?.close());

  it("the day's sheet and the printed pick list name the class, link to it, and ask for no photo ID", async () => {
    const sheet = await desk.get(`/paging?date=${CLASS_DAY}`);
    assert.equal(sheet.statusCode, 200);
    const classRow = /<tr id="request-(\d+)">[\s\S]*?<\/tr>/.exec(sheet.body.slice(sheet.body.indexOf(`id="request-${session.requestIds[0]}"`) - 20))?.[0] ?? '';
    assert.match(classRow, new RegExp(`<a href="/desk/class-sessions#class-${session.id}">Class: ${TITLE}</a>`));
    assert.match(classRow, /No photo ID needed/);
    assert.match(classRow, new RegExp(`aria-label="Paged: Box 3, GEN MSS 238, for the class ${TITLE}"`));
    assert.match(sheet.body, /Rosa Reader/, "the researcher's box names the researcher");
    const print = await desk.get(`/paging/print?date=${CLASS_DAY}`);
    assert.match(print.body, new RegExp(`<td data-label="Researcher">Class: ${TITLE}</td>\\s*<td data-label="Photo ID">Not needed</td>`));
  });

  it('the call slip of a class box says Class and that no photo ID is needed', async () => {
    const pdf = await desk.get(`/paging/call-slips.pdf?date=${CLASS_DAY}`);
    assert.equal(pdf.statusCode, 200);
    const text = pdfText(pdf.rawPayload);
    assert.match(text, new RegExp(TITLE.replace(/[:]/g, '.')));
    assert.match(text, /Not needed: for the class's table/);
    assert.match(text, /Rosa Reader/);
  });

  it("a class box's desk page names the class; it is delivered without a photo-ID check, and offers no hold", async () => {
    const [box] = session.requestIds;
    const before = await desk.get(`/desk/requests/${box}`);
    assert.match(before.body, new RegExp(`<dt>Class session</dt><dd><a href="/desk/class-sessions#class-${session.id}">${TITLE}</a></dd>`));
    assert.doesNotMatch(before.body, /Record the photo-ID check/);
    room.setNow(localInstant(CLASS_DAY, '10:00'));
    try {
      for (const to of ['paged', 'delivered', 'returned']) {
        const moved = await desk.post(`/paging/requests/${box}/transition`, { to, back: `/desk/requests/${box}` });
        assert.equal(moved.statusCode, 303, `${to}: ${moved.body.slice(0, 200)}`);
      }
      const returned = await desk.get(`/desk/requests/${box}`);
      assert.match(returned.body, /Reshelved/);
      assert.doesNotMatch(returned.body, /Keep on hold until/, "a class's box is never kept on hold");
    } finally {
      room.setNow(localInstant('2026-11-26', '10:00'));
    }
  });

  it("the curators' review queue shows the class, its instructor and its size instead of a researcher", async () => {
    const queue = await (await signedInBrowser(room.app, curator.email, curator.password)).get('/review');
    assert.equal(queue.statusCode, 200);
    assert.match(queue.body, new RegExp(`<dt>Class session</dt><dd>${TITLE}, 10:00–11:30</dd>`));
    assert.match(queue.body, /<dt>Instructor<\/dt><dd>Dr Ana Reyes <span class="hint">\(14 students\)<\/span><\/dd>/);
    assert.match(queue.body, /Note to the instructor/);
  });
});
