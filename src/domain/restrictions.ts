import { readAccessNote, readingLabel, type NoteReading } from './access-notes.ts';
import type { IsoDate } from './calendar.ts';
import { containerKeys, MAX_RANGE, type ContainerRef } from './container-identity.ts';

// Which of a finding aid's containers its notes restrict (docs/finding-aids.md, "Restriction").
// The finding aid's own word, recomputed at every import; a curator's PATCH overrides it, and that
// is the import's business, not this one's.

/** What the rules read of a finding aid (src/finding-aids/finding-aid.ts's FindingAid is one). */
export interface RestrictionSource {
  collectionAccessNotes: readonly string[];
  components: readonly {
    parent: number | null;
    accessNotes: readonly string[];
    housings: readonly { container: ContainerRef }[];
  }[];
}

export interface ContainerRestriction {
  /** containerKey of the container. */
  key: string;
  container: ContainerRef;
  restricted: boolean;
  /** The day it opens (restricted before it), or null: no end, or not restricted. */
  until: IsoDate | null;
  /** The first restricting note, with ` (and N more notes)` when others restrict it too; null when open. */
  note: string | null;
}

/** A note that restricts on `today`: its end, or null when it states none. */
interface Restricting {
  text: string;
  until: IsoDate | null;
}

/** Whether a note's reading restricts on `today`: a closure that has ended counts for nothing. */
const restricts = (reading: NoteReading, today: IsoDate) =>
  reading.reading === 'restricted' || (reading.reading === 'until' && reading.until > today);

/** Shared by every component with nothing of its own or above it (never written to). */
const NONE: readonly never[] = Object.freeze([]);

const untilOf = (reading: NoteReading) => (reading.reading === 'until' ? reading.until : null);

/**
 * For every distinct top container of the finding aid (by containerKey, in order of first
 * appearance): whether its notes restrict it on `today`, until when, and with which note.
 */
export function containerRestrictions(findingAid: RestrictionSource, today: IsoDate): ContainerRestriction[] {
  const keyOf = containerKeys();
  const containers = new Map<string, ContainerRef>();
  for (const component of findingAid.components) {
    for (const { container } of component.housings) {
      const key = keyOf(container);
      if (!containers.has(key)) containers.set(key, container);
    }
  }
  /** Per container, its restricting notes by text, in the order they came. */
  const notes = new Map<string, Map<string, IsoDate | null>>();
  const restrict = (key: string, note: Restricting) => {
    const known = notes.get(key) ?? new Map<string, IsoDate | null>();
    if (!known.has(note.text)) known.set(note.text, note.until);
    notes.set(key, known);
  };

  for (const text of findingAid.collectionAccessNotes) {
    for (const sentence of sentencesOf(text)) {
      const reading = readAccessNote(sentence);
      if (!restricts(reading, today)) continue;
      for (const key of namedContainers(sentence, containers)) restrict(key, { text, until: untilOf(reading) });
    }
  }

  // The nearest note decides; each component is housed in its own containers, else its nearest ancestor's.
  const decisions: (readonly Restricting[])[] = [];
  const housedIn: (readonly string[])[] = [];
  findingAid.components.forEach((component, i) => {
    const parent = component.parent;
    // Most components have no note of their own and no restricting note above: nothing to build.
    const decided =
      component.accessNotes.length > 0
        ? component.accessNotes.map((text) => ({ text, reading: readAccessNote(text) })).filter((n) => restricts(n.reading, today)).map((n) => ({ text: n.text, until: untilOf(n.reading) }))
        : parent === null
          ? NONE
          : (decisions[parent] ?? NONE);
    const housed = component.housings.length > 0 ? component.housings.map((h) => keyOf(h.container)) : parent === null ? NONE : (housedIn[parent] ?? NONE);
    decisions[i] = decided;
    housedIn[i] = housed;
    for (const note of decided) for (const key of housed) restrict(key, note);
  });

  return [...containers].map(([key, container]) => {
    const restricting = [...(notes.get(key) ?? new Map<string, IsoDate | null>())];
    const [first] = restricting;
    if (!first) return { key, container, restricted: false, until: null, note: null };
    const ends = restricting.map(([, until]) => until);
    const until = ends.includes(null) ? null : (ends as IsoDate[]).reduce((a, b) => (b > a ? b : a));
    const more = restricting.length - 1;
    const note = more > 0 ? `${first[0]} (and ${more} more note${more === 1 ? '' : 's'})` : first[0];
    return { key, container, restricted: true, until, note };
  });
}

