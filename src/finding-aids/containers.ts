import { MAX_RANGE } from '../domain/container-identity.ts';
import type { ComponentHousing, ContainerRef } from './finding-aid.ts';

// Which boxes a component lives in (docs/finding-aids.md, "Top container"): EAD writes a box and
// the folders inside it as sibling `container` elements, linked by `id`/`parent` (ArchivesSpace)
// or paired by position (older tools).

/** One `container` element of a component's `did`, as written. */
export interface ContainerElement {
  /** `type` (EAD3 `localtype`), as written, or null. */
  type: string | null;
  id: string | null;
  parent: string | null;
  /** The `label` attribute: where ArchivesSpace writes a barcode (`Mixed Materials [39002091212345]`). */
  label: string | null;
  /** EAD3's `containerid` attribute. */
  containerId: string | null;
  /** Its text, whitespace collapsed. */
  value: string;
}

/** The type word as the reading room stores it. */
export const typeOf = (element: ContainerElement) => element.type?.trim().toLowerCase() || 'box';

const capitalised = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

/** `Box 23`, `Map-case B`, `Folder 1-4`. */
export const labelOf = (type: string, indicator: string) => `${capitalised(type)} ${indicator}`;

/** The barcode: EAD3's containerid; else `[…]` in the label; else 6+ digits in `(…)`; else a label of 8+ digits. */
export function barcodeOf(element: ContainerElement): string | null {
  const containerId = element.containerId?.trim();
  if (containerId) return containerId;
  const label = element.label?.trim() ?? '';
  const bracketed = /\[([^\]]+)\]/.exec(label)?.[1]?.trim();
  if (bracketed) return bracketed;
  const parenthesised = /\((\d{6,})\)/.exec(label)?.[1];
  if (parenthesised) return parenthesised;
  return /^\d{8,}$/.test(label) ? label : null;
}


const WHOLE_RANGE = /^(\d+)\s*(?:-|–|\bto\b)\s*(\d+)$/;
/** What looks like a range but is not an ascending one of whole numbers: kept as written, with a warning. */
const ANY_RANGE = /\d\s*(?:-|–|\bto\b)|(?:-|–|\bto\b)\s*\d/;

/**
 * The indicators an indicator stands for: each number of an ascending range of whole numbers
 * (leading zeros dropped), or itself. `doubt` is called for a range kept as written.
 */
export function expandIndicator(indicator: string, doubt: (why: string) => void): string[] {
  const range = WHOLE_RANGE.exec(indicator);
  if (range) {
    const [from, to] = [Number(range[1]), Number(range[2])];
    if (from <= to && to - from < MAX_RANGE) return Array.from({ length: to - from + 1 }, (_, i) => String(from + i));
    doubt(from > to ? 'a descending range' : `a range of more than ${MAX_RANGE} containers`);
    return [indicator];
  }
  if (ANY_RANGE.test(indicator)) doubt('not a range of whole numbers');
  return [indicator];
}

interface TopContainer {
  element: ContainerElement;
  children: ContainerElement[];
}

/** Which elements are top containers, each with its child containers, in document order. */
function topContainers(elements: ContainerElement[]): TopContainer[] {
  const first = elements[0];
  if (!first) return [];
  // One container is its own top, whatever its links say.
  if (elements.length === 1) return [{ element: first, children: [] }];
  const linked = elements.some((e) => e.id !== null || e.parent !== null);
  const tops = linked ? elements.filter((e) => e.parent === null) : [];
  // Unlinked, or linked only to containers this component does not have: position-paired.
  if (tops.length === 0) return [{ element: first, children: elements.slice(1) }];
  const byId = new Map(elements.filter((e) => e.id !== null).map((e) => [e.id, e]));
  const housed = tops.map((element): TopContainer => ({ element, children: [] }));
  for (const element of elements) {
    if (element.parent === null) continue;
    const top = topOf(element, byId);
    // A child whose parent is not among the component's containers goes with the first box.
    (housed.find((h) => h.element === top) ?? housed[0])?.children.push(element);
  }
  return housed;
}

