import type { Database } from '../../db/client.ts';
import { componentsUnder, findComponent, type Component } from '../finding-aids/tree.ts';

// A finding aid's tree as the collection page shows it: the top level, and below it only the
// branches someone opened or holds a choice in. A finding aid of 10,000 components is read a
// level at a time (src/finding-aids/tree.ts), never whole.

/** What the page says of a box: the researcher page's own view of a container on the visit date. */
export interface BoxOnDate {
  id: number;
  withdrawn: boolean;
}

export interface TreeNode<Box extends BoxOnDate> {
  id: number;
  title: string;
  dates: string | null;
  level: string | null;
  accessNote: string | null;
  childCount: number;
  /** Its children are shown (the node is open, or on the way to one that is open or chosen). */
  expanded: boolean;
  /** Expanded only because something chosen lies below: closing it would hide a checked box. */
  heldOpen: boolean;
  children: TreeNode<Box>[];
  housings: (Omit<Component['containers'][number], 'containerId'> & { box: Box })[];
  chosen: boolean;
  /** A checkbox is offered: it is housed somewhere (or stands for what is below) and in no withdrawn box. */
  choosable: boolean;
}

export interface Tree<Box extends BoxOnDate> {
  nodes: TreeNode<Box>[];
  /** The open components that belong to this collection: kept by the page's open and close buttons. */
  open: number[];
}

/**
 * The tree of `collectionId` with the branches of `open` expanded (each open component and its
 * ancestors) and those of the chosen components (their ancestors), so that a checked folder is
 * always on the page and posted with the form. Ids of other collections are ignored.
 */
export async function treeOf<Box extends BoxOnDate>(
  db: Database,
  collectionId: number,
  boxes: ReadonlyMap<number, Box>,
  shown: { open: readonly number[]; componentIds: readonly number[] },
): Promise<Tree<Box>> {
  const ancestorsOf = async (id: number) => {
    const found = await findComponent(db, id);
    return found?.collectionId === collectionId ? found.ancestors.map((a) => a.id) : undefined;
  };
  const expanded = new Set<number>();
  const heldOpen = new Set<number>();
  const open: number[] = [];
  for (const id of shown.open) {
    const ancestors = await ancestorsOf(id);
    if (!ancestors) continue;
    open.push(id);
    for (const a of [...ancestors, id]) expanded.add(a);
  }
  for (const id of shown.componentIds) {
    for (const a of (await ancestorsOf(id)) ?? []) {
      expanded.add(a);
      heldOpen.add(a);
    }
  }
  const chosen = new Set(shown.componentIds);

  const level = async (parentId?: number): Promise<TreeNode<Box>[]> => {
    const nodes: TreeNode<Box>[] = [];
    for (const c of (await componentsUnder(db, collectionId, parentId)) ?? []) {
      const housings = c.containers.flatMap(({ containerId, ...h }) => {
        const box = boxes.get(containerId);
        return box ? [{ ...h, box }] : [];
      });
      const isExpanded = c.childCount > 0 && expanded.has(c.id);
      nodes.push({
        id: c.id,
        title: c.title,
        dates: c.dates,
        level: c.level,
        accessNote: c.accessNote,
        childCount: c.childCount,
        expanded: isExpanded,
        heldOpen: heldOpen.has(c.id),
        children: isExpanded ? await level(c.id) : [],
        housings,
        chosen: chosen.has(c.id),
        choosable: (housings.length > 0 || c.childCount > 0) && !housings.some((h) => h.box.withdrawn),
      });
    }
    return nodes;
  };
  return { nodes: await level(), open };
}

/** The open components once `closed` is closed: it and every open component below it. */
export async function withoutBranch(db: Database, open: readonly number[], closed: number): Promise<number[]> {
  const kept: number[] = [];
  for (const id of open) if (id !== closed && !(await findComponent(db, id))?.ancestors.some((a) => a.id === closed)) kept.push(id);
  return kept;
}
