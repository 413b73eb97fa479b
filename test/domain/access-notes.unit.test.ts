import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { endOf, readAccessNote, readingLabel } from '../../src/domain/access-notes.ts';

// How access notes of real finding aids read (docs/finding-aids.md, "Restriction").

const reads = (text: string) => readingLabel(readAccessNote(text));

describe('reading an access note', () => {
  it('reads a stated end as until a date: the first date wins', () => {
    assert.equal(reads('[Restricted until July 01, 2022]'), 'until 2022-07-01');
    assert.equal(reads('Closed until March 2031.'), 'until 2031-03-01');
    assert.equal(reads('[RESTRICTED UNTIL 2067]'), 'until 2067-01-01');
    assert.equal(reads('This folder is restricted. It will open in 2045.'), 'until 2045-01-01');
    assert.equal(reads('Sealed until 1 January 2030, then until 2040.'), 'until 2030-01-01');
    assert.equal(reads('Embargoed until 2031-06-15.'), 'until 2031-06-15');
    assert.equal(reads('Restricted until February 30, 2030.'), 'until 2030-02-01', 'a day that does not exist: the month is meant');
  });

  it('reads restricting words in any form as restricted, without end', () => {
    for (const text of [
      'Restricted fragile material.',
      'This series is closed.',
      'Sealed by the donor.',
      'Embargo on these files.',
      'Unavailable while being processed.',
      'The originals are not available; use the copies.',
      'Original audio cassettes have been restricted for preservation purposes.',
      'Records are closed for 15 years following creation.',
      'This folder is open. Its letters are restricted.',
    ]) {
      assert.equal(reads(text), 'restricted', text);
    }
  });

  it('reads everything else as open, denials included', () => {
    for (const text of [
      'This folder is open.',
      '[Vetted, open]',
      '[Unvetted]',
      'Open for research without restrictions.',
      'There are no access restrictions on this material.',
      'The collection is unrestricted.',
      'This video recording is available for streaming with password authentication for researchers with prior approval.',
      'All records in Series 1 are open for research use.',
    ]) {
      assert.equal(reads(text), 'open', text);
    }
  });

  it('a year without a word of ending is no end', () => {
    assert.equal(endOf('Records created after 1990 are closed.'), null);
    assert.equal(reads('Records created after 1990 are closed.'), 'restricted');
  });

  it('any year after "until" is that year\'s 1 January, whatever surrounds it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1000, max: 9999 }), fc.string(), fc.string(), (year, before, after) => {
        const text = `${before.replace(/\d|until|open|till/gi, '')} until ${year} ${after}`;
        assert.equal(endOf(text), `${year}-01-01`);
      }),
    );
  });

  it('never throws, and reads one of the three ways, on any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (text) => {
        assert.match(reads(text), /^(open|restricted|until \d{4}-\d{2}-\d{2})$/);
      }),
    );
  });
});