/** Sentences of a note: a container named in one is restricted only if that sentence restricts. */
export const sentencesOf = (text: string) => text.split(/(?<=[.;!?])\s+(?=\S)/).filter((s) => s.trim() !== '');

const NUMBER = String.raw`\d+(?:\s*(?:-|–|\bto\b)\s*\d+)?`;
const NUMBERS = String.raw`${NUMBER}(?:\s*(?:,\s*and|,|&|\band)\s*${NUMBER})*`;
const escaped = (word: string) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Whether a container's indicator is the number `n`: equal to it, or it and a space or bracket after (`27 [closed]`). */
const isNumbered = (indicator: string, n: number) => {
  const written = String(n);
  return indicator === written || (indicator.startsWith(written) && /^[\s[(]/.test(indicator.slice(written.length)));
};

/**
 * The containers a sentence names: `Box 23`, `Boxes 23-27`, `boxes 3, 5 and 9`; a bare type word
 * (`broadside`) names the only container of its type, when there is exactly one.
 */
export function namedContainers(sentence: string, containers: ReadonlyMap<string, ContainerRef>): Set<string> {
  const named = new Set<string>();
  const types = new Set([...containers.values()].map((c) => c.type));
  for (const type of types) {
    const ofType = [...containers].filter(([, c]) => c.type === type);
    const word = new RegExp(String.raw`\b${escaped(type)}(?:e?s)?\b(?:\s*(?:nos?\.?)?\s*(${NUMBERS}))?`, 'gi');
    for (const [, list] of sentence.matchAll(word)) {
      if (list === undefined) {
        if (ofType.length === 1 && ofType[0]) named.add(ofType[0][0]);
        continue;
      }
      for (const n of numbersIn(list)) for (const [key, c] of ofType) if (isNumbered(c.indicator, n)) named.add(key);
    }
  }
  return named;
}

/** `3, 5 and 9` → 3, 5, 9; `23-27` → 23…27 (ranges as the reader expands indicators). */
function numbersIn(list: string): number[] {
  const numbers: number[] = [];
  for (const [, from, to] of list.matchAll(/(\d+)(?:\s*(?:-|–|\bto\b)\s*(\d+))?/g)) {
    const [a, b] = [Number(from), to === undefined ? Number(from) : Number(to)];
    if (b < a || b - a >= MAX_RANGE) numbers.push(a);
    else for (let n = a; n <= b; n++) numbers.push(n);
  }
  return numbers;
}

/** One distinct component-level note as read, and how many components carry it. */
export interface RestrictionText {
  text: string;
  /** `open`, `restricted` or `until YYYY-MM-DD`. */
  reading: string;
  components: number;
}

/** Each distinct component-level note text, in order of first appearance, with its reading and how many components carry it. */
export function restrictionTexts(findingAid: { components: readonly { accessNotes: readonly string[] }[] }): RestrictionText[] {
  const texts = new Map<string, RestrictionText>();
  for (const component of findingAid.components) {
    for (const text of new Set(component.accessNotes)) {
      const known = texts.get(text);
      if (known) known.components += 1;
      else texts.set(text, { text, reading: readingLabel(readAccessNote(text)), components: 1 });
    }
  }
  return [...texts.values()];
}

/**
 * Whether a container restricted (by its finding aid or a curator) is restricted on `date`: a
 * closure with an end lifts by itself on that day.
 */
export const restrictedOn = (container: { restricted: boolean; until: IsoDate | null }, date: IsoDate): boolean =>
  container.restricted && (container.until === null || date < container.until);
