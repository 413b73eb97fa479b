import { count } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { commit } from '../transactions.ts';
import { collections, containers, series } from '../tables.ts';
import { writeCollectionEntry } from '../../src/finding-aids/search-entries.ts';

// GEN MSS 238 as its finding aid (shared/seeds/victor-serge-papers-finding-aid.txt) describes it.
// The scope note says "27 boxes"; the extent says 28 boxes and a broadside, and the extent is
// what the stacks hold, so 28 boxes and the broadside are seeded.

export const RESTRICTION_NOTE =
  'Restricted fragile material. Reference surrogates have been substituted in the main files. ' +
  'For further information consult the appropriate curator.';

export const victorSergePapers = {
  callNumber: 'GEN MSS 238',
  title: 'Victor Serge papers',
  dates: '1912-1994',
  bulkDates: '1936-1947',
  extent: '16 linear feet (28 boxes) + 1 broadside',
  repository: 'Beinecke Rare Book and Manuscript Library',
  // "Conditions Governing Access", without the catalogue's MARC subfield mark ("‡a").
  accessNote: `Boxes 23-27 and broadside, Bsd: ${RESTRICTION_NOTE}`,
  // The first sentences of the finding aid's "Scope and Contents".
  abstract:
    'The Victor Serge Papers document the life and work of the Franco-Russian writer and revolutionary, Victor Serge (1890-1947). ' +
    'The Papers consist of correspondence; manuscripts and notes for articles, books, and poems; subject files; immigration and ' +
    'identification documents; and memorabilia.',
} as const;

/** What stands in for the restricted originals in the main files (the access note's second sentence). */
export const REFERENCE_COPY = { surrogateKind: 'reference_copy', surrogateNote: 'Reference surrogates have been substituted in the main files.' } as const;

export const victorSergeSeries = [
  'Correspondence',
  'Writings',
  'Subject Files',
  'Personal Papers and Memorabilia',
  'Envelopes',
  'Materials Collected by Vlady Kibalchich',
] as const;

interface SeedContainer {
  type: 'box' | 'broadside';
  indicator: string;
  label: string;
  location: string;
  restricted: boolean;
}

const RESTRICTED_BOXES = new Set([23, 24, 25, 26, 27]);

// Illustrative stack locations (the finding aid gives none): the open boxes two to a shelf on
// ranges 9 and 10, the restricted fragile material in its own cabinet.
function boxLocation(box: number): string {
  if (RESTRICTED_BOXES.has(box)) return `Restricted Fragile Papers, Cabinet 2, Drawer ${box - 22}`;
  const range = box <= 12 ? 9 : 10;
  const shelf = Math.ceil((box <= 12 ? box : box - 12) / 2);
  return `Stack 4, Range ${range}, Shelf ${shelf}`;
}

export function victorSergeContainers(): SeedContainer[] {
  const boxes = Array.from({ length: 28 }, (_, i): SeedContainer => {
    const box = i + 1;
    return {
      type: 'box',
      indicator: String(box),
      label: `Box ${box}`,
      location: boxLocation(box),
      restricted: RESTRICTED_BOXES.has(box),
    };
  });
  const broadside: SeedContainer = {
    type: 'broadside',
    indicator: '1',
    label: 'Broadside',
    location: 'Restricted Fragile Papers, Cabinet 2, Drawer 6',
    restricted: true,
  };
  return [...boxes, broadside];
}

/** Adds GEN MSS 238 with its series and containers to a database without collections. */
export async function seedVictorSergePapers(db: Database): Promise<void> {
  await commit(db, async (tx) => {
      // Asked inside the write transaction: two processes starting at once on a new database
      // would otherwise both find it empty, and the second would fail on the call number.
      const [{ collectionCount } = { collectionCount: 0 }] = await tx.select({ collectionCount: count() }).from(collections);
      if (collectionCount > 0) return;
      const [collection] = (await tx.insert(collections).values(victorSergePapers).returning({ id: collections.id })) as [{ id: number }];
      await tx
        .insert(series)
        .values(victorSergeSeries.map((title, i) => ({ collectionId: collection.id, position: i + 1, title })));
      await tx
        .insert(containers)
        .values(
          victorSergeContainers().map((c, i) => ({
            ...c,
            collectionId: collection.id,
            position: i + 1,
            restrictionNote: c.restricted ? RESTRICTION_NOTE : null,
            ...(c.restricted ? REFERENCE_COPY : {}),
          })),
        );
      await writeCollectionEntry(tx, collection.id, victorSergePapers.title, victorSergePapers.abstract);
  });
}
