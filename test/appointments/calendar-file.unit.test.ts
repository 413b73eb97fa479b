import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { appointmentCalendarFile } from '../../src/appointments/calendar-file.ts';

// An appointment's .ics, the same whether a mail carries it or the appointments page gives it.

const site = { libraryName: 'Beinecke Library', publicUrl: 'https://readingroom.example.edu', appointmentsUrl: 'https://readingroom.example.edu/appointments' };
const appointment = { id: 42, date: '2026-12-31', roomName: 'Manuscripts Room' };
/** The text of an iCalendar file with its folded lines joined again (RFC 5545 folds at 75 octets). */
const unfolded = (content: string) => content.replace(/\r\n[ \t]/g, '');

describe("an appointment's calendar file", () => {
  it('is an all-day event on its date, ending the next day (across the new year), named after its room', () => {
    const file = appointmentCalendarFile(appointment, site, false);
    const text = unfolded(file.content);
    assert.equal(file.contentType, 'text/calendar; charset=utf-8; method=PUBLISH');
    assert.match(text, /METHOD:PUBLISH/);
    assert.match(text, /DTSTART;VALUE=DATE:20261231/);
    assert.match(text, /DTEND;VALUE=DATE:20270101/);
    assert.match(text, /UID:appointment-42@readingroom\.example\.edu/);
    assert.match(text, /SUMMARY:Reading room visit\\, Manuscripts Room/);
    assert.match(text, /LOCATION:Manuscripts Room\\, Beinecke Library/);
    assert.match(text, /Thursday 31 December 2026/);
    assert.doesNotMatch(text, /STATUS:CANCELLED/);
  });

  it('once cancelled, takes the same entry out: METHOD:CANCEL, STATUS:CANCELLED, the same UID', () => {
    const text = unfolded(appointmentCalendarFile(appointment, site, true).content);
    assert.match(text, /METHOD:CANCEL/);
    assert.match(text, /STATUS:CANCELLED/);
    assert.match(text, /UID:appointment-42@readingroom\.example\.edu/);
  });
});
