import type { Database } from '../../db/client.ts';
import { INTEGERS_OF_JSON, statement } from '../../db/statements.ts';
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
  'id, collection_id as "collectionId", parent_id as "parentId", ref_id as "refId", level, title, dates, access_note as "accessNote", child_count as "childCount"';

const texts = {
  topLevel: `select ${columns} from components where collection_id = ? and parent_id is null order by position`,
  children: `select ${columns} from components where collection_id = ? and parent_id = ? order by position`,
  one: `select ${columns} from components where id = ?`,
  byRefId: 'select id from components where collection_id = ? and ref_id = ?',
  accessNotes: 'select access_note as "accessNote" from components where collection_id = ? order by position',
  housings: `select h.component_id as "componentId", h.container_id as "containerId", c.label, h.folder
       from component_containers h join containers c on c.id = h.container_id
       where h.component_id in ${INTEGERS_OF_JSON} order by h.component_id, h.position`,
};

async function ownHousings(db: Writer, ids: readonly number[]): Promise<Map<number, Housing[]>> {
  const byComponent = new Map<number, Housing[]>();
  if (ids.length === 0) return byComponent;
  const rows = await statement<{ componentId: number; containerId: number; label: string; folder: string | null }>(db, texts.housings).rows(JSON.stringify(ids));
  for (const { componentId, ...h } of rows) {
    let list = byComponent.get(componentId);
    if (!list) byComponent.set(componentId, (list = []));
    list.push({ ...h, inherited: false });
  }
  return byComponent;
}

/** A component's ancestors, top first. */
async function ancestorsOf(db: Writer, component: ComponentRow): Promise<ComponentRow[]> {
  const chain: ComponentRow[] = [];
  const one = statement<ComponentRow>(db, texts.one);
  // Imports refuse nesting deeper than 64, so the walk ends; the bound guards a damaged database.
  for (let parentId = component.parentId; parentId !== null && chain.length <= 64; ) {
    const parent = await one.first(parentId);
    if (!parent) break;
    chain.unshift(parent);
    parentId = parent.parentId;
  }
  return chain;
}

/** The containers a component inherits when it has none of its own: its nearest ancestor's, without folders. */
async function inheritedFrom(db: Writer, ancestors: readonly ComponentRow[]): Promise<Housing[]> {
  const own = await ownHousings(db, ancestors.map((a) => a.id));
  for (let i = ancestors.length - 1; i >= 0; i--) {
    const found = own.get(ancestors[i]!.id);
    if (found) return found.map((h) => ({ ...h, folder: null, inherited: true }));
  }
  return [];
}

async function withHousings(db: Writer, rows: ComponentRow[], inherited: Housing[]): Promise<Component[]> {
  const own = await ownHousings(db, rows.map((r) => r.id));
  return rows.map((r) => ({ ...r, containers: own.get(r.id) ?? inherited }));
}

/** The top level of a collection's finding aid, or the children of one component, in finding-aid order; undefined for a parent not in that collection. */
export async function componentsUnder(db: Writer, collectionId: number, parentId?: number): Promise<Component[] | undefined> {
  if (parentId === undefined) return withHousings(db, await statement<ComponentRow>(db, texts.topLevel).rows(collectionId), []);
  const parent = await statement<ComponentRow>(db, texts.one).first(parentId);
  if (!parent || parent.collectionId !== collectionId) return undefined;
  const lineage = [...(await ancestorsOf(db, parent)), parent];
  const children = await statement<ComponentRow>(db, texts.children).rows(collectionId, parentId);
  return withHousings(db, children, await inheritedFrom(db, lineage));
}

/** One component with its containers and its ancestors (`[{id, title, level}]`, top first). */
export async function findComponent(db: Writer, id: number) {
  const row = await statement<ComponentRow>(db, texts.one).first(id);
  if (!row) return undefined;
  const ancestors = await ancestorsOf(db, row);
  const [component] = await withHousings(db, [row], await inheritedFrom(db, ancestors));
  return { ...component!, ancestors: ancestors.map(({ id: ancestorId, title, level }) => ({ id: ancestorId, title, level })) };
}

/** The component of a collection with this EAD `id` attribute (a finding-aid site's deep link names it), or undefined. */
export async function componentIdByRefId(db: Database, collectionId: number, refId: string): Promise<number | undefined> {
  return (await statement<{ id: number }>(db, texts.byRefId).first(collectionId, refId))?.id;
}

/**
 * The finding aid's distinct component-level access notes as the import reads them (the domain's
 * `restrictionTexts`), from what the database keeps: each component's notes joined into one
 * `access_note`, so a component with two notes counts as one text of both.
 */
export async function restrictionTextsOf(db: Database, collectionId: number): Promise<RestrictionText[]> {
  const notes = await statement<{ accessNote: string | null }>(db, texts.accessNotes).rows(collectionId);
  return restrictionTexts({ components: notes.map(({ accessNote: note }) => ({ accessNotes: note === null ? [] : [note] })) });
}
