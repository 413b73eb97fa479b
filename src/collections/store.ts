import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { perConnection, prepared, whileUnchanged } from '../caches.ts';
import type { Database } from '../../db/client.ts';
import { collections, containers, requests, series } from '../../db/schema.ts';
import { holdingStatuses } from '../domain/request-status.ts';
import type { IsoDate } from '../domain/calendar.ts';

const containerColumns = {
  id: containers.id,
  collectionId: containers.collectionId,
  type: containers.type,
  indicator: containers.indicator,
  label: containers.label,
  location: containers.location,
  restricted: containers.restricted,
  restrictionNote: containers.restrictionNote,
};

const collectionColumns = {
  id: collections.id,
  callNumber: collections.callNumber,
  title: collections.title,
  dates: collections.dates,
  bulkDates: collections.bulkDates,
  extent: collections.extent,
  repository: collections.repository,
  accessNote: collections.accessNote,
};

/** Collections with their series and containers in the finding aid's order. */
export function findCollections(db: Database, filter: { id?: number; callNumber?: string } = {}) {
  const where = and(
    filter.id === undefined ? undefined : eq(collections.id, filter.id),
    filter.callNumber === undefined ? undefined : eq(collections.callNumber, filter.callNumber),
  );
  const found = db.select(collectionColumns).from(collections).where(where).orderBy(asc(collections.callNumber)).all();
  if (found.length === 0) return [];
  const ids = found.map((c) => c.id);
  const allSeries = db
    .select({ id: series.id, collectionId: series.collectionId, title: series.title })
    .from(series)
    .where(inArray(series.collectionId, ids))
    .orderBy(asc(series.position))
    .all();
  const allContainers = db
    .select(containerColumns)
    .from(containers)
    .where(inArray(containers.collectionId, ids))
    .orderBy(asc(containers.position))
    .all();
  return found.map((collection) => ({
    ...collection,
    series: allSeries.filter((s) => s.collectionId === collection.id).map(({ id, title }) => ({ id, title })),
    containers: allContainers.filter((c) => c.collectionId === collection.id),
  }));
}

export function collectionExists(db: Database, id: number): boolean {
  if (cachedContainers(db).has(id)) return true;
  return prepared(db, 'collectionExists', () => db.select({ id: collections.id }).from(collections).where(eq(collections.id, sql.placeholder('id'))).prepare()).get({ id }) !== undefined;
}

type ContainerRow = Readonly<ReturnType<ReturnType<typeof containersQuery>['all']>[number]>;

const containersQuery = (db: Database) =>
  db.select(containerColumns).from(containers).where(eq(containers.collectionId, sql.placeholder('collectionId'))).orderBy(asc(containers.position)).prepare();

/**
 * Each connection's copy of the collections' containers, filled on first read. Nothing changes a
 * container once its collection is in the database: the seed writes a collection with all its
 * containers in one transaction, and no route, page, worker or CLI command edits them. A
 * collection not found (yet) is not remembered.
 */
const cachedContainers = perConnection(() => new Map<number, readonly ContainerRow[]>());

function containersOf(db: Database, collectionId: number): readonly ContainerRow[] {
  const cache = cachedContainers(db);
  let found = cache.get(collectionId);
  if (found === undefined) {
    found = Object.freeze(prepared(db, 'containersOf', () => containersQuery(db)).all({ collectionId }).map((c) => Object.freeze(c)));
    if (found.length > 0) cache.set(collectionId, found);
  }
  return found;
}

/**
 * A collection's containers; with a visit date, each says whether it is `available`, that is
 * held by no researcher's scheduled, paged or delivered request that day. Only that is read from
 * the database, and only when it has changed since (src/caches.ts); the containers themselves
 * come from the connection's cache.
 */
export function findContainers(db: Database, collectionId: number, visitDate?: IsoDate) {
  const found = containersOf(db, collectionId);
  if (visitDate === undefined) return found.slice();
  const held = whileUnchanged(db, `heldOn:${collectionId}:${visitDate}`, () => heldOn(db, collectionId, visitDate));
  return found.map((c) => ({ ...c, available: !held.has(c.id) }));
}

/** The containers of a collection that a request holds on a date. */
function heldOn(db: Database, collectionId: number, visitDate: IsoDate): ReadonlySet<number> {
  return new Set(
    prepared(db, 'heldOn', () =>
      db
        .select({ containerId: requests.containerId })
        .from(requests)
        .innerJoin(containers, eq(containers.id, requests.containerId))
        .where(
          and(
            eq(containers.collectionId, sql.placeholder('collectionId')),
            eq(requests.visitDate, sql.placeholder('visitDate')),
            inArray(requests.status, [...holdingStatuses]),
          ),
        )
        .prepare(),
    )
      .all({ collectionId, visitDate })
      .map((r) => r.containerId),
  );
}
