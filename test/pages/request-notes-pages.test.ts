import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { ok } from '../helpers/answers.ts';
import { lastOutboxId, mailsSince } from '../helpers/outbox-mail.ts';
import { makePerson, type Person } from '../helpers/people.ts';
import { signedInBrowser, type FormBrowser } from '../helpers/form-browser.ts';
import { startReadingRoom, type TestReadingRoom } from '../helpers/reading-room.ts';

// Notes on requests in the pages, on Thanksgiving morning 2026: the desk's request page and the
// curator's queue list every note, marked with who reads it, and add one (for staff only unless
// the person chooses otherwise); the researcher's request page lists only those written for them.

const VISIT = '2026-11-30';
const FOR_STAFF = 'Spine cracked at folder 4: cradle only.';
const FOR_READER = 'Your box will be at the desk from 10:00.';

/** The notes a page lists, each as [who reads it, text]. */
function notesOn(body: string, section = 'notes'): [string, string][] {
  const part = new RegExp(`<section class="request-notes" aria-labelledby="${section}-title">([\\s\\S]*?)</section>`).exec(body)?.[1] ?? '';
  return [...part.matchAll(/<strong class="note-for">([^<]+)<\/strong>[\s\S]*?<p class="note-text">([^<]*)<\/p>/g)].map((m) => [m[1] as string, m[2] as string]);
}

/** The researcher's page's notes, as their texts. */
const readerNotes = (body: string) => [...body.matchAll(/<li class="note"><p class="note-about">[^<]*<\/p><p class="note-text">([^<]*)<\/p><\/li>/g)].map((m) => m[1]);

