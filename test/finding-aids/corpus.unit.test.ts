import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { containerRestrictions, restrictionTexts } from '../../src/domain/restrictions.ts';
import { readFindingAid } from '../../src/finding-aids/ead-reader.ts';
import type { FindingAid } from '../../src/finding-aids/finding-aid.ts';
import { victorSergePapers } from '../../db/seed/victor-serge-papers.ts';

// The reader against the real finding aids of shared/fixtures/ead/ (its README says where each
// comes from and what is odd in it). The counts were made once by hand, with a few lines of Python
// over ElementTree that are not the reader: components = every c, c01…c12 in dsc; top containers =
// distinct (type, indicator, barcode) by the contract's rules.

const root = join(import.meta.dirname, '..', '..');
const folder = join(root, '..', 'shared', 'fixtures', 'ead');
const present = existsSync(folder);
const TODAY = '2026-06-01';

const expected: Record<string, { components: number; containers: number }> = {
  'afcu.xml': { components: 5, containers: 2 },
  'archon-tracer.xml': { components: 11, containers: 1 },
  'at-tracer.xml': { components: 12, containers: 11 },
  'bhl-0420-kahn.xml': { components: 12814, containers: 469 },
  'bhl-2017040-forsyth.xml': { components: 364, containers: 36 },
  'clarke-aladdin.xml': { components: 3149, containers: 259 },
  'columbia-7746709-hrw.xml': { components: 1221, containers: 61 },
  'ead_with_extents.xml': { components: 7, containers: 0 },
  'emory-raoul548.xml': { components: 707, containers: 59 },
  'ferris.xml': { components: 18, containers: 1 },
  'hornstein.xml': { components: 719, containers: 26 },
  'loc-ad021001.xml': { components: 185, containers: 20 },
  'loc-af022009.xml': { components: 469, containers: 17 },
  'nyu-fales-mss420.xml': { components: 361, containers: 46 },
  'nyu-fales-mss460.xml': { components: 46, containers: 1 },
  'princeton-MC147.xml': { components: 5883, containers: 569 },
  'stanford-sc0097-knuth.xml': { components: 1140, containers: 79 },
  'umich-scrc-ams0099.xml': { components: 590, containers: 10 },
  'vmi.xml': { components: 1, containers: 3 },
  'voorhis.xml': { components: 530, containers: 26 },
  'wegmann.xml': { components: 1, containers: 1 },
};

const cache = new Map<string, FindingAid>();
const read = (name: string) => {
  const known = cache.get(name) ?? readFindingAid(readFileSync(join(folder, name)));
  cache.set(name, known);
  return known;
};
const componentWith = (aid: FindingAid, note: string) => aid.components.find((c) => c.accessNotes.includes(note));
const restrictionOf = (aid: FindingAid, label: string, today = TODAY) => containerRestrictions(aid, today).find((r) => r.container.label === label);

