import assert from 'node:assert/strict';
import { text } from 'node:stream/consumers';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { csvOf, wantsCsv } from '../../src/reports/csv.ts';
import type { UsageRow } from '../../src/reports/usage.ts';

const row = (label: string, key: number | string = 1): UsageRow => ({ key, label, requests: 3, uses: 2, researchers: 1, noShows: 0, cancelled: 1, denied: 0 });
const HEADER = 'key,label,requests,uses,researchers,noShows,cancelled,denied';
/** What a spreadsheet may run: =, +, -, @, tab, carriage return, and the full-width =, +, -, @ (Apple Numbers folds them). */
const FORMULA_FIRST = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

/** A minimal RFC 4180 reader, to read back what was written. */
function parseCsv(csv: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < csv.length; i++) {
    const c = csv[i]!;
    if (quoted && c === '"' && csv[i + 1] === '"') {
      field += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (quoted) {
      field += c;
    } else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\r' && csv[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i++;
    } else {
      field += c;
    }
  }
  return records;
}

describe('usage CSV', () => {
  it('quotes commas, quotes and line breaks as RFC 4180 has it, lines ending in CRLF', async () => {
    const csv = await text(csvOf([row('Letters, 1920'), row('The "Red" notebook'), row('Two\nlines'), row('Carriage\rreturn'), row('plain')]));
    assert.equal(
      csv,
      [HEADER, '1,"Letters, 1920",3,2,1,0,1,0', '1,"The ""Red"" notebook",3,2,1,0,1,0', '1,"Two\nlines",3,2,1,0,1,0', '1,"Carriage\rreturn",3,2,1,0,1,0', '1,plain,3,2,1,0,1,0', ''].join('\r\n'),
    );
  });

  it('neutralises a cell a spreadsheet would run: =, +, -, @, tab, carriage return and the full-width =, +, -, @ first get a leading apostrophe', async () => {
    const labels = ['=HYPERLINK("http://evil.example","x")', '+1+1', '-2+3', '@SUM(A1)', '\tTAB', '\rCR', '\uFF1DSUM(A1)', '\uFF0B1', '\uFF0D1', '\uFF20A1'];
    const records = parseCsv(await text(csvOf(labels.map((label) => row(label)))));
    assert.deepEqual(records.slice(1).map((r) => r[1]), labels.map((label) => `'${label}`));
  });

  it('reads back as written, whatever the label (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.string({ unit: 'grapheme', maxLength: 40 }), { minLength: 1, maxLength: 8 }), async (labels) => {
        const records = parseCsv(await text(csvOf(labels.map((label, i) => row(label, i + 1)))));
        assert.deepEqual(records[0], HEADER.split(','));
        assert.deepEqual(
          records.slice(1).map((r) => r[1]),
          labels.map((label) => (FORMULA_FIRST.test(label) ? `'${label}` : label)),
        );
      }),
      { numRuns: 200 },
    );
  });

  it('is what a client asks for with Accept: text/csv first', () => {
    assert.equal(wantsCsv('text/csv'), true);
    assert.equal(wantsCsv('text/csv; charset=utf-8, application/json'), true);
    assert.equal(wantsCsv('application/json, text/csv'), false);
    assert.equal(wantsCsv(undefined), false);
    assert.equal(wantsCsv('*/*'), false);
  });
});
