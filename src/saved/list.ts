import { and, asc, count, eq, inArray } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { collections, savedItems } from '../../db/tables.ts';
import { takeTurnsOn } from '../../db/statements.ts';
import { commit, commitTogether, type Writer } from '../../db/transactions.ts';
import type { UserRow } from '../accounts/users.ts';
import { withdrawnRefusal } from '../domain/booking-rules.ts';
import type { Clock, IsoDate } from '../domain/calendar.ts';
import { notFound, Refusal } from '../domain/refusal.ts';
import { containersFor, type WantedComponent } from '../domain/wanted-containers.ts';
import { findComponent } from '../finding-aids/tree.ts';
import { wantedComponents } from '../finding-aids/wanted.ts';
import type { RequestsContext } from '../requests/moves.ts';
import { containerDetails, type RequestRow } from '../requests/store.ts';
import { submissionWork } from '../requests/submit.ts';

// A researcher's saved list: boxes, folders and series from any collection, kept without a date
// (across sign-outs) until they are requested or removed. Submitting the list is a submission like
// any other (src/requests/submit.ts), in the same transaction as the removal of what it requested.

/** The most a list holds: it is answered whole, never a page at a time. */
export const SAVED_LIST_MAX = 200;

/** What can be saved: a box, or a folder or series of a finding aid. */
export type Saveable = { containerId: number; componentId?: undefined } | { componentId: number; containerId?: undefined };

/** A saved item as the list shows it. */
export interface SavedItem {
  id: number;
  containerId: number | null;
  componentId: number | null;
  collectionId: number;
  callNumber: string;
  collectionTitle: string;
  /** The room the collection is read in: a submission makes an appointment in each room of its items. */
  readingRoomId: number;
  /** A box's label ("Box 3"); a component's title and where it is ("Letters (Box 3, Folder 2)"). */
  label: string;
  /** The containers a request for it would ask for, in the order a request takes them. */
  containerIds: number[];
  /** A component an import has removed from its finding aid: it can only be removed from the list. */
  gone: boolean;
  createdAt: Date;
}

/** A component's label when its boxes are this many or fewer: each is named; beyond, they are counted. */
const BOXES_NAMED = 3;

const savedRows = (db: Writer, researcherId: number) =>
  db
    .select({
      id: savedItems.id,
      containerId: savedItems.containerId,
      componentId: savedItems.componentId,
      collectionId: savedItems.collectionId,
      callNumber: collections.callNumber,
      collectionTitle: collections.title,
      readingRoomId: collections.readingRoomId,
      createdAt: savedItems.createdAt,
    })
    .from(savedItems)
    .innerJoin(collections, eq(collections.id, savedItems.collectionId))
    .where(eq(savedItems.researcherId, researcherId))
    .orderBy(asc(savedItems.id));

/**
 * The containers a component stands for, as a request would take them, with its folder in each;
 * none for a component housed nowhere in its tree (a request for it is refused NOT_REQUESTABLE).
 */
function housingsOf(component: WantedComponent): { containerId: number; folder: string | null }[] {
  try {
    return containersFor(component);
  } catch (error) {
    if (error instanceof Refusal && error.code === 'NOT_REQUESTABLE') return [];
    throw error;
  }
}

/** A researcher's saved items, the first saved first. */
export async function savedList(db: Writer, researcherId: number): Promise<SavedItem[]> {
  const rows = await savedRows(db, researcherId);
  const components = await wantedComponents(db, rows.flatMap((r) => r.componentId ?? []));
  const housings = new Map([...components].map(([id, component]) => [id, housingsOf(component)]));
  const details = await containerDetails(db, [...rows.flatMap((r) => r.containerId ?? []), ...[...housings.values()].flat().map((h) => h.containerId)]);
  // Containers are never deleted (an import withdraws them), so each saved or housing one is there.
  const labelOf = (containerId: number) => details.get(containerId)!.containerLabel;
  return rows.map((row) => {
    const common = { ...row, gone: false };
    if (row.containerId !== null) return { ...common, label: labelOf(row.containerId), containerIds: [row.containerId] };
    const component = components.get(row.componentId as number);
    if (!component) return { ...common, label: `Component ${row.componentId}, no longer in the finding aid`, containerIds: [], gone: true };
    const inBoxes = housings.get(component.id)!;
    const where =
      inBoxes.length > BOXES_NAMED
        ? `${inBoxes.length} boxes`
        : inBoxes.map((h) => (h.folder ? `${labelOf(h.containerId)}, ${h.folder}` : labelOf(h.containerId))).join('; ');
    return { ...common, label: where ? `${component.title} (${where})` : component.title, containerIds: inBoxes.map((h) => h.containerId) };
  });
}