describe('the real finding aids of shared/fixtures/ead/', { skip: present ? false : `the fixture folder ${folder} is missing (a fresh clone has no ../shared/): the corpus was NOT checked` }, () => {
  it('holds the 21 documents counted here', () => {
    assert.deepEqual(readdirSync(folder).filter((f) => f.endsWith('.xml')).sort(), Object.keys(expected).sort());
  });

  for (const [name, counts] of Object.entries(expected)) {
    it(`${name}: ${counts.components} components, ${counts.containers} distinct top containers`, () => {
      const aid = read(name);
      assert.equal(aid.components.length, counts.components);
      assert.equal(containerRestrictions(aid, TODAY).length, counts.containers);
    });
  }

  it('columbia: [RESTRICTED UNTIL 2067] restricts its box until 2067; [Unvetted] and [Vetted, open] read open', () => {
    const aid = read('columbia-7746709-hrw.xml');
    const budget = componentWith(aid, '[RESTRICTED UNTIL 2067]');
    assert.equal(budget?.title, 'Budget');
    assert.deepEqual(budget?.housings, [{ container: { type: 'box', indicator: '230', barcode: 'RH00002380', label: 'Box 230' }, folder: 'Folder 39' }]);
    assert.deepEqual(restrictionOf(aid, 'Box 230'), {
      key: 'box\u0000230\u0000RH00002380',
      container: { type: 'box', indicator: '230', barcode: 'RH00002380', label: 'Box 230' },
      restricted: true,
      until: '2070-01-01',
      note: '[RESTRICTED UNTIL 2064] (and 2 more notes)',
    });
    const texts = restrictionTexts(aid);
    assert.deepEqual(texts.find((t) => t.text === '[RESTRICTED UNTIL 2067]'), { text: '[RESTRICTED UNTIL 2067]', reading: 'until 2067-01-01', components: 17 });
    assert.deepEqual(texts.find((t) => t.text === '[Unvetted]'), { text: '[Unvetted]', reading: 'open', components: 988 });
    assert.deepEqual(texts.find((t) => t.text === '[Vetted, open]'), { text: '[Vetted, open]', reading: 'open', components: 29 });
  });

  it('princeton: "will open in 2045" restricts Box 335 until 2045; "This folder is open." restricts nothing of its own', () => {
    const aid = read('princeton-MC147.xml');
    const texts = restrictionTexts(aid);
    assert.deepEqual(texts.find((t) => t.text === 'This folder is restricted. It will open in 2045.'), { text: 'This folder is restricted. It will open in 2045.', reading: 'until 2045-01-01', components: 2 });
    assert.deepEqual(texts.find((t) => t.text === 'This folder is open.'), { text: 'This folder is open.', reading: 'open', components: 62 });
    assert.deepEqual(restrictionOf(aid, 'Box 335'), {
      key: 'box\u0000335\u000032101105998627',
      container: { type: 'box', indicator: '335', barcode: '32101105998627', label: 'Box 335' },
      restricted: true,
      until: '2045-01-01',
      note: 'This folder is restricted. It will open in 2045.',
    });
    const open = aid.components.find((c) => c.refId === 'aspace_MC147_c02379');
    assert.deepEqual([open?.accessNotes, open?.housings[0]?.container.label, open?.housings[0]?.folder], [['This folder is open.'], 'Box 333', 'Folder 11']);
  });

  it("bhl-2017040-forsyth: a restriction that ended on 2022-07-01 restricts nothing today, but did the day before", () => {
    const aid = read('bhl-2017040-forsyth.xml');
    assert.equal(componentWith(aid, '[Restricted until July 01, 2022]')?.title, 'Forsyth, Ilene');
    assert.equal(restrictionOf(aid, 'Box Vault')?.restricted, false);
    assert.deepEqual(restrictionOf(aid, 'Box Vault', '2022-06-30'), {
      key: 'box\u0000Vault\u0000',
      container: { type: 'box', indicator: 'Vault', barcode: null, label: 'Box Vault' },
      restricted: true,
      until: '2022-07-01',
      note: '[Restricted until July 01, 2022]',
    });
  });

  it('stanford: twelve Box 1s, eleven with a bracketed barcode and one without', () => {
    const boxOnes = containerRestrictions(read('stanford-sc0097-knuth.xml'), TODAY).filter((r) => r.container.label === 'Box 1');
    assert.equal(boxOnes.length, 12);
    assert.equal(boxOnes.filter((r) => r.container.barcode === null).length, 1);
    assert.ok(boxOnes.some((r) => r.container.barcode === 'aspace.536698.box.1'));
  });

  it('loc-af022009 (EAD3): box-folder 16/8 is Box 16, Folder 8', () => {
    const aid = read('loc-af022009.xml');
    const housed = aid.components.filter((c) => c.housings.some((h) => h.container.label === 'Box 16' && h.folder === 'Folder 8'));
    assert.equal(housed.length, 1);
    assert.match(housed[0]?.title ?? '', /^Manuscript material accompanying digital media/);
    assert.equal(aid.collection.callNumber, 'AFC 2017/049');
  });

  it('loc-ad021001 (EAD3): containers only on series; the files inherit them', () => {
    const aid = read('loc-ad021001.xml');
    const series = aid.components.filter((c) => c.parent === null);
    const files = aid.components.filter((c) => c.parent !== null);
    assert.ok(series.every((s) => s.housings.length > 0));
    assert.ok(files.every((f) => f.housings.length === 0));
    assert.equal(series[0]?.title, '북조선 화교 연합 총회, 1947');
    assert.deepEqual(aid.warnings, []);
  });

  it("clarke-aladdin: the call number written over line breaks collapses; its title's unitdate joins as written", () => {
    const { collection } = read('clarke-aladdin.xml');
    assert.equal(collection.callNumber, 'MSS.');
    assert.equal(collection.title, 'Aladdin Company Records Collection 1907-1989 (bulk 1940-1982)');
  });

  it('umich-scrc-ams0099: an unlinked Box 24-25 after Box 1 is its child; the restricted cassettes restrict Box 6', () => {
    const aid = read('umich-scrc-ams0099.xml');
    assert.ok(aid.components.some((c) => c.housings.length === 1 && c.housings[0]?.container.label === 'Box 1' && c.housings[0].folder === 'Box 24-25'));
    assert.deepEqual(containerRestrictions(aid, TODAY).filter((r) => r.restricted).map((r) => r.container.label), ['Box 6']);
  });

  it('nyu-fales-mss460: streaming access restricts nothing', () => {
    assert.deepEqual(containerRestrictions(read('nyu-fales-mss460.xml'), TODAY).filter((r) => r.restricted), []);
  });

  it('ead_with_extents: no container at all, so each top component is warned about', () => {
    const aid = read('ead_with_extents.xml');
    assert.equal(aid.warnings.length, aid.components.filter((c) => c.parent === null).length);
  });
});

describe('GEN MSS 238 as EAD (db/seed/gen-mss-238.xml)', () => {
  const aid = readFindingAid(readFileSync(join(root, 'db/seed/gen-mss-238.xml')));

  it('is the seeded collection', () => {
    const { callNumber, title, dates, bulkDates, repository, accessNote } = aid.collection;
    assert.deepEqual({ callNumber, title, dates, bulkDates, repository, accessNote }, {
      callNumber: victorSergePapers.callNumber,
      title: victorSergePapers.title,
      dates: victorSergePapers.dates,
      bulkDates: victorSergePapers.bulkDates,
      repository: victorSergePapers.repository,
      accessNote: victorSergePapers.accessNote,
    });
    assert.deepEqual(aid.components.filter((c) => c.parent === null).map((c) => c.title), ['Correspondence', 'Writings', 'Subject Files', 'Personal Papers and Memorabilia', 'Envelopes', 'Materials Collected by Vlady Kibalchich']);
  });

  it('houses 28 boxes and the broadside; the collection-level note restricts boxes 23-27 and the broadside', () => {
    const restrictions = containerRestrictions(aid, TODAY);
    const labels = restrictions.map((r) => r.container.label);
    assert.deepEqual(labels.sort(), [...Array.from({ length: 28 }, (_, i) => `Box ${i + 1}`), 'Broadside 1'].sort());
    assert.deepEqual(
      restrictions.filter((r) => r.restricted).map((r) => [r.container.label, r.until, r.note]).sort(),
      ['Box 23', 'Box 24', 'Box 25', 'Box 26', 'Box 27', 'Broadside 1'].map((label) => [label, null, victorSergePapers.accessNote]),
    );
    assert.deepEqual(aid.warnings, []);
  });
});
