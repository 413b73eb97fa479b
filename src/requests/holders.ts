import { sql, type SQL } from 'drizzle-orm';
import { oneOf, requests } from '../../db/tables.ts';
import type { Writer } from '../../db/transactions.ts';
import { integersOf, prepared, takeTurnsOn } from '../../db/statements.ts';
import { addDays, type IsoDate } from '../domain/calendar.ts';
import { heldStatuses, holdingStatuses } from '../domain/request-status.ts';

/**
 * Whether a request holds its container on `date` (src/domain/request-status.ts): a holding status
 * on its visit date (`holdsThatDay`), or a hold running from its visit date to `holdUntil`
 * (`holdRunsOver`). Every question of who has a box on a day (submissions, approvals, the waiting
 * list, `available`) asks both. They are asked apart, each in a query of its own joined by `union
 * all`, so that each reads its own index: the day's by (container, visit date), the holds by
 * (container, holdUntil) among the few requests with one. (One `or` of both read every request the
 * container ever had.) The status lists are written out, not bound, so the planner can use the
 * partial indexes.
 */
export const holdsThatDay = (date: SQL) => sql`${requests.visitDate} = ${date} and ${oneOf(requests.status, [...holdingStatuses, 'on_hold'])}`;
export const holdRunsOver = (date: SQL) => sql`${requests.holdUntil} >= ${date} and ${requests.visitDate} <= ${date} and ${oneOf(requests.status, heldStatuses)}`;

/** The wanted containers someone holds on `date` (a researcher or a class session), with the request that holds each. */
export async function holdersOn(tx: Writer, containerIds: readonly number[], date: IsoDate): Promise<Map<number, { requestId: number; researcherId: number | null }>> {
  if (containerIds.length === 0) return new Map();
  // Who holds a box is decided over days no unique index covers (a hold runs from its visit to
  // `holdUntil`): on PostgreSQL, decisions for one box take turns (a hold and a request for a day
  // it covers would otherwise both find the box free).
  await takeTurnsOn(tx, 'containers', containerIds);
  const rows = await prepared(tx, 'holdersOn', () => {
    const day = sql`${sql.placeholder('date')}`;
    const holders = (holds: SQL) =>
      tx
        .select({ containerId: requests.containerId, requestId: requests.id, researcherId: requests.researcherId })
        .from(sql`${integersOf(sql.placeholder('ids'))} as wanted`)
        .crossJoin(requests)
        .where(sql`${requests.containerId} = wanted.value and ${holds}`);
    return holders(holdsThatDay(day)).unionAll(holders(holdRunsOver(day)));
  }).rows({ ids: JSON.stringify(containerIds), date });
  return new Map(rows.map((r) => [r.containerId, { requestId: r.requestId, researcherId: r.researcherId }]));
}

/** Whether anyone but request `exceptId` holds the container on `date`. */
export const heldByAnother = async (tx: Writer, containerId: number, date: IsoDate, exceptId: number) => {
  const holder = (await holdersOn(tx, [containerId], date)).get(containerId);
  return holder !== undefined && holder.requestId !== exceptId;
};

/**
 * The first day after `from`, up to `to`, on which another request holds the container: what a
 * hold from `from` to `to` would run into (another hold already running over `from` takes the
 * next day).
 */
export async function firstDayTaken(tx: Writer, containerId: number, from: IsoDate, to: IsoDate, exceptId: number): Promise<IsoDate | undefined> {
  await takeTurnsOn(tx, 'containers', [containerId]);
  const row = await prepared(tx, 'firstDayTaken', () =>
    tx
      .select({ day: sql<IsoDate>`min(case when ${requests.visitDate} > ${sql.placeholder('from')} then ${requests.visitDate} else ${sql.placeholder('after')} end)` })
      .from(requests)
      .where(
        sql`${requests.containerId} = ${sql.placeholder('containerId')} and ${requests.id} <> ${sql.placeholder('exceptId')} and (
          (${requests.visitDate} > ${sql.placeholder('from')} and ${requests.visitDate} <= ${sql.placeholder('to')} and ${oneOf(requests.status, holdingStatuses)})
          or (${requests.holdUntil} > ${sql.placeholder('from')} and ${requests.visitDate} <= ${sql.placeholder('to')} and ${oneOf(requests.status, heldStatuses)}))`,
      ),
  ).first({ containerId, from, to, exceptId, after: addDays(from, 1) });
  return row?.day ?? undefined;
}