/** The top container a linked element is in, following its parents; undefined for a cycle or a parent not there. */
function topOf(element: ContainerElement, byId: ReadonlyMap<string | null, ContainerElement>): ContainerElement | undefined {
  const seen = new Set<ContainerElement>();
  let at: ContainerElement | undefined = element;
  while (at?.parent != null && !seen.has(at)) {
    seen.add(at);
    at = byId.get(at.parent);
  }
  return at && at.parent === null ? at : undefined;
}

/** How many differently written top containers of one indicator a document's reading keeps. */
const VARIANTS = 8;

/** What a top container element stands for, the same for every component that names it. */
interface TopReading {
  /** Its containers, ranges expanded: one object per container, shared by the components in it. */
  containers: ContainerRef[];
  /** EAD3's `box-folder` 16/8 names folder 8 too. */
  folder: string | null;
  /** Indicators kept as written: the label and why, told again for each component. */
  doubts: [label: string, why: string][];
}

/**
 * One document's housings, component by component. A box is named again by each of its folders'
 * components: what its element stands for (type, barcode, range, labels) is worked out once per
 * document, and the finding aid keeps one ContainerRef for it instead of one per component.
 */
export class HousingReader {
  private readonly tops = new Map<string, (TopReading & Pick<ContainerElement, 'type' | 'label' | 'containerId'>)[]>();

  /**
   * A component's own top containers with their folders, ranges expanded. Empty elements are
   * ignored; `doubt` is told of each indicator kept as written.
   */
  housingsOf(elements: ContainerElement[], doubt: (label: string, why: string) => void): ComponentHousing[] {
    const tops = topContainers(elements.filter((e) => e.value !== ''));
    // Most components are in one box: its housings are the array to keep, no bigger than it needs.
    if (tops.length === 1 && tops[0]) return this.housingsIn(tops[0], doubt);
    return tops.flatMap((top) => this.housingsIn(top, doubt));
  }

  /** One top container's housings: one for each indicator it stands for. */
  private housingsIn({ element, children }: TopContainer, doubt: (label: string, why: string) => void): ComponentHousing[] {
    const top = this.read(element);
    for (const [label, why] of top.doubts) doubt(label, why);
    const folder = folderOf(top.folder, children);
    const [only] = top.containers;
    // One container (most): the array to keep, made directly.
    if (top.containers.length === 1 && only) return [{ container: only, folder }];
    return top.containers.map((container): ComponentHousing => ({ container, folder }));
  }

  private read(element: ContainerElement): TopReading {
    // By indicator (the reader keeps one copy of each), then the attributes as written.
    let same = this.tops.get(element.value);
    if (same === undefined) this.tops.set(element.value, (same = []));
    for (const top of same) {
      if (top.type === element.type && top.label === element.label && top.containerId === element.containerId) return top;
    }
    const top = { ...readTop(element), type: element.type, label: element.label, containerId: element.containerId };
    // A few boxes share a number (one per accession, each with its barcode); a document with
    // thousands is read without keeping them, not searched through at every component.
    if (same.length < VARIANTS) same.push(top);
    return top;
  }
}

/** The labels of a top container's children joined by ", ", after its own folder, if any; or null. */
function folderOf(own: string | null, children: ContainerElement[]): string | null {
  if (children.length === 0) return own;
  const folders = children.map((child) => labelOf(typeOf(child), child.value));
  if (own !== null) folders.unshift(own);
  return folders.join(', ');
}

function readTop(element: ContainerElement): TopReading {
  let type = typeOf(element);
  let indicator = element.value;
  let folder: string | null = null;
  // EAD3's compound `box-folder` 16/8: box 16, folder 8.
  const boxFolder = type === 'box-folder' ? /^(.+?)\s*\/\s*(.+)$/.exec(indicator) : null;
  if (boxFolder?.[1] && boxFolder[2]) {
    type = 'box';
    indicator = boxFolder[1];
    folder = labelOf('folder', boxFolder[2]);
  }
  const barcode = barcodeOf(element);
  const doubts: TopReading['doubts'] = [];
  const containers = expandIndicator(indicator, (why) => doubts.push([labelOf(type, indicator), why])).map(
    (one): ContainerRef => ({ type, indicator: one, barcode, label: labelOf(type, one) }),
  );
  return { containers, folder, doubts };
}