/** The collection of something to save, or the refusal: unknown (404), or a box withdrawn from its finding aid (422). */
async function collectionOf(tx: Writer, thing: Saveable): Promise<number> {
  if (thing.containerId !== undefined) {
    const box = (await containerDetails(tx, [thing.containerId])).get(thing.containerId);
    if (!box) throw notFound(`There is no container ${thing.containerId}.`);
    const withdrawn = withdrawnRefusal(box.withdrawn ? [box.containerLabel] : []);
    if (withdrawn) throw withdrawn;
    return box.collectionId;
  }
  const component = await findComponent(tx, thing.componentId);
  if (!component) throw notFound(`There is no component ${thing.componentId}.`);
  return component.collectionId;
}

/**
 * Saves boxes and components on a researcher's list, all or nothing. Something already on it stays
 * as it is (`created: false`), whatever has become of it since; something new must be there, and a
 * box not withdrawn. A list that would pass SAVED_LIST_MAX items: 422 SAVED_LIST_FULL.
 */
export function saveForLater(db: Database, researcher: UserRow, things: readonly Saveable[], clock: Clock): Promise<{ item: SavedItem; created: boolean }[]> {
  return commit(db, async (tx) => {
    const now = clock();
    const saved: { id: number; created: boolean }[] = [];
    for (const thing of things) {
      const same = thing.containerId !== undefined ? eq(savedItems.containerId, thing.containerId) : eq(savedItems.componentId, thing.componentId);
      const [there] = await tx
        .select({ id: savedItems.id })
        .from(savedItems)
        .where(and(eq(savedItems.researcherId, researcher.id), same))
        .limit(1);
      if (there) {
        saved.push({ id: there.id, created: false });
        continue;
      }
      const collectionId = await collectionOf(tx, thing);
      const [made] = await tx
        .insert(savedItems)
        .values({ researcherId: researcher.id, containerId: thing.containerId ?? null, componentId: thing.componentId ?? null, collectionId, createdAt: now })
        .returning({ id: savedItems.id });
      saved.push({ id: made!.id, created: true });
    }
    const [{ held } = { held: 0 }] = await tx.select({ held: count() }).from(savedItems).where(eq(savedItems.researcherId, researcher.id));
    if (held > SAVED_LIST_MAX) {
      throw new Refusal('SAVED_LIST_FULL', `A saved list holds at most ${SAVED_LIST_MAX} items; request or remove some of yours first.`);
    }
    const list = new Map((await savedList(tx, researcher.id)).map((item) => [item.id, item]));
    return saved.map(({ id, created }) => ({ item: list.get(id) as SavedItem, created }));
  });
}

/** Removes an item from its researcher's list; another's, or one not there, is a 404. */
export async function removeSaved(db: Database, researcher: UserRow, id: number): Promise<void> {
  await commit(db, async (tx) => {
    const removed = await tx
      .delete(savedItems)
      .where(and(eq(savedItems.id, id), eq(savedItems.researcherId, researcher.id)))
      .returning({ id: savedItems.id });
    if (removed.length === 0) throw notFound(`There is no saved item ${id} on your list.`);
  });
}

/**
 * Requests the saved items (all of them, or those of `ids`) for one visit date, all or nothing, as
 * POST /api/v1/requests would request their boxes and components: the booking rules of each room,
 * an appointment per room. What was requested leaves the list in the same transaction. Ids not on
 * the researcher's list are a 404 before any rule answers; an empty list, a 404 too.
 */
export function submitSaved(ctx: RequestsContext, researcher: UserRow, asked: { visitDate: IsoDate; ids?: readonly number[] | undefined }, clock: Clock): Promise<RequestRow[]> {
  return commitTogether(ctx.db, async (tx) => {
    // The researcher's turn before the list is read (PostgreSQL; SQLite's writer is one already):
    // the same list submitted twice at once is submitted once, and the second finds it empty.
    await takeTurnsOn(tx, 'users', [researcher.id]);
    const mine = await tx
      .select({ id: savedItems.id, containerId: savedItems.containerId, componentId: savedItems.componentId })
      .from(savedItems)
      .where(eq(savedItems.researcherId, researcher.id))
      .orderBy(asc(savedItems.id));
    const missing = (asked.ids ?? []).filter((id) => !mine.some((item) => item.id === id));
    if (missing.length > 0) throw notFound(`There is no saved item ${missing.join(', ')} on your list.`);
    const chosen = asked.ids === undefined ? mine : mine.filter((item) => asked.ids?.includes(item.id));
    if (chosen.length === 0) throw notFound('There is nothing on your saved list to request.');
    const submission = {
      visitDate: asked.visitDate,
      containerIds: chosen.flatMap((item) => item.containerId ?? []),
      componentIds: chosen.flatMap((item) => item.componentId ?? []),
    };
    const created = await submissionWork(ctx, { researcher }, submission, clock)(tx);
    await tx
      .delete(savedItems)
      .where(inArray(savedItems.id, chosen.map((item) => item.id)));
    return created;
  });
}
