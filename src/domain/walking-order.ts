/**
 * The order paging staff walk the stacks in: by location, then call number, then container
 * indicator, each compared in natural order ("Range 9" before "Range 10", Box 2 before Box 10).
 */
const natural = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

export interface Shelved {
  location: string;
  callNumber: string;
  containerIndicator: string;
}

export function walkingOrder(a: Shelved, b: Shelved): number {
  return natural.compare(a.location, b.location) || natural.compare(a.callNumber, b.callNumber) || natural.compare(a.containerIndicator, b.containerIndicator);
}
