import { and, asc, eq, gt, gte, inArray, lte, or, sql, type SQL } from 'drizzle-orm';
import { whileCatalogueUnchanged, whileUnchanged } from '../caches.ts';
import { integersOf, prepared } from '../../db/statements.ts';
import { restrictedOn } from '../domain/restrictions.ts';
import type { ComponentInRequest } from '../domain/wanted-containers.ts';
import type { Database } from '../../db/client.ts';
import { collections, containers, requestComponents, requestEvents, requests, type RequestStatus } from '../../db/tables.ts';
import type { IsoDate } from '../domain/calendar.ts';
import type { Writer } from '../../db/transactions.ts';

/** What a request shows of its container and collection. */
const containerColumns = {
  collectionId: containers.collectionId,
  readingRoomId: collections.readingRoomId,
  callNumber: collections.callNumber,
  collectionTitle: collections.title,
  containerLabel: containers.label,
  containerIndicator: containers.indicator,
  location: containers.location,
  restricted: containers.restricted,
  restrictedUntil: containers.restrictedUntil,
  restrictionNote: containers.restrictionNote,
  withdrawn: containers.withdrawn,
  surrogateKind: containers.surrogateKind,
  surrogateNote: containers.surrogateNote,
  surrogateUrl: containers.surrogateUrl,
};

/** A request's own columns; the rest of a RequestRow is its container's, which never changes. */
const ownColumns = {
  id: requests.id,
  researcherId: requests.researcherId,
  classSessionId: requests.classSessionId,
  containerId: requests.containerId,
  visitDate: requests.visitDate,
  readingRoomId: requests.readingRoomId,
  appointmentId: requests.appointmentId,
  status: requests.status,
  holdUntil: requests.holdUntil,
  note: requests.note,
  originalReason: requests.originalReason,
  decisionNote: requests.decisionNote,
  waitlistedAt: requests.waitlistedAt,
  createdAt: requests.createdAt,
  updatedAt: requests.updatedAt,
};

function ownQuery(db: Writer) {
  return db.select(ownColumns).from(requests);
}

/** A request with its container, collection and the components it asks for, as the API and the mails show it. */
export type RequestRow = Awaited<ReturnType<typeof withContainers>>[number];

async function selectRequests(db: Writer, where: SQL | undefined): Promise<RequestRow[]> {
  return withContainers(db, await ownQuery(db).where(where).orderBy(asc(requests.id)));
}

export async function findRequest(db: Writer, id: number): Promise<RequestRow | undefined> {
  const own = await prepared(db, 'findRequest', () => ownQuery(db).where(eq(requests.id, sql.placeholder('id')))).first({ id });
  return own && (await withContainers(db, [own]))[0];
}

