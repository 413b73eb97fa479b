import { and, asc, eq, gt, inArray, or, sql, type SQL } from 'drizzle-orm';
import { whileCatalogueUnchanged, whileUnchanged } from '../caches.ts';
import { containing, prepared } from '../../db/statements.ts';
import type { Database } from '../../db/client.ts';
import { collections, containers, requests, series } from '../../db/tables.ts';
import { holdRunsOver, holdsThatDay } from '../requests/holders.ts';
import { restrictedOn } from '../domain/restrictions.ts';
import type { IsoDate } from '../domain/calendar.ts';
import type { Writer } from '../../db/transactions.ts';

export const containerColumns = {
  id: containers.id,
  collectionId: containers.collectionId,
  type: containers.type,
  indicator: containers.indicator,
  label: containers.label,
  eadBarcode: containers.eadBarcode,
  staffBarcode: containers.staffBarcode,
  location: containers.location,
  restricted: containers.restricted,
  restrictedUntil: containers.restrictedUntil,
  restrictionNote: containers.restrictionNote,
  restrictionByCurator: containers.restrictionByCurator,
  surrogateKind: containers.surrogateKind,
  surrogateNote: containers.surrogateNote,
  surrogateUrl: containers.surrogateUrl,
  withdrawn: containers.withdrawn,
};

export type ContainerRow = Readonly<Awaited<ReturnType<typeof containersQuery>>[number]>;

/** A container as the API and the pages show it, its restriction as of `today`. */
export function containerView(row: ContainerRow, today: IsoDate) {
  const restricted = restrictedOn({ restricted: row.restricted, until: row.restrictedUntil }, today);
  return {
    id: row.id,
    collectionId: row.collectionId,
    type: row.type,
    indicator: row.indicator,
    label: row.label,
    barcode: row.staffBarcode ?? row.eadBarcode,
    location: row.location,
    restricted,
    restrictionNote: restricted ? row.restrictionNote : null,
    restrictedUntil: restricted ? row.restrictedUntil : null,
    surrogate: row.surrogateKind ? { kind: row.surrogateKind, note: row.surrogateNote, url: row.surrogateUrl } : null,
    withdrawn: row.withdrawn,
  };
}

export type ContainerView = ReturnType<typeof containerView>;

const collectionColumns = {
  id: collections.id,
  callNumber: collections.callNumber,
  title: collections.title,
  dates: collections.dates,
  bulkDates: collections.bulkDates,
  extent: collections.extent,
  repository: collections.repository,
  accessNote: collections.accessNote,
  abstract: collections.abstract,
  componentCount: collections.componentCount,
  readingRoomId: collections.readingRoomId,
};

export interface CollectionFilter {
  id?: number | undefined;
  callNumber?: string | undefined;
  /** Part of the call number or the title, case ignored. */
  q?: string | undefined;
  /** Only those whose call number sorts after this one (the list's cursor). */
  afterCallNumber?: string | undefined;
  /** Only those read in this reading room. */
  readingRoomId?: number | undefined;
  limit?: number | undefined;
}

/** Collections by call number, with their series (a list carries no containers). */
export async function findCollections(db: Database, filter: CollectionFilter = {}) {
  const where = and(
    filter.id === undefined ? undefined : eq(collections.id, filter.id),
    filter.callNumber === undefined ? undefined : eq(collections.callNumber, filter.callNumber),
    filter.q === undefined ? undefined : or(containing(collections.callNumber, filter.q), containing(collections.title, filter.q)),
    filter.afterCallNumber === undefined ? undefined : gt(collections.callNumber, filter.afterCallNumber),
    filter.readingRoomId === undefined ? undefined : eq(collections.readingRoomId, filter.readingRoomId),
  );
  let query = db.select(collectionColumns).from(collections).where(where).orderBy(asc(collections.callNumber)).$dynamic();
  if (filter.limit !== undefined) query = query.limit(filter.limit);
  const found = await query;
  if (found.length === 0) return [];
  const allSeries = await db
    .select({ id: series.id, collectionId: series.collectionId, title: series.title })
    .from(series)
    .where(inArray(series.collectionId, found.map((c) => c.id)))
    .orderBy(asc(series.position));
  return found.map((collection) => ({
    ...collection,
    series: allSeries.filter((s) => s.collectionId === collection.id).map(({ id, title }) => ({ id, title })),
  }));
}

/** One collection with its series and containers (withdrawn ones included, marked), or undefined. */
export async function findCollection(db: Database, id: number, today: IsoDate) {
  const [collection] = await findCollections(db, { id });
  if (!collection) return undefined;
  return { ...collection, containers: (await containersOf(db, id)).map((c) => containerView(c, today)) };
}

/** One container, or undefined (read afresh: a page about to change it shows what is stored now). */
export async function findContainer(db: Database, id: number): Promise<ContainerRow | undefined> {
  const [row] = await db.select(containerColumns).from(containers).where(eq(containers.id, id));
  return row;
}

export async function collectionExists(db: Database, id: number): Promise<boolean> {
  return (await prepared(db, 'collectionExists', () => db.select({ id: collections.id }).from(collections).where(eq(collections.id, sql.placeholder('id')))).first({ id })) !== undefined;
}

const containersQuery = (db: Writer) => db.select(containerColumns).from(containers).where(eq(containers.collectionId, sql.placeholder('collectionId'))).orderBy(asc(containers.position));

/**
 * Each connection's copy of the collections' containers, read again when the catalogue changes
 * (an import, a curator's or staff's edit: src/caches.ts whileCatalogueUnchanged).
 */
const cachedContainers = whileCatalogueUnchanged(() => new Map<number, readonly ContainerRow[]>());

export async function containersOf(db: Writer, collectionId: number): Promise<readonly ContainerRow[]> {
  const cache = await cachedContainers(db);
  let found = cache.get(collectionId);
  if (found === undefined) {
    found = Object.freeze((await prepared(db, 'containersOf', () => containersQuery(db)).rows({ collectionId })).map((c) => Object.freeze(c)));
    cache.set(collectionId, found);
  }
  return found;
}

/**
 * A collection's containers as of `today`; with a visit date, each says whether it is `available`,
 * that is held by no request that day (src/requests/holders.ts: a scheduled, paged or delivered
 * request of that day, or a hold running over it). Only that is read
 * from the database, and only when it has changed since (src/caches.ts).
 */
export async function findContainers(db: Database, collectionId: number, today: IsoDate, visitDate?: IsoDate) {
  const found = (await containersOf(db, collectionId)).map((c) => containerView(c, today));
  if (visitDate === undefined) return found;
  const held = await heldOn(db, collectionId, visitDate);
  return found.map((c) => ({ ...c, available: !held.has(c.id) }));
}

/** The containers of a collection that a request holds on a date, kept while the database is unchanged. */
export function heldOn(db: Database, collectionId: number, visitDate: IsoDate): Promise<ReadonlySet<number>> {
  return whileUnchanged(db, `heldOn:${collectionId}:${visitDate}`, async () => {
    const rows = await prepared(db, 'heldOn', () => {
      // The day's holders and the holds running over it, each through its own index (src/requests/holders.ts).
      const day = sql`${sql.placeholder('visitDate')}`;
      const held = (holds: SQL) =>
        db
          .select({ containerId: requests.containerId })
          .from(requests)
          .innerJoin(containers, eq(containers.id, requests.containerId))
          .where(and(eq(containers.collectionId, sql.placeholder('collectionId')), holds));
      return held(holdsThatDay(day)).unionAll(held(holdRunsOver(day)));
    }).rows({ collectionId, visitDate });
    return new Set(rows.map((r) => r.containerId));
  });
}
