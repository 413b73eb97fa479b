/**
 * The order paging staff walk the stacks in: by location, then call number, then container
 * indicator, each compared in natural order ("Range 9" before "Range 10", Box 2 before Box 10).
 * A container whose location nobody has recorded yet (a new import's) comes last.
 */
const natural = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

export interface Shelved {
  location: string | null;
  callNumber: string;
  containerIndicator: string;
}

export function walkingOrder(a: Shelved, b: Shelved): number {
  if (a.location === null || b.location === null) {
    if (a.location !== b.location) return a.location === null ? 1 : -1;
  } else {
    const byLocation = natural.compare(a.location, b.location);
    if (byLocation !== 0) return byLocation;
  }
  return natural.compare(a.callNumber, b.callNumber) || natural.compare(a.containerIndicator, b.containerIndicator);
}
