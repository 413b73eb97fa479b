import type { Database } from '../../db/client.ts';
import { clientOf, perConnection } from '../caches.ts';
import type { Writer } from '../../db/transactions.ts';
import { restrictionTexts, type RestrictionText } from '../domain/restrictions.ts';

// Reading a finding aid's tree one level at a time: the top level, or one component's children,
// each with the containers it is housed in (its own, else its nearest ancestor's).

export interface Housing {
  containerId: number;
  label: string;
  folder: string | null;
  inherited: boolean;
}

interface ComponentRow {
  id: number;
  collectionId: number;
  parentId: number | null;
  refId: string | null;
  level: string | null;
  title: string;
  dates: string | null;
  accessNote: string | null;
  childCount: number;
}

export type Component = ComponentRow & { containers: Housing[] };

const columns =
  'id, collection_id as collectionId, parent_id as parentId, ref_id as refId, level, title, dates, access_note as accessNote, child_count as childCount';

const statements = perConnection((db) => {
  const sqlite = clientOf(db);
  return {
    topLevel: sqlite.prepare(`select ${columns} from components where collection_id = ? and parent_id is null order by position`),
    children: sqlite.prepare(`select ${columns} from components where collection_id = ? and parent_id = ? order by position`),
    one: sqlite.prepare(`select ${columns} from components where id = ?`),
    byRefId: sqlite.prepare('select id from components where collection_id = ? and ref_id = ?').pluck(),
    accessNotes: sqlite.prepare('select access_note from components where collection_id = ? order by position').pluck(),
    housings: sqlite.prepare(
      `select h.component_id as componentId, h.container_id as containerId, c.label, h.folder
       from component_containers h join containers c on c.id = h.container_id
       where h.component_id in (select value from json_each(?)) order by h.component_id, h.position`,
    ),
  };
});

function ownHousings(db: Writer, ids: readonly number[]): Map<number, Housing[]> {
  const byComponent = new Map<number, Housing[]>();
  if (ids.length === 0) return byComponent;
  const rows = statements(db).housings.all(JSON.stringify(ids)) as { componentId: number; containerId: number; label: string; folder: string | null }[];
  for (const { componentId, ...h } of rows) {
    let list = byComponent.get(componentId);
    if (!list) byComponent.set(componentId, (list = []));
    list.push({ ...h, inherited: false });
  }
  return byComponent;
}

/** A component's ancestors, top first. */
function ancestorsOf(db: Writer, component: ComponentRow): ComponentRow[] {
  const chain: ComponentRow[] = [];
  const one = statements(db).one;
  // Imports refuse nesting deeper than 64, so the walk ends; the bound guards a damaged database.
  for (let parentId = component.parentId; parentId !== null && chain.length <= 64; ) {
    const parent = one.get(parentId) as ComponentRow | undefined;
    if (!parent) break;
    chain.unshift(parent);
    parentId = parent.parentId;
  }
  return chain;
}

/** The containers a component inherits when it has none of its own: its nearest ancestor's, without folders. */
function inheritedFrom(db: Writer, ancestors: readonly ComponentRow[]): Housing[] {
  const own = ownHousings(db, ancestors.map((a) => a.id));
  for (let i = ancestors.length - 1; i >= 0; i--) {
    const found = own.get(ancestors[i]!.id);
    if (found) return found.map((h) => ({ ...h, folder: null, inherited: true }));
  }
  return [];
}

function withHousings(db: Writer, rows: ComponentRow[], inherited: Housing[]): Component[] {
  const own = ownHousings(db, rows.map((r) => r.id));
  return rows.map((r) => ({ ...r, containers: own.get(r.id) ?? inherited }));
}

/** The top level of a collection's finding aid, or the children of one component, in finding-aid order; undefined for a parent not in that collection. */
export function componentsUnder(db: Writer, collectionId: number, parentId?: number): Component[] | undefined {
  if (parentId === undefined) return withHousings(db, statements(db).topLevel.all(collectionId) as ComponentRow[], []);
  const parent = statements(db).one.get(parentId) as ComponentRow | undefined;
  if (!parent || parent.collectionId !== collectionId) return undefined;
  const lineage = [...ancestorsOf(db, parent), parent];
  return withHousings(db, statements(db).children.all(collectionId, parentId) as ComponentRow[], inheritedFrom(db, lineage));
}

/** One component with its containers and its ancestors (`[{id, title, level}]`, top first). */
export function findComponent(db: Writer, id: number) {
  const row = statements(db).one.get(id) as ComponentRow | undefined;
  if (!row) return undefined;
  const ancestors = ancestorsOf(db, row);
  const [component] = withHousings(db, [row], inheritedFrom(db, ancestors));
  return { ...component!, ancestors: ancestors.map(({ id: ancestorId, title, level }) => ({ id: ancestorId, title, level })) };
}

/** The component of a collection with this EAD `id` attribute (a finding-aid site's deep link names it), or undefined. */
export function componentIdByRefId(db: Database, collectionId: number, refId: string): number | undefined {
  return statements(db).byRefId.get(collectionId, refId) as number | undefined;
}

/**
 * The finding aid's distinct component-level access notes as the import reads them (the domain's
 * `restrictionTexts`), from what the database keeps: each component's notes joined into one
 * `access_note`, so a component with two notes counts as one text of both.
 */
export function restrictionTextsOf(db: Database, collectionId: number): RestrictionText[] {
  const notes = statements(db).accessNotes.all(collectionId) as (string | null)[];
  return restrictionTexts({ components: notes.map((note) => ({ accessNotes: note === null ? [] : [note] })) });
}
