import { and, asc, eq, gt, inArray, sql, type SQL } from 'drizzle-orm';
import { prepared } from '../prepared.ts';
import type { Database } from '../../db/client.ts';
import { collections, containers, requestEvents, requests, type RequestStatus } from '../../db/schema.ts';
import type { IsoDate } from '../domain/calendar.ts';
import type { Writer } from '../outbox/store.ts';

/** A request with its container and collection, as the API and the mails show it. */
const requestColumns = {
  id: requests.id,
  researcherId: requests.researcherId,
  containerId: requests.containerId,
  collectionId: containers.collectionId,
  callNumber: collections.callNumber,
  collectionTitle: collections.title,
  containerLabel: containers.label,
  containerIndicator: containers.indicator,
  location: containers.location,
  visitDate: requests.visitDate,
  status: requests.status,
  restricted: containers.restricted,
  restrictionNote: containers.restrictionNote,
  note: requests.note,
  decisionNote: requests.decisionNote,
  waitlistedAt: requests.waitlistedAt,
  createdAt: requests.createdAt,
  updatedAt: requests.updatedAt,
};

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

/** The request as API.md defines it. */
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

export function listRequests(db: Database, filter: RequestFilter, limit: number): RequestRow[] {
  const has = (k: keyof RequestFilter) => filter[k] !== undefined;
  const key = `listRequests:${(['researcherId', 'visitDate', 'status', 'collectionId', 'afterId'] as const).filter(has).join(',')}`;
  const query = prepared(db, key, () =>
    requestQuery(db)
      .where(
        and(
          has('researcherId') ? eq(requests.researcherId, sql.placeholder('researcherId')) : undefined,
          has('visitDate') ? eq(requests.visitDate, sql.placeholder('visitDate')) : undefined,
          has('status') ? eq(requests.status, sql.placeholder('status')) : undefined,
          has('collectionId') ? eq(containers.collectionId, sql.placeholder('collectionId')) : undefined,
          has('afterId') ? gt(requests.id, sql.placeholder('afterId')) : undefined,
        ),
      )
      .orderBy(asc(requests.id))
      .limit(sql.placeholder('limit'))
      .prepare(),
  );
  return query.all({ ...filter, limit });
}

export function requestsOn(db: Writer, visitDate: IsoDate, statuses: readonly RequestStatus[]): RequestRow[] {
  return selectRequests(db, and(eq(requests.visitDate, visitDate), inArray(requests.status, [...statuses])));
}

export function eventsOf(db: Writer, requestId: number) {
  return db.select().from(requestEvents).where(eq(requestEvents.requestId, requestId)).orderBy(asc(requestEvents.id)).all();
}
