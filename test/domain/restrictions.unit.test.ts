import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { ContainerRef } from '../../src/domain/container-identity.ts';
import { containerRestrictions, namedContainers, restrictedOn, restrictionTexts, type RestrictionSource } from '../../src/domain/restrictions.ts';
import { containerKey } from '../../src/domain/container-identity.ts';

// Which containers a finding aid's notes restrict (docs/finding-aids.md, "Restriction").

const TODAY = '2026-06-01';
const box = (indicator: string, type = 'box', barcode: string | null = null): ContainerRef => ({
  type,
  indicator,
  barcode,
  label: `${type.charAt(0).toUpperCase()}${type.slice(1)} ${indicator}`,
});
type Component = RestrictionSource['components'][number];
const c = (parent: number | null, accessNotes: string[] = [], containers: ContainerRef[] = []): Component => ({
  parent,
  accessNotes,
  housings: containers.map((container) => ({ container })),
});
const restricted = (aid: RestrictionSource, today = TODAY) =>
  Object.fromEntries(containerRestrictions(aid, today).filter((r) => r.restricted).map((r) => [r.container.label, [r.until, r.note]]));

describe('container restrictions from component notes', () => {
  it('the nearest note decides: own notes (restricted if any restricts), else the nearest ancestor\'s', () => {
    const aid = {
      collectionAccessNotes: [],
      components: [
        c(null, ['Series closed.'], []),
        c(0, [], [box('1')]), // inherits the series' closure
        c(0, ['This folder is open.'], [box('2')]), // its own open note decides
        c(0, ['This folder is open.', 'Sealed.'], [box('3')]), // one of its own restricts
      ],
    };
    assert.deepEqual(restricted(aid), { 'Box 1': [null, 'Series closed.'], 'Box 3': [null, 'Sealed.'] });
  });

  it('a restricting component restricts the containers it is housed in, inherited ones included', () => {
    const aid = { collectionAccessNotes: [], components: [c(null, [], [box('7')]), c(0, ['[RESTRICTED UNTIL 2067]'])] };
    assert.deepEqual(restricted(aid), { 'Box 7': ['2067-01-01', '[RESTRICTED UNTIL 2067]'] });
  });

  it('several notes: the latest end, no end if any has none, ended ones do not count; the first note and how many more', () => {
    const ends = { collectionAccessNotes: [], components: [c(null, ['Closed until 2030.'], [box('1')]), c(null, ['Closed until 2040.'], [box('1')]), c(null, ['Closed until 2020.'], [box('1')])] };
    assert.deepEqual(restricted(ends), { 'Box 1': ['2040-01-01', 'Closed until 2030. (and 1 more note)'] });
    const noEnd = { ...ends, components: [...ends.components, c(null, ['Sealed.'], [box('1')])] };
    assert.deepEqual(restricted(noEnd), { 'Box 1': [null, 'Closed until 2030. (and 2 more notes)'] });
    assert.deepEqual(restricted(ends, '2019-12-31'), { 'Box 1': ['2040-01-01', 'Closed until 2030. (and 2 more notes)'] });
  });

  it('a closure whose end is past on today restricts nothing, and the same text counts once', () => {
    const aid = { collectionAccessNotes: [], components: [c(null, ['[Restricted until July 01, 2022]'], [box('Vault')])] };
    assert.deepEqual(restricted(aid), {});
    assert.deepEqual(restricted(aid, '2022-06-30'), { 'Box Vault': ['2022-07-01', '[Restricted until July 01, 2022]'] });
  });

  it('containers are told apart by type, indicator and barcode, in order of first appearance', () => {
    const aid = { collectionAccessNotes: [], components: [c(null, [], [box('1', 'box', 'A'), box('1', 'box', 'B'), box('1')]), c(null, [], [box('1', 'box', 'A')])] };
    assert.deepEqual(
      containerRestrictions(aid, TODAY).map((r) => r.key),
      [box('1', 'box', 'A'), box('1', 'box', 'B'), box('1')].map(containerKey),
    );
  });
});

