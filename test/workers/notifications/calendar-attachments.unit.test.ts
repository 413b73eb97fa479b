import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MailJob } from '../../../src/mail/catalogue.ts';
import { attachmentsFor } from '../../../workers/notifications/attachments.ts';

// Which mails carry which calendar entry: the booking adds the visit to the researcher's calendar,
// the cancellation takes the same entry (same UID) out again, a hold mail carries none. The entry
// itself is test/appointments/calendar-file.unit.test.ts's.

const settings = { libraryName: 'Beinecke Library', publicUrl: 'https://rr.example.edu' };
const appointment = { id: 41, date: '2026-12-08', roomName: 'Beinecke reading room', timezone: 'America/New_York' };
const to = { email: 'ana@example.org', name: 'Ana' };
const appointmentsUrl = 'https://rr.example.edu/appointments';

const ics = (mail: MailJob) => {
  const files = attachmentsFor(mail, settings) ?? [];
  assert.equal(files.length, 1);
  const [file] = files;
  return { contentType: file!.contentType, text: String(file!.content) };
};
const line = (text: string, name: string) => new RegExp(`^${name}[:;].*$`, 'm').exec(text)?.[0];

describe('the appointment mails’ calendar entries', () => {
  it('a booking publishes the appointment’s event', () => {
    const { contentType, text } = ics({ kind: 'appointment-booked', to, data: { appointment, containers: [], appointmentsUrl } });
    assert.match(String(contentType), /text\/calendar.*method=PUBLISH/);
    assert.equal(line(text, 'METHOD'), 'METHOD:PUBLISH');
    assert.equal(line(text, 'UID'), 'UID:appointment-41@rr.example.edu');
    assert.equal(line(text, 'DTSTART'), 'DTSTART;VALUE=DATE:20261208');
  });

  it('a cancellation cancels the same event', () => {
    const { contentType, text } = ics({ kind: 'appointment-cancelled', to, data: { appointment, containers: [], reason: 'You cancelled it.', appointmentsUrl } });
    assert.match(String(contentType), /method=CANCEL/);
    assert.equal(line(text, 'METHOD'), 'METHOD:CANCEL');
    assert.equal(line(text, 'UID'), 'UID:appointment-41@rr.example.edu');
    assert.equal(line(text, 'STATUS'), 'STATUS:CANCELLED');
  });

  it('the hold mails carry no calendar entry', () => {
    const container = { requestId: 1, callNumber: 'GEN MSS 238', collectionTitle: 'Victor Serge papers', containerLabel: 'Box 1', status: 'on_hold' as const, restricted: false, restrictionNote: null };
    assert.deepEqual(attachmentsFor({ kind: 'hold-placed', to, data: { container, holdUntil: '2026-12-09', requestsUrl: appointmentsUrl } }, settings), []);
  });
});
