import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertRefusal, ok } from '../helpers/answers.ts';
import { lastOutboxId, mailsSince } from '../helpers/outbox-mail.ts';
import { makePerson, type Person } from '../helpers/people.ts';
import { startReadingRoom, type TestReadingRoom } from '../helpers/reading-room.ts';

// Notes on requests through the API: the reading room's own (staff) never reach the researcher;
// those written for the researcher are mailed to them.

interface Note {
  id: number;
  requestId: number;
  authorId: number;
  visibility: string;
  text: string;
  createdAt: string;
}

const STAFF_NOTE = 'Spine cracked at folder 4: cradle only. Reader was rude on the phone.';
const FOR_RESEARCHER = 'The box will be at the desk from 10:00.';

describe('notes on requests', () => {
  let room: TestReadingRoom;
  let staff: Person;
  let curator: Person;
  let reader: Person;
  let other: Person;
  let id: number;

  before(async () => {
    room = await startReadingRoom();
    staff = await makePerson(room, 'staff');
    curator = await makePerson(room, 'curator');
    reader = await makePerson(room, 'researcher');
    other = await makePerson(room, 'researcher');
    id = (ok(await reader.call('POST', '/api/v1/requests', { visitDate: '2026-11-30', containerIds: [4] }), 201).items as { id: number }[])[0]!.id;
  });
  after(async () => {
    await room?.close();
  });

  it('a staff note is written for the reading room, and nobody is mailed', async () => {
    const since = await lastOutboxId(room.db);
    const note = ok<Note>(await staff.call('POST', `/api/v1/requests/${id}/notes`, { text: STAFF_NOTE, visibility: 'staff' }), 201);
    assert.deepEqual([note.requestId, note.authorId, note.visibility, note.text], [id, staff.id, 'staff', STAFF_NOTE]);
    assert.deepEqual(await mailsSince(room.db, since), []);
  });

  it('a note for the researcher is mailed to them, with its text', async () => {
    const since = await lastOutboxId(room.db);
    ok(await curator.call('POST', `/api/v1/requests/${id}/notes`, { text: FOR_RESEARCHER, visibility: 'researcher' }), 201);
    const mails = await mailsSince(room.db, since);
    assert.deepEqual(mails.map((m) => [m.jobName, m.mail.to.email]), [['request-note', reader.email]]);
    assert.ok(mails[0]?.mail.kind === 'request-note');
    assert.equal(mails[0].mail.data.text, FOR_RESEARCHER);
  });

  it('staff and curators read every note, oldest first; the researcher only those written for them', async () => {
    for (const person of [staff, curator]) {
      const all = ok<{ items: Note[] }>(await person.call('GET', `/api/v1/requests/${id}/notes`)).items;
      assert.deepEqual(all.map((n) => n.text), [STAFF_NOTE, FOR_RESEARCHER]);
    }
    const theirs = ok<{ items: Note[] }>(await reader.call('GET', `/api/v1/requests/${id}/notes`)).items;
    assert.deepEqual(theirs.map((n) => [n.visibility, n.text]), [['researcher', FOR_RESEARCHER]]);
    for (const url of [`/api/v1/requests/${id}`, `/api/v1/requests/${id}/events`, '/api/v1/requests', '/api/v1/appointments']) {
      assert.ok(!(await reader.call('GET', url)).body.includes('Spine cracked'), `${url} holds no staff note`);
    }
  });

  it("another researcher's request is 404; a researcher writes none; a note must say something of a known kind", async () => {
    assertRefusal(await other.call('GET', `/api/v1/requests/${id}/notes`), 404, 'NOT_FOUND');
    assertRefusal(await reader.call('POST', `/api/v1/requests/${id}/notes`, { text: 'Me too', visibility: 'researcher' }), 403, 'FORBIDDEN');
    assertRefusal(await staff.call('POST', '/api/v1/requests/999999/notes', { text: 'Lost', visibility: 'staff' }), 404, 'NOT_FOUND');
    for (const body of [{ text: '', visibility: 'staff' }, { text: 'x', visibility: 'public' }, { text: 'x' }]) {
      assertRefusal(await staff.call('POST', `/api/v1/requests/${id}/notes`, body), 400, 'FST_ERR_VALIDATION', JSON.stringify(body));
    }
    assert.equal(ok<{ items: Note[] }>(await staff.call('GET', `/api/v1/requests/${id}/notes`)).items.length, 2, 'no refusal wrote a note');
  });
});