describe('container restrictions from collection-level sentences', () => {
  const many = new Map([...['1', '3', '5', '9', '23', '24', '25', '26', '27 [closed]', '270', '28'].map((i) => box(i)), box('1', 'broadside')].map((b) => [containerKey(b), b]));
  const named = (sentence: string) => [...namedContainers(sentence, many)].map((key) => many.get(key)?.label).sort();

  it('names Box 23, Boxes 23-27, boxes 3, 5 and 9, and a bare type word when only one container has it', () => {
    assert.deepEqual(named('Box 23 is closed.'), ['Box 23']);
    assert.deepEqual(named('Boxes 23-27 are closed.'), ['Box 23', 'Box 24', 'Box 25', 'Box 26', 'Box 27 [closed]']);
    assert.deepEqual(named('boxes 3, 5 and 9 are restricted'), ['Box 3', 'Box 5', 'Box 9']);
    assert.deepEqual(named('The broadside is restricted.'), ['Broadside 1']);
    assert.deepEqual(named('A box is restricted.'), [], 'a bare word of a type with many containers names none');
  });

  it("GEN MSS 238's note restricts boxes 23–27 and the broadside, with that note", () => {
    const note = 'Boxes 23-27 and broadside, Bsd: Restricted fragile material. Reference surrogates have been substituted in the main files. For further information consult the appropriate curator.';
    const aid = { collectionAccessNotes: [note], components: [c(null, [], [...many.values()])] };
    assert.deepEqual(Object.keys(restricted(aid)).sort(), ['Box 23', 'Box 24', 'Box 25', 'Box 26', 'Box 27 [closed]', 'Broadside 1']);
    assert.deepEqual(restricted(aid)['Box 23'], [null, note]);
  });

  it('a sentence that names containers without restricting them restricts nothing', () => {
    const aid = { collectionAccessNotes: ['Boxes 3-5 are open. Box 9 is closed until 2030.'], components: [c(null, [], [...many.values()])] };
    assert.deepEqual(restricted(aid), { 'Box 9': ['2030-01-01', 'Boxes 3-5 are open. Box 9 is closed until 2030.'] });
  });
});

describe('restriction texts and restrictedOn', () => {
  it('each distinct component-level text in order of first appearance, with its reading and how many components carry it', () => {
    const aid = { components: [c(null, ['[Unvetted]']), c(0, ['[RESTRICTED UNTIL 2067]', '[Unvetted]']), c(0, ['[Unvetted]', '[Unvetted]'])] };
    assert.deepEqual(restrictionTexts(aid), [
      { text: '[Unvetted]', reading: 'open', components: 3 },
      { text: '[RESTRICTED UNTIL 2067]', reading: 'until 2067-01-01', components: 1 },
    ]);
  });

  it('a restriction with an end lifts on that day', () => {
    assert.equal(restrictedOn({ restricted: true, until: '2045-01-01' }, '2044-12-31'), true);
    assert.equal(restrictedOn({ restricted: true, until: '2045-01-01' }, '2045-01-01'), false);
    assert.equal(restrictedOn({ restricted: true, until: null }, '2999-01-01'), true);
    assert.equal(restrictedOn({ restricted: false, until: null }, '2026-01-01'), false);
  });
});

describe('container restrictions, properties', () => {
  /** A random tree of components, parents first, with notes from a small vocabulary and boxes 1-6. */
  const trees = fc
    .array(
      fc.record({
        parentPick: fc.nat(),
        hasParent: fc.boolean(),
        notes: fc.array(fc.constantFrom('Open.', 'Closed.', 'Closed until 2030.', 'Closed until 2020.', '[Unvetted]'), { maxLength: 2 }),
        boxes: fc.array(fc.integer({ min: 1, max: 6 }), { maxLength: 2 }),
      }),
      { maxLength: 30 },
    )
    .map((rows) => ({
      collectionAccessNotes: [],
      components: rows.map((r, i) => c(r.hasParent && i > 0 ? r.parentPick % i : null, r.notes, r.boxes.map((n) => box(String(n))))),
    }));

  it('every container appears once; restricted ones carry a note, open ones none; an end is always in the future', () => {
    fc.assert(
      fc.property(trees, (aid) => {
        const result = containerRestrictions(aid, TODAY);
        assert.equal(new Set(result.map((r) => r.key)).size, result.length);
        for (const r of result) {
          assert.equal(r.note !== null, r.restricted);
          if (r.until !== null) assert.ok(r.restricted && r.until > TODAY);
          assert.equal(restrictedOn(r, TODAY), r.restricted);
        }
      }),
    );
  });

  it('with no restricting note anywhere nothing is restricted', () => {
    fc.assert(
      fc.property(trees, (aid) => {
        const opened = { ...aid, components: aid.components.map((x) => ({ ...x, accessNotes: x.accessNotes.filter((n) => n === 'Open.' || n === '[Unvetted]' || n.includes('2020')) })) };
        assert.deepEqual(restricted(opened), {});
      }),
    );
  });
});
