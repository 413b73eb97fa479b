import { inArray } from 'drizzle-orm';
import { users } from '../../db/schema.ts';
import type { IsoDate } from '../domain/calendar.ts';
import { walkingOrder } from '../domain/walking-order.ts';
import type { Writer } from '../outbox/store.ts';
import { requestsOn, type RequestRow } from '../requests/store.ts';

/** A row of a staff list: which box, where it is, for whom. */
export function pickItem(row: RequestRow, researcherName: string) {
  return {
    requestId: row.id,
    status: row.status,
    callNumber: row.callNumber,
    collectionTitle: row.collectionTitle,
    containerLabel: row.containerLabel,
    location: row.location,
    researcher: { id: row.researcherId, name: researcherName },
  };
}

export type PickItem = ReturnType<typeof pickItem>;

/** A day's requests in some statuses, in walking order, with their researchers' names. */
export function staffList(tx: Writer, date: IsoDate, statuses: Parameters<typeof requestsOn>[2]): PickItem[] {
  const rows = requestsOn(tx, date, statuses).sort(walkingOrder);
  const ids = [...new Set(rows.map((r) => r.researcherId))];
  const names = new Map(ids.length ? tx.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, ids)).all().map((u) => [u.id, u.name]) : []);
  return rows.map((row) => pickItem(row, names.get(row.researcherId) ?? ''));
}

/** The day's pick list: what is to be fetched or has been fetched (scheduled and paged). */
export const pickList = (tx: Writer, date: IsoDate) => staffList(tx, date, ['scheduled', 'paged']);

/** What is still out of the stacks: delivered to a researcher, or back at the desk. */
export const boxesOut = (tx: Writer, date: IsoDate) => staffList(tx, date, ['delivered', 'returned']);
