import type { ContainerRef } from '../domain/container-identity.ts';

// ContainerRef, containerKey and NoteReading live in the domain (the restriction rules need them,
// and the domain imports nothing else); they are named here too for the import's sake.
export { containerKey, type ContainerRef } from '../domain/container-identity.ts';
export type { NoteReading } from '../domain/access-notes.ts';

// A finding aid as read from its EAD (src/finding-aids/ead-reader.ts), before it meets the
// database: what the import writes (src/finding-aids/import.ts) and nothing else. The mapping
// rules are docs/finding-aids.md's.

export interface ComponentHousing {
  container: ContainerRef;
  /** The labels of its child containers joined by ", " (`Folder 3`, `Folder 1-4`), or null. */
  folder: string | null;
}

export interface ComponentDraft {
  /** Its `id` attribute, or null. */
  refId: string | null;
  /** Index in `FindingAid.components` of its parent, or null at the top level. */
  parent: number | null;
  /** The `level` attribute (`otherlevel`'s value for `otherlevel`), or null. */
  level: string | null;
  title: string;
  dates: string | null;
  /** The texts of its own `accessrestrict` elements, in order. */
  accessNotes: string[];
  /** Its own top containers, in document order, ranges expanded. */
  housings: ComponentHousing[];
}

export interface CollectionDraft {
  callNumber: string;
  title: string;
  dates: string;
  bulkDates: string | null;
  extent: string;
  repository: string;
  abstract: string | null;
  /** The collection-level `accessrestrict` texts joined by a space, or null. */
  accessNote: string | null;
}

export interface FindingAid {
  /** `eadheader/eadid` (EAD3 `control/recordid`), or null. */
  eadId: string | null;
  collection: CollectionDraft;
  /** The collection-level `accessrestrict` texts one by one (they may name containers). */
  collectionAccessNotes: string[];
  /** Every component in document order (a parent before its children). */
  components: ComponentDraft[];
  /** Ranges kept as written, components with no container in their tree above or below. */
  warnings: string[];
}