describe('notes on requests, in the pages', { timeout: 60_000 }, () => {
  let room: TestReadingRoom;
  let staff: Person;
  let curator: Person;
  let reader: Person;
  let desk: FormBrowser;
  let review: FormBrowser;
  let own: FormBrowser;
  let scheduled: number;
  let restricted: number;

  const notesOf = async (id: number) => (ok(await staff.call('GET', `/api/v1/requests/${id}/notes`)).items as { visibility: string; text: string; authorId: number }[]);

  before(async () => {
    room = await startReadingRoom();
    staff = await makePerson(room, 'staff', 'Sam Stacks');
    curator = await makePerson(room, 'curator', 'Clara Curator');
    reader = await makePerson(room, 'researcher', 'Rosa Reader');
    // Box 4 is open; Box 24 is restricted and waits for a curator.
    [scheduled, restricted] = (ok(await reader.call('POST', '/api/v1/requests', { visitDate: VISIT, containerIds: [4, 24] }), 201).items as { id: number }[]).map((r) => r.id) as [number, number];
    desk = await signedInBrowser(room.app, staff.email, staff.password);
    review = await signedInBrowser(room.app, curator.email, curator.password);
    own = await signedInBrowser(room.app, reader.email, reader.password);
  });
  after(async () => {
    await room?.close();
  });

  it('the desk’s request page has no notes yet, and a form whose choice is “For staff only” unless changed', async () => {
    const page = await desk.get(`/desk/requests/${scheduled}`);
    assert.equal(page.statusCode, 200, page.body);
    assert.match(page.body, /<h2 id="notes-title">Notes<\/h2>\s*<p class="hint">No notes yet\.<\/p>/);
    assert.ok(page.body.includes(`<form method="post" action="/desk/requests/${scheduled}/notes" class="note-form">`));
    assert.match(page.body, /<label for="notes-text">Add a note<\/label>/);
    assert.match(page.body, /<input type="radio" id="notes-staff" name="visibility" value="staff" checked>/);
    assert.match(page.body, /<input type="radio" id="notes-researcher" name="visibility" value="researcher">/);
    assert.match(page.body, /<label for="notes-researcher">Sent to the researcher <span class="optional">\(shown on their request page, and mailed to them\)/);
  });

  it('staff add a note for staff only: back to the request with a notice, marked, and nobody mailed', async () => {
    const since = await lastOutboxId(room.db);
    const added = await desk.post(`/desk/requests/${scheduled}/notes`, { text: `  ${FOR_STAFF}  `, visibility: 'staff' });
    assert.equal(added.statusCode, 303, added.body);
    const [note] = await notesOf(scheduled);
    assert.deepEqual([note?.visibility, note?.text, note?.authorId], ['staff', FOR_STAFF, staff.id], 'written trimmed, by the person signed in');
    assert.match(String(added.headers.location), new RegExp(`^/desk/requests/${scheduled}\\?noted=\\d+$`));
    const page = await desk.follow(added);
    assert.match(page.body, /role="status">Note added to Box 4, GEN MSS 238, for staff only\./);
    assert.deepEqual(notesOn(page.body), [['For staff only', FOR_STAFF]]);
    assert.match(page.body, /Sam Stacks \(staff\), Thursday 26 November 2026 at 10:00/);
    assert.deepEqual(await mailsSince(room.db, since), []);
  });

  it('a note sent to the researcher is mailed to them, and marked so', async () => {
    const since = await lastOutboxId(room.db);
    const page = await desk.follow(await desk.post(`/desk/requests/${scheduled}/notes`, { text: FOR_READER, visibility: 'researcher' }));
    assert.match(page.body, /role="status">Note added to Box 4, GEN MSS 238 and mailed to the researcher\./);
    assert.deepEqual(notesOn(page.body), [
      ['For staff only', FOR_STAFF],
      ['Sent to the researcher', FOR_READER],
    ]);
    const mails = await mailsSince(room.db, since);
    assert.deepEqual(mails.map((m) => [m.jobName, m.mail.to.email]), [['request-note', reader.email]]);
  });

  it('a blank note is refused on the page, kept as typed with its choice, and nothing is written', async () => {
    const refused = await desk.post(`/desk/requests/${scheduled}/notes`, { text: '   ', visibility: 'researcher' });
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /role="alert">Write the note before adding it\./);
    assert.match(refused.body, /<textarea id="notes-text" name="text" rows="3" maxlength="4000" aria-invalid="true" aria-describedby="notes-problem"> {3}<\/textarea>/);
    assert.match(refused.body, /value="researcher" checked>/);
    assert.doesNotMatch(refused.body, /value="staff" checked>/);
    assert.equal((await notesOf(scheduled)).length, 2);
    const missing = await desk.post('/desk/requests/999999/notes', { text: FOR_STAFF, visibility: 'staff' });
    assert.equal(missing.statusCode, 404);
    assert.match(missing.body, /There is no request 999999/);
  });

  it('the curator’s queue lists the notes of each request and adds one, for staff only unless chosen otherwise', async () => {
    let queue = await review.get('/review');
    assert.match(queue.body, new RegExp(`<h3 id="notes-${restricted}-title">Notes</h3>\\s*<p class="hint">No notes yet\\.</p>`));
    assert.match(queue.body, new RegExp(`<input type="radio" id="notes-${restricted}-staff" name="visibility" value="staff" checked>`));
    assert.match(queue.body, new RegExp(`<button type="submit" aria-describedby="request-${restricted}-title">Add the note</button>`));
    const since = await lastOutboxId(room.db);
    const added = await review.post(`/review/requests/${restricted}/notes`, { text: 'Ask the donor’s family first.', visibility: 'staff' });
    assert.equal(added.headers.location, `/review?done=noted-staff&request=${restricted}`);
    queue = await review.follow(added);
    assert.match(queue.body, /role="status">Note added to Box 24 of GEN MSS 238 for Monday 30 November 2026, for staff only\./);
    assert.deepEqual(notesOn(queue.body, `notes-${restricted}`), [['For staff only', 'Ask the donor’s family first.']]);
    assert.match(queue.body, /Clara Curator \(curator\)/);
    assert.deepEqual(await mailsSince(room.db, since), []);

    queue = await review.follow(await review.post(`/review/requests/${restricted}/notes`, { text: 'We are asking the donor’s family.', visibility: 'researcher' }));
    assert.match(queue.body, /role="status">Note added to Box 24 of GEN MSS 238 for Monday 30 November 2026 and mailed to the researcher\./);
    assert.deepEqual((await mailsSince(room.db, since)).map((m) => [m.jobName, m.mail.to.email]), [['request-note', reader.email]]);
  });

  it('a refused note on the queue is shown on its request’s form, as typed', async () => {
    const refused = await review.post(`/review/requests/${restricted}/notes`, { text: '', visibility: 'staff' });
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /role="alert">Write the note before adding it\./);
    assert.match(refused.body, new RegExp(`<p id="notes-${restricted}-problem" class="problem">Write the note before adding it\\.</p>`));
    assert.equal((await notesOf(restricted)).length, 2);
  });

  it('the staff’s notes are on the desk’s page of a restricted request too, whoever wrote them', async () => {
    const page = await desk.get(`/desk/requests/${restricted}`);
    assert.deepEqual(notesOn(page.body), [
      ['For staff only', 'Ask the donor’s family first.'],
      ['Sent to the researcher', 'We are asking the donor’s family.'],
    ]);
  });

  it('the researcher’s request page lists only the notes written for them', async () => {
    const page = await own.get(`/requests/${scheduled}`);
    assert.equal(page.statusCode, 200, page.body);
    assert.match(page.body, /<h2>Notes from the reading room<\/h2>/);
    assert.deepEqual(readerNotes(page.body), [FOR_READER]);
    assert.ok(!page.body.includes(FOR_STAFF), 'no staff note');
    assert.doesNotMatch(page.body, /For staff only|note-form/);
    const other = await own.get(`/requests/${restricted}`);
    assert.deepEqual(readerNotes(other.body), ['We are asking the donor’s family.']);
    assert.ok(!other.body.includes('Ask the donor’s family first.'));
  });

  it('a request without a note for the researcher has no notes section on their page', async () => {
    const [id] = (ok(await reader.call('POST', '/api/v1/requests', { visitDate: VISIT, containerIds: [5] }), 201).items as { id: number }[]).map((r) => r.id);
    ok(await staff.call('POST', `/api/v1/requests/${id}/notes`, { text: 'Only for us.', visibility: 'staff' }), 201);
    const page: LightMyRequestResponse = await own.get(`/requests/${id}`);
    assert.doesNotMatch(page.body, /Notes from the reading room|Only for us/);
  });
});