/** The request as docs/api.md defines it. */
export function requestView(row: RequestRow) {
  return {
    id: row.id,
    researcherId: row.researcherId,
    classSessionId: row.classSessionId,
    containerId: row.containerId,
    collectionId: row.collectionId,
    callNumber: row.callNumber,
    containerLabel: row.containerLabel,
    visitDate: row.visitDate,
    readingRoomId: row.readingRoomId,
    appointmentId: row.appointmentId,
    status: row.status,
    holdUntil: row.holdUntil,
    restricted: row.restricted,
    restrictionNote: row.restrictionNote,
    components: row.components,
    note: row.note,
    originalReason: row.originalReason,
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
export type OwnRow = Awaited<ReturnType<typeof ownQuery>>[number];

type ContainerDetails = Awaited<ReturnType<typeof detailsQuery>>[number];

const detailsQuery = (db: Writer) =>
  db
    .select({ id: containers.id, ...containerColumns })
    .from(containers)
    .innerJoin(collections, eq(collections.id, containers.collectionId))
    .where(sql`${containers.id} in ${integersOf(sql.placeholder('ids'))}`);

/**
 * Each connection's copy of the containers' details a request shows (its label, location,
 * collection), read once per container while the catalogue is unchanged (imports and container
 * edits change it: src/caches.ts). Bounded: emptied when it would pass MAX_CACHED containers.
 */
const detailCaches = whileCatalogueUnchanged(() => new Map<number, ContainerDetails>());
const MAX_CACHED = 50_000;

export async function containerDetails(db: Writer, ids: readonly number[]): Promise<ReadonlyMap<number, ContainerDetails>> {
  const cache = await detailCaches(db);
  let missing = ids.filter((id) => !cache.has(id));
  if (missing.length === 0) return cache;
  if (cache.size + missing.length > MAX_CACHED) {
    cache.clear();
    missing = [...ids];
  }
  // The answer holds what was asked apart from the cache: another caller may empty the cache
  // (past MAX_CACHED) while this one awaits its read.
  const answer = new Map<number, ContainerDetails>();
  for (const id of ids) {
    const kept = cache.get(id);
    if (kept) answer.set(id, kept);
  }
  const found = await prepared(db, 'containerDetails', () => detailsQuery(db)).rows({ ids: JSON.stringify([...new Set(missing)]) });
  for (const details of found) {
    cache.set(details.id, details);
    answer.set(details.id, details);
  }
  return answer;
}

/** Requests' own rows completed with their containers' details and the components they list. */
async function withContainers(db: Writer, rows: OwnRow[]) {
  const details = await containerDetails(db, rows.map((r) => r.containerId));
  const listed = await componentsOf(db, rows.map((r) => r.id));
  return rows.map((r) => {
    const c = details.get(r.containerId) as ContainerDetails;
    const restricted = restrictedOn({ restricted: c.restricted, until: c.restrictedUntil }, r.visitDate);
    return {
      id: r.id,
      researcherId: r.researcherId,
      classSessionId: r.classSessionId,
      containerId: r.containerId,
      collectionId: c.collectionId,
      callNumber: c.callNumber,
      collectionTitle: c.collectionTitle,
      containerLabel: c.containerLabel,
      containerIndicator: c.containerIndicator,
      location: c.location,
      visitDate: r.visitDate,
      readingRoomId: r.readingRoomId,
      appointmentId: r.appointmentId,
      status: r.status,
      holdUntil: r.holdUntil,
      // Whether a curator must approve it: the container's restriction on the visit date.
      restricted,
      restrictionNote: restricted ? c.restrictionNote : null,
      surrogate: c.surrogateKind ? { kind: c.surrogateKind, note: c.surrogateNote, url: c.surrogateUrl } : null,
      components: listed.get(r.id) ?? [],
      note: r.note,
      originalReason: r.originalReason,
      decisionNote: r.decisionNote,
      waitlistedAt: r.waitlistedAt,
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
    };
  });
}

/** A request just written, as findRequest would read it back (without reading it back). */
export async function writtenRequest(db: Writer, row: OwnRow): Promise<RequestRow> {
  return (await withContainers(db, [row]))[0] as RequestRow;
}

/**
 * Requests, oldest first. Only the requests table is read; each container's details come from
 * the connection's cache (reading 18 columns over a three-table join cost several times more).
 * A list asked for again while the database has not changed is not read again (src/caches.ts).
 */
export async function listRequests(db: Database, filter: RequestFilter, limit: number): Promise<RequestRow[]> {
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
      .limit(sql.placeholder('limit')),
  );
  const params = { ...filter, limit };
  const rows = await whileUnchanged(db, `${key}:${JSON.stringify(params)}`, async () => Object.freeze((await withContainers(db, await query.rows(params))).map((r) => Object.freeze(r))));
  return rows.slice();
}

/** A day's requests in some statuses: in one room, or in every room when none is named. */
export function requestsOn(db: Writer, visitDate: IsoDate, statuses: readonly RequestStatus[], roomId?: number | null): Promise<RequestRow[]> {
  return selectRequests(
    db,
    and(eq(requests.visitDate, visitDate), inArray(requests.status, [...statuses]), roomId == null ? undefined : eq(requests.readingRoomId, roomId)),
  );
}

/**
 * What is out of the stacks on a day, in a room or all: delivered or returned that day, or on a
 * day a hold runs over.
 */
export function requestsOutOn(db: Writer, date: IsoDate, roomId?: number): Promise<RequestRow[]> {
  return selectRequests(
    db,
    and(
      inArray(requests.status, ['delivered', 'returned']),
      or(eq(requests.visitDate, date), and(lte(requests.visitDate, date), gte(requests.holdUntil, date))),
      roomId === undefined ? undefined : eq(requests.readingRoomId, roomId),
    ),
  );
}

/** The hold shelf of a day in a room: boxes on hold whose hold runs over that day. */
export function heldOnShelf(db: Writer, date: IsoDate, roomId: number): Promise<RequestRow[]> {
  return selectRequests(
    db,
    and(eq(requests.status, 'on_hold'), lte(requests.visitDate, date), gte(requests.holdUntil, date), eq(requests.readingRoomId, roomId)),
  );
}

/** Boxes on hold in a room whose hold ends on `date` or ended before it. */
export function holdsEndingBy(db: Writer, date: IsoDate, roomId: number): Promise<RequestRow[]> {
  return selectRequests(db, and(eq(requests.status, 'on_hold'), lte(requests.holdUntil, date), eq(requests.readingRoomId, roomId)));
}

/** The requests of an appointment. */
export function requestsOfAppointment(db: Writer, appointmentId: number): Promise<RequestRow[]> {
  return selectRequests(db, eq(requests.appointmentId, appointmentId));
}

/** The ids of the requests of each appointment or class session (by `of`), oldest first. */
export async function requestIdsBy(db: Writer, of: 'appointmentId' | 'classSessionId', ownerIds: readonly number[]): Promise<Map<number, number[]>> {
  const byOwner = new Map<number, number[]>(ownerIds.map((id) => [id, []]));
  if (ownerIds.length === 0) return byOwner;
  const rows = await db.select({ id: requests.id, owner: requests[of] }).from(requests).where(inArray(requests[of], [...ownerIds])).orderBy(asc(requests.id));
  for (const r of rows) if (r.owner !== null) byOwner.get(r.owner)?.push(r.id);
  return byOwner;
}

export function requestsOfClassSession(db: Writer, classSessionId: number): Promise<RequestRow[]> {
  return selectRequests(db, eq(requests.classSessionId, classSessionId));
}

export async function eventsOf(db: Writer, requestId: number) {
  return db.select().from(requestEvents).where(eq(requestEvents.requestId, requestId)).orderBy(asc(requestEvents.id));
}

/** Whether a request was ever paged: the door asks it of a no-show (did the box leave its shelf?). */
export const everPaged = async (db: Writer, requestId: number) => (await eventsOf(db, requestId)).some((e) => e.toStatus === 'paged');

/** The components (folders, series) each request asks for in its container, in the order asked. */
export async function componentsOf(db: Writer, requestIds: readonly number[]): Promise<Map<number, { id: number; title: string; folder: string | null }[]>> {
  const byRequest = new Map<number, { id: number; title: string; folder: string | null }[]>();
  if (requestIds.length === 0) return byRequest;
  const rows = await prepared(db, 'requestComponents', () =>
    db
      .select({ requestId: requestComponents.requestId, id: requestComponents.componentId, title: requestComponents.title, folder: requestComponents.folder })
      .from(requestComponents)
      .where(sql`${requestComponents.requestId} in ${integersOf(sql.placeholder('ids'))}`)
      .orderBy(asc(requestComponents.requestId), asc(requestComponents.position)),
  ).rows({ ids: JSON.stringify(requestIds) });
  for (const { requestId, ...component } of rows) {
    const list = byRequest.get(requestId) ?? [];
    list.push(component);
    byRequest.set(requestId, list);
  }
  return byRequest;
}

/** Records the components a new request asks for in its container. */
export async function listComponents(tx: Writer, requestId: number, components: readonly ComponentInRequest[]): Promise<void> {
  if (components.length === 0) return;
  await tx
    .insert(requestComponents)
    .values(components.map((c, i) => ({ requestId, position: i + 1, componentId: c.componentId, title: c.title, folder: c.folder })));
}
