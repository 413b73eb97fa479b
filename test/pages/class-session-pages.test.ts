import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ok } from '../helpers/answers.ts';
import { signedInBrowser, type FormBrowser } from '../helpers/form-browser.ts';
import { lastOutboxId, mailsSince } from '../helpers/outbox-mail.ts';
import { makePerson, type Person } from '../helpers/people.ts';
import { startReadingRoom, type TestReadingRoom } from '../helpers/reading-room.ts';
import { DomainDigest } from '../fuzz/invariants.ts';


// The desk's page of class sessions, on Thanksgiving morning 2026 (Thursday 26 November): the
// room's class notice is five business days, so the first class date is Thursday 3 December.
// Staff and curators book a class through the form, with boxes of GEN MSS 238 as checkboxes, and
// cancel one with its button.

const TOO_SOON = '2026-12-02';
const CLASS_DAY = '2026-12-03';

const problemOf = (html: string) => /class="problem" role="alert">([^<]*)</.exec(html)?.[1];
const noticeOf = (html: string) => /class="notice" role="status">([^<]*)</.exec(html)?.[1];
/** The boxes ticked on the booking form. */
const checked = (html: string) => [...html.matchAll(/name="containerIds" value="(\d+)"[^>]* checked/g)].map((m) => m[1]);
/** A value typed in a field of the booking form, as the page shows it again. */
const valueOf = (html: string, name: string) => new RegExp(`name="${name}"[^>]* value="([^"]*)"`).exec(html)?.[1];
/** One session's section, as text, and its cancel form's action. */
function sessionOf(html: string, id: number) {
  const section = new RegExp(`<section class="desk-researcher class-session" id="class-${id}"[\\s\\S]*?</section>`).exec(html)?.[0];
  assert.ok(section, `class session ${id} is shown`);
  return { html: section, text: section.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' '), cancel: /action="(\/desk\/class-sessions\/\d+\/cancel)"/.exec(section)?.[1] };
}

interface ClassSession {
  id: number;
  title: string;
  date: string;
  status: string;
  requestIds: number[];
}

