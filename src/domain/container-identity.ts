// How the reading room tells containers apart, whether a finding aid names them or a curator does.

/** A top container as a component names it: the identity within a collection is type, indicator and barcode. */
export interface ContainerRef {
  /** Lower-case word: `box`, `folder`, `map-case`, `broadside`, … */
  type: string;
  /** Whitespace collapsed; one number of an expanded range. */
  indicator: string;
  barcode: string | null;
  /** The type capitalised, a space, the indicator: `Box 23`, `Map-case B`. */
  label: string;
}

/**
 * The key that tells two top containers of one collection apart: the same box number with two
 * barcodes is two boxes (ArchivesSpace restarts numbers per accession).
 */
export const containerKey = (c: Pick<ContainerRef, 'type' | 'indicator' | 'barcode'>): string =>
  `${c.type}\u0000${c.indicator}\u0000${c.barcode ?? ''}`;

/**
 * containerKey worked out once per ContainerRef: the reader gives every component in a box that
 * box's one ContainerRef, so a finding aid's thousands of housings are a few hundred keys to build.
 */
export function containerKeys(): (container: ContainerRef) => string {
  const keys = new Map<ContainerRef, string>();
  return (container) => {
    let key = keys.get(container);
    if (key === undefined) keys.set(container, (key = containerKey(container)));
    return key;
  };
}

/** At most this many containers from one range: `1-100000` is a typing error, not a hundred thousand boxes. */
export const MAX_RANGE = 1000;

const natural = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/**
 * The order a collection's containers are listed in: by type in the order the finding aid first
 * names each type (its boxes, then its oversize folders…), then by number as people count
 * (Box 2 before Box 10), then by barcode. Not the order they first appear: a finding aid that
 * files a fragile box's originals in its first series would list Box 24 before Box 1.
 */
export function listingOrder<C extends Pick<ContainerRef, 'type' | 'indicator' | 'barcode'>>(containers: readonly C[]): C[] {
  const types = [...new Set(containers.map((c) => c.type))];
  return [...containers].sort(
    (a, b) => types.indexOf(a.type) - types.indexOf(b.type) || natural.compare(a.indicator, b.indicator) || natural.compare(a.barcode ?? '', b.barcode ?? ''),
  );
}
