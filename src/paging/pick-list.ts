import { and, eq, inArray, sql } from 'drizzle-orm';
import { classSessions, collections, containers, requests, users } from '../../db/tables.ts';
import { whileUnchanged } from '../caches.ts';
import { prepared } from '../../db/statements.ts';
import type { IsoDate } from '../domain/calendar.ts';
import { pickListStatuses } from '../domain/request-status.ts';
import { walkingOrder } from '../domain/walking-order.ts';
import type { Writer } from '../../db/transactions.ts';
import type { PickItem } from '../requests/schemas.ts';
import { componentsOf, heldOnShelf, requestsOn, requestsOutOn, type RequestRow } from '../requests/store.ts';

/** Whose a box is: a researcher, or a class session (then there is no researcher). */
interface Holder {
  researcherId: number | null;
  researcherName: string | null;
  classSessionId: number | null;
  classTitle: string | null;
}

const holderOf = (h: Holder) => ({
  researcher: h.researcherId === null ? null : Object.freeze({ id: h.researcherId, name: h.researcherName ?? '' }),
  classSession: h.classSessionId === null ? null : Object.freeze({ id: h.classSessionId, title: h.classTitle ?? '' }),
});

/** A request as a row of a staff list. */
function pickItem(row: RequestRow, holder: Holder): PickItem {
  return {
    requestId: row.id,
    status: row.status,
    callNumber: row.callNumber,
    collectionTitle: row.collectionTitle,
    containerLabel: row.containerLabel,
    location: row.location,
    components: row.components,
    ...holderOf(holder),
  };
}

/** A day's requests in some statuses (in one room, or all), in walking order, with their researchers' names or their classes' titles. */
export async function staffList(tx: Writer, date: IsoDate, statuses: Parameters<typeof requestsOn>[2], roomId?: number): Promise<PickItem[]> {
  return asStaffList(tx, await requestsOn(tx, date, statuses, roomId));
}

async function asStaffList(tx: Writer, found: RequestRow[]): Promise<PickItem[]> {
  const rows = found.sort(walkingOrder);
  const researcherIds = [...new Set(rows.flatMap((r) => (r.researcherId === null ? [] : [r.researcherId])))];
  const classIds = [...new Set(rows.flatMap((r) => (r.classSessionId === null ? [] : [r.classSessionId])))];
  const names = new Map(researcherIds.length ? (await tx.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, researcherIds))).map((u) => [u.id, u.name]) : []);
  const titles = new Map(classIds.length ? (await tx.select({ id: classSessions.id, title: classSessions.title }).from(classSessions).where(inArray(classSessions.id, classIds))).map((c) => [c.id, c.title]) : []);
  return rows.map((row) =>
    pickItem(row, {
      researcherId: row.researcherId,
      researcherName: row.researcherId === null ? null : (names.get(row.researcherId) ?? ''),
      classSessionId: row.classSessionId,
      classTitle: row.classSessionId === null ? null : (titles.get(row.classSessionId) ?? ''),
    }),
  );
}

/**
 * The day's pick list: what is to be fetched or has been fetched (scheduled and paged), in one
 * room or in every room. A held box is not on it: it waits on the hold shelf.
 */
export async function pickList(tx: Writer, date: IsoDate, roomId?: number): Promise<PickItem[]> {
  // Staff reload it all day; asked again while nothing changed, it is not read again (src/caches.ts).
  const all = await whileUnchanged(tx, `pickList:${date}`, async () => Object.freeze((await readPickList(tx, date)).map((item) => Object.freeze(item))));
  return roomId === undefined ? all.map(({ readingRoomId: _, ...item }) => item) : all.filter((item) => item.readingRoomId === roomId).map(({ readingRoomId: _, ...item }) => item);
}

async function readPickList(tx: Writer, date: IsoDate): Promise<(PickItem & { readingRoomId: number })[]> {
  // One prepared statement with the list's own columns and the researcher's name joined in.
  const rows = await prepared(tx, 'pickList', () =>
    tx
      .select({
        requestId: requests.id,
        readingRoomId: requests.readingRoomId,
        status: requests.status,
        callNumber: collections.callNumber,
        collectionTitle: collections.title,
        containerLabel: containers.label,
        containerIndicator: containers.indicator,
        location: containers.location,
        researcherId: requests.researcherId,
        researcherName: users.name,
        classSessionId: requests.classSessionId,
        classTitle: classSessions.title,
      })
      .from(requests)
      .innerJoin(containers, eq(containers.id, requests.containerId))
      .innerJoin(collections, eq(collections.id, containers.collectionId))
      .leftJoin(users, eq(users.id, requests.researcherId))
      .leftJoin(classSessions, eq(classSessions.id, requests.classSessionId))
      .where(and(eq(requests.visitDate, sql.placeholder('date')), inArray(requests.status, [...pickListStatuses]))),
  ).rows({ date });
  const listed = await componentsOf(tx, rows.map((r) => r.requestId));
  return rows.sort(walkingOrder).map((r) => ({
    readingRoomId: r.readingRoomId,
    requestId: r.requestId,
    status: r.status,
    callNumber: r.callNumber,
    collectionTitle: r.collectionTitle,
    containerLabel: r.containerLabel,
    location: r.location,
    components: listed.get(r.requestId) ?? [],
    ...holderOf(r),
  }));
}

/** What is still out of the stacks: delivered to a researcher, or back at the desk. */
export const boxesOut = async (tx: Writer, date: IsoDate, roomId?: number) => asStaffList(tx, await requestsOutOn(tx, date, roomId));

/** The hold shelf of a day: boxes kept at the desk for researchers coming back, in walking order. */
export async function holdShelf(tx: Writer, date: IsoDate, roomId: number) {
  const rows = await heldOnShelf(tx, date, roomId);
  const holdUntil = new Map(rows.map((r) => [r.id, r.holdUntil]));
  return (await asStaffList(tx, rows)).map((item) => ({ ...item, holdUntil: holdUntil.get(item.requestId) ?? null }));
}