describe("the desk's class sessions page", { timeout: 60_000 }, () => {
  let room: TestReadingRoom;
  let staff: Person;
  let curator: Person;
  let reader: Person;
  let desk: FormBrowser;
  let review: FormBrowser;
  let digest: DomainDigest;

  const classes = async () => ok(await staff.call('GET', '/api/v1/class-sessions')).items as ClassSession[];
  const booking = (overrides: Record<string, string | string[]> = {}) => ({
    readingRoomId: '1',
    date: CLASS_DAY,
    startTime: '10:00',
    endTime: '11:30',
    title: 'Exile and revolution: reading Serge',
    instructorName: 'Dr Ana Reyes',
    instructorEmail: 'ana.reyes@example.edu',
    headcount: '14',
    collectionId: '1',
    containerIds: ['3', '5'],
    ...overrides,
  });

  before(async () => {
    room = await startReadingRoom();
    digest = await DomainDigest.of(room.db);
    staff = await makePerson(room, 'staff', 'Dana Desk');
    curator = await makePerson(room, 'curator', 'Clara Curator');
    reader = await makePerson(room, 'researcher', 'Rosa Reader');
    desk = await signedInBrowser(room.app, staff.email, staff.password);
    review = await signedInBrowser(room.app, curator.email, curator.password);
  });
  after(async () => {
    await room?.close();
  });

  it("is in the staff's and curators' navigation; says the room's class rules; offers a collection's boxes as checkboxes", async () => {
    const page = await desk.get('/desk/class-sessions');
    assert.equal(page.statusCode, 200, page.body);
    assert.match(page.body, /<h1>Class sessions<\/h1>/);
    assert.match(page.body, /<a href="\/desk\/class-sessions" aria-current="page">Class sessions<\/a>/);
    assert.match((await review.get('/review')).body, /<a href="\/desk\/class-sessions">Class sessions<\/a>/, 'in the curators’ navigation');
    assert.match(page.body, /No class session from today on\./);
    assert.match(page.body, /are booked at least five business days ahead \(the earliest class date is Thursday 3 December 2026\), with at most 15 boxes\./);
    assert.match(page.body, /<option value="1">GEN MSS 238: Victor Serge papers<\/option>/);
    assert.doesNotMatch(page.body, /action="\/desk\/class-sessions" class="class-booking"/, 'the booking form waits for a collection');

    const boxes = await desk.get('/desk/class-sessions?collectionId=1');
    assert.equal(boxes.statusCode, 200);
    assert.match(boxes.body, /<form method="post" action="\/desk\/class-sessions" class="class-booking"/);
    assert.match(boxes.body, /<option value="1" selected>GEN MSS 238: Victor Serge papers<\/option>/);
    assert.match(boxes.body, /<input type="checkbox" id="class-box-1" name="containerIds" value="1"[^>]*>\s*<label for="class-box-1">Box 1<\/label>/);
    assert.match(boxes.body, /<input id="class-start" name="startTime" type="time" value="" required>/);
    assert.match(boxes.body, /<select id="class-room" name="readingRoomId" required>\s*<option value="1" selected>/);
    assert.match(boxes.body, /Restricted: a curator decides it\./);
    assert.match(boxes.body, /<legend>Boxes of GEN MSS 238, Victor Serge papers <span class="optional">\(at most 15\)<\/span><\/legend>/);
    assert.equal((await desk.get('/desk/class-sessions?collectionId=999')).statusCode, 404);
    assert.equal((await desk.get('/desk/class-sessions?room=999')).statusCode, 404);
  });

  it('staff book a class through the form: it is on the page, with its boxes in the desk’s words, and in the API', async () => {
    await desk.get('/desk/class-sessions?collectionId=1');
    const since = await lastOutboxId(room.db);
    const answer = await desk.post('/desk/class-sessions', booking({ containerIds: ['3', '5', '23'] }));
    assert.equal(answer.statusCode, 303, answer.body);
    const [made] = await classes();
    assert.ok(made);
    assert.equal(answer.headers.location, `/desk/class-sessions?booked=${made.id}`);
    assert.deepEqual([made.title, made.date, made.status, made.requestIds.length], ['Exile and revolution: reading Serge', CLASS_DAY, 'booked', 3]);
    assert.deepEqual(
      (await mailsSince(room.db, since)).map((m) => [m.jobName, m.mail.to.email]),
      [
        ['class-session-booked', 'ana.reyes@example.edu'],
        ['restricted-review', curator.email],
      ],
    );

    const page = await desk.follow(answer);
    assert.equal(noticeOf(page.body), 'Booked: the class session “Exile and revolution: reading Serge” of Thursday 3 December 2026. The instructor is mailed what is booked.');
    const shown = sessionOf(page.body, made.id);
    assert.match(shown.html, /<h2 id="class-\d+-title">Exile and revolution: reading Serge<\/h2>/);
    assert.match(shown.text, /Date Thursday 3 December 2026 Time 10:00–11:30 Reading room [^ ]/);
    assert.match(shown.text, /Instructor Dr Ana Reyes ana\.reyes@example\.edu Students 14 Status Booked/);
    assert.match(shown.text, /Box 3 GEN MSS 238 Victor Serge papers .*To fetch from the stacks/);
    assert.match(shown.text, /Box 23 GEN MSS 238 Victor Serge papers .*Awaiting a curator’s approval/);
    for (const id of made.requestIds) assert.ok(shown.html.includes(`<a href="/desk/requests/${id}">`), `request ${id} is linked to the desk`);
    assert.equal(shown.cancel, `/desk/class-sessions/${made.id}/cancel`);
    // The desk's request page names the class, and leads back here.
    assert.ok((await desk.get(`/desk/requests/${made.requestIds[0]}`)).body.includes(`/desk/class-sessions#class-${made.id}`));
  });

  it('a date inside the class notice is refused on the page with the rule, the form kept as typed, and nothing written', async () => {
    await desk.get('/desk/class-sessions?collectionId=1');
    const refused = await digest.unchangedBy(() => desk.post('/desk/class-sessions', booking({ date: TOO_SOON, title: 'Too soon a seminar', containerIds: ['6', '7'] })), 'too soon');
    assert.equal(refused.statusCode, 422);
    assert.equal(problemOf(refused.body), 'Requests must be made at least five business days ahead; the earliest visit date is Thursday 3 December 2026.');
    assert.deepEqual(checked(refused.body), ['6', '7']);
    assert.equal(valueOf(refused.body, 'date'), TOO_SOON);
    assert.equal(valueOf(refused.body, 'title'), 'Too soon a seminar');
    assert.equal(valueOf(refused.body, 'instructorEmail'), 'ana.reyes@example.edu');
    assert.equal(valueOf(refused.body, 'headcount'), '14');
    assert.equal(valueOf(refused.body, 'startTime'), '10:00');
    assert.equal((await classes()).length, 1, 'nothing booked');

    // What was typed wrong is said before the rules are asked; no box is 422, as on the collection page.
    for (const [fields, status, problem] of [
      [{ containerIds: [] }, 422, 'Choose at least one box for the class.'],
      [{ instructorEmail: 'not an address' }, 400, 'Give the instructor’s e-mail address: the booking is mailed to it.'],
      [{ startTime: '25:00' }, 400, 'Give the times the class starts and ends, such as 10:00 and 11:30.'],
      [{ title: '   ' }, 400, 'Give the class’s title (up to 200 characters).'],
      [{ headcount: '0' }, 400, 'Give the number of students, from 1 to 500.'],
      [{ readingRoomId: '999' }, 400, 'Choose the reading room of the class.'],
      [{ containerIds: ['1', 'x'] }, 400, 'Choose the boxes from the list.'],
      [{ startTime: '11:30', endTime: '10:00' }, 400, 'A class session must end after it starts: 11:30 to 10:00 is not a session.'],
      [{ containerIds: ['99999'] }, 404, 'There is no container 99999.'],
    ] as const) {
      const answer = await digest.unchangedBy(() => desk.post('/desk/class-sessions', booking(fields as Record<string, string | string[]>)), JSON.stringify(fields));
      assert.equal(answer.statusCode, status, JSON.stringify(fields));
      assert.equal(problemOf(answer.body), problem, JSON.stringify(fields));
    }
  });

  it('a curator cancels a class through its button: its boxes are cancelled, the instructor is told, and it shows as cancelled with no button', async () => {
    const session = ok(
      await curator.call('POST', '/api/v1/class-sessions', {
        readingRoomId: 1,
        date: '2026-12-04',
        startTime: '14:00',
        endTime: '15:00',
        title: 'Paleography for beginners',
        instructorName: 'Prof Lee',
        instructorEmail: 'lee@example.edu',
        headcount: 8,
        containerIds: [8],
      }),
      201,
    ) as ClassSession;
    const page = await review.get('/desk/class-sessions');
    assert.equal(page.statusCode, 200);
    const shown = sessionOf(page.body, session.id);
    assert.equal(shown.cancel, `/desk/class-sessions/${session.id}/cancel`);
    assert.ok(!shown.html.includes('href="/desk/requests/'), 'a curator’s page names the boxes without linking to the desk’s pages, which are not theirs');
    assert.match(shown.text, /Box 8 GEN MSS 238/);

    const since = await lastOutboxId(room.db);
    const answer = await review.post(shown.cancel!);
    assert.equal(answer.statusCode, 303, answer.body);
    assert.equal(answer.headers.location, `/desk/class-sessions?cancelled=${session.id}`);
    const after = await review.follow(answer);
    assert.equal(noticeOf(after.body), 'Cancelled: the class session “Paleography for beginners” of Friday 4 December 2026, with its boxes not yet fetched from the stacks. The instructor is told by e-mail.');
    const cancelled = sessionOf(after.body, session.id);
    assert.match(cancelled.text, /Status Cancelled/);
    assert.match(cancelled.text, /Box 8 .*Cancelled/);
    assert.equal(cancelled.cancel, undefined, 'no button on a cancelled class');
    assert.equal((await classes()).find((c) => c.id === session.id)?.status, 'cancelled');
    assert.deepEqual((await mailsSince(room.db, since)).map((m) => [m.jobName, m.mail.to.email]), [['class-session-cancelled', 'lee@example.edu']]);

    // Again: the session is already cancelled (409), on the page; an unknown one is a 404 page.
    const again = await digest.unchangedBy(() => review.post(`/desk/class-sessions/${session.id}/cancel`), 'cancelled twice');
    assert.equal(again.statusCode, 409);
    assert.equal(problemOf(again.body), 'The class session is already cancelled.');
    assert.equal((await review.post('/desk/class-sessions/99999/cancel')).statusCode, 404);
  });

  it('with a second reading room: each room’s rules, the collections’ rooms, and the list of one room', async () => {
    const admin = await makePerson(room, 'admin', 'Ada Admin');
    const second = ok(await admin.call('POST', '/api/v1/reading-rooms', { code: 'MSSA', name: 'Manuscripts and Archives', timezone: 'America/New_York', classItemLimit: 4, classLeadBusinessDays: 2 }), 201) as { id: number };
    const page = await desk.get('/desk/class-sessions?collectionId=1');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<nav aria-label="Reading rooms" class="staff-days">\s*<a href="\/desk\/class-sessions" aria-current="page">Every reading room<\/a>/);
    assert.match(page.body, /<li>Manuscripts and Archives: at least two business days ahead \(the earliest class date is Monday 30 November 2026\), at most 4 boxes\.<\/li>/);
    assert.match(page.body, /<option value="1" selected>GEN MSS 238: Victor Serge papers \([^)]+\)<\/option>/);
    assert.match(page.body, new RegExp(`<option value="${second.id}">Manuscripts and Archives</option>`), 'the booking form offers both rooms');
    const first = await desk.get('/desk/class-sessions?room=1');
    assert.ok((await classes()).every((c) => first.body.includes(`id="class-${c.id}"`)), 'the first room’s classes');
    const none = await desk.get(`/desk/class-sessions?room=${second.id}`);
    assert.match(none.body, /No class session from today on\./);
    assert.match(none.body, new RegExp(`<a href="/desk/class-sessions\\?room=${second.id}" aria-current="page">Manuscripts and Archives</a>`));
  });

  it("a researcher gets the page that says no, for the page and both forms, and nothing changes", async () => {
    const browser = await signedInBrowser(room.app, reader.email, reader.password);
    const page = await browser.get('/desk/class-sessions');
    assert.equal(page.statusCode, 403);
    assert.match(page.body, /not open to your role/);
    assert.ok(!page.body.includes('Exile and revolution'));
    assert.doesNotMatch(page.body, /Class sessions<\/a>/, 'not in a researcher’s navigation');
    const [first] = await classes();
    for (const [url, fields] of [
      ['/desk/class-sessions', booking()],
      [`/desk/class-sessions/${first!.id}/cancel`, {}],
    ] as const) {
      const answer = await digest.unchangedBy(() => browser.post(url, fields), url);
      assert.equal(answer.statusCode, 403, url);
    }
  });

  it('a title, a name and an address with markup are shown as text', async () => {
    await desk.get('/desk/class-sessions?collectionId=1');
    const markup = '<script>alert(document.cookie)</script>';
    const answer = await desk.post(
      '/desk/class-sessions',
      booking({ title: `${markup} seminar`, instructorName: '<img src=x onerror=alert(1)>', date: '2026-12-07', containerIds: ['9'] }),
    );
    assert.equal(answer.statusCode, 303, answer.body);
    const page = await desk.follow(answer);
    assert.ok(page.body.includes('&lt;script&gt;alert(document.cookie)&lt;/script&gt; seminar'));
    assert.ok(page.body.includes('&lt;img src=x onerror=alert(1)&gt;'));
    assert.doesNotMatch(page.body, /<script>|<img src=x/);
    // Refused and shown again in the form's fields, it is text there too.
    const refused = await desk.post('/desk/class-sessions', booking({ title: `"><script>x</script>`, date: TOO_SOON }));
    assert.equal(refused.statusCode, 422);
    assert.equal(valueOf(refused.body, 'title'), '&quot;&gt;&lt;script&gt;x&lt;/script&gt;');
    assert.doesNotMatch(refused.body, /<script>/);
  });
});
