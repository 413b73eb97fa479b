import { and, asc, eq, gt, inArray, sql, type SQL } from 'drizzle-orm';
import { perConnection, prepared, whileUnchanged } from '../caches.ts';
import type { Database } from '../../db/client.ts';
import { collections, containers, requestEvents, requests, type RequestStatus } from '../../db/schema.ts';
import type { IsoDate } from '../domain/calendar.ts';
import type { Writer } from '../../db/transactions.ts';

/** What a request shows of its container and collection. */
const containerColumns = {
  collectionId: containers.collectionId,
  callNumber: collections.callNumber,
  collectionTitle: collections.title,
  containerLabel: containers.label,
  containerIndicator: containers.indicator,
  location: containers.location,
  restricted: containers.restricted,
  restrictionNote: containers.restrictionNote,
};

/** A request's own columns; the rest of a RequestRow is its container's, which never changes. */
const ownColumns = {
  id: requests.id,
  researcherId: requests.researcherId,
  containerId: requests.containerId,
  visitDate: requests.visitDate,
  status: requests.status,
  note: requests.note,
  decisionNote: requests.decisionNote,
  waitlistedAt: requests.waitlistedAt,
  createdAt: requests.createdAt,
  updatedAt: requests.updatedAt,
};

/** A request with its container and collection, as the API and the mails show it. */
const requestColumns = { ...ownColumns, ...containerColumns };

function requestQuery(db: Writer) {
  return db
    .select(requestColumns)
    .from(requests)
    .innerJoin(containers, eq(containers.id, requests.containerId))
    .innerJoin(collections, eq(collections.id, containers.collectionId));
}

export type RequestRow = ReturnType<ReturnType<typeof requestQuery>['all']>[number];

export function selectRequests(db: Writer, where: SQL | undefined, limit?: number): RequestRow[] {
  const query = requestQuery(db).where(where).orderBy(asc(requests.id));
  return limit === undefined ? query.all() : query.limit(limit).all();
}

export function findRequest(db: Writer, id: number): RequestRow | undefined {
  return prepared(db, 'findRequest', () => requestQuery(db).where(eq(requests.id, sql.placeholder('id'))).prepare()).get({ id });
}

/** The request as docs/api.md defines it. */
export function requestView(row: RequestRow) {
  return {
    id: row.id,
    researcherId: row.researcherId,
    containerId: row.containerId,
    collectionId: row.collectionId,
    callNumber: row.callNumber,
    containerLabel: row.containerLabel,
    visitDate: row.visitDate,
    status: row.status,
    restricted: row.restricted,
    restrictionNote: row.restrictionNote,
    note: row.note,
    decisionNote: row.decisionNote,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export interface RequestFilter {
  researcherId?: number | undefined;
  visitDate?: IsoDate | undefined;
  status?: RequestStatus | undefined;
  collectionId?: number | undefined;
  afterId?: number | undefined;
}


/** A request without its container: what the requests table itself holds. */
export type OwnRow = Pick<RequestRow, keyof typeof ownColumns>;

type ContainerDetails = Pick<RequestRow, keyof typeof containerColumns>;

/**
 * Each connection's copy of the containers' details a request shows (its label, location,
 * collection), read once per container: nothing edits a container or a collection once it is in
 * the database (see findContainers). Bounded: emptied when it would pass MAX_CACHED containers.
 */
const detailCaches = perConnection(() => new Map<number, ContainerDetails>());
const MAX_CACHED = 50_000;

export function containerDetails(db: Writer, ids: readonly number[]): ReadonlyMap<number, ContainerDetails> {
  const cache = detailCaches(db);
  let missing = ids.filter((id) => !cache.has(id));
  if (missing.length > 0) {
    if (cache.size + missing.length > MAX_CACHED) {
      cache.clear();
      missing = [...ids];
    }
    const found = prepared(db, 'containerDetails', () =>
      db
        .select({ id: containers.id, ...containerColumns })
        .from(containers)
        .innerJoin(collections, eq(collections.id, containers.collectionId))
        .where(sql`${containers.id} in (select value from json_each(${sql.placeholder('ids')}))`)
        .prepare(),
    ).all({ ids: JSON.stringify([...new Set(missing)]) });
    for (const { id, ...details } of found) cache.set(id, details);
  }
  return cache;
}

/** Requests' own rows completed with their containers' details, as requestQuery would read them. */
function withContainers(db: Writer, rows: OwnRow[]): RequestRow[] {
  const details = containerDetails(db, rows.map((r) => r.containerId));
  return rows.map((r) => {
    const c = details.get(r.containerId) as ContainerDetails;
    return {
      id: r.id,
      researcherId: r.researcherId,
      containerId: r.containerId,
      collectionId: c.collectionId,
      callNumber: c.callNumber,
      collectionTitle: c.collectionTitle,
      containerLabel: c.containerLabel,
      containerIndicator: c.containerIndicator,
      location: c.location,
      visitDate: r.visitDate,
      status: r.status,
      restricted: c.restricted,
      restrictionNote: c.restrictionNote,
      note: r.note,
      decisionNote: r.decisionNote,
      waitlistedAt: r.waitlistedAt,
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
    };
  });
}

/** A request just written, as findRequest would read it back (without reading it back). */
export function writtenRequest(db: Writer, row: OwnRow): RequestRow {
  return withContainers(db, [row])[0] as RequestRow;
}

/**
 * Requests, oldest first. Only the requests table is read; each container's details come from
 * the connection's cache (reading 18 columns over a three-table join cost several times more).
 * A list asked for again while the database has not changed is not read again (src/caches.ts).
 */
export function listRequests(db: Database, filter: RequestFilter, limit: number): RequestRow[] {
  const has = (k: keyof RequestFilter) => filter[k] !== undefined;
  const key = `listRequests:${(['researcherId', 'visitDate', 'status', 'collectionId', 'afterId'] as const).filter(has).join(',')}`;
  const query = prepared(db, key, () =>
    db
      .select(ownColumns)
      .from(requests)
      .where(
        and(
          has('researcherId') ? eq(requests.researcherId, sql.placeholder('researcherId')) : undefined,
          has('visitDate') ? eq(requests.visitDate, sql.placeholder('visitDate')) : undefined,
          has('status') ? eq(requests.status, sql.placeholder('status')) : undefined,
          has('collectionId')
            ? sql`${requests.containerId} in (select ${containers.id} from ${containers} where ${containers.collectionId} = ${sql.placeholder('collectionId')})`
            : undefined,
          has('afterId') ? gt(requests.id, sql.placeholder('afterId')) : undefined,
        ),
      )
      .orderBy(asc(requests.id))
      .limit(sql.placeholder('limit'))
      .prepare(),
  );
  const params = { ...filter, limit };
  const rows = whileUnchanged(db, `${key}:${JSON.stringify(params)}`, () => Object.freeze(withContainers(db, query.all(params)).map((r) => Object.freeze(r))));
  return rows.slice();
}

export function requestsOn(db: Writer, visitDate: IsoDate, statuses: readonly RequestStatus[]): RequestRow[] {
  return selectRequests(db, and(eq(requests.visitDate, visitDate), inArray(requests.status, [...statuses])));
}

export function eventsOf(db: Writer, requestId: number) {
  return db.select().from(requestEvents).where(eq(requestEvents.requestId, requestId)).orderBy(asc(requestEvents.id)).all();
}

/** Whether a request was ever paged: the door asks it of a no-show (did the box leave its shelf?). */
export const everPaged = (db: Writer, requestId: number) => eventsOf(db, requestId).some((e) => e.toStatus === 'paged');
