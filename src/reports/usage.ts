import type { Database } from '../../db/client.ts';
import { statement, streamedRows } from '../../db/statements.ts';
import type { Writer } from '../../db/transactions.ts';
import type { IsoDate } from '../domain/calendar.ts';
import type { ReportGrouping } from '../domain/reports.ts';

/** One row of the usage report (docs/reports.md): requests of its group whose visit date is in the range. */
export interface UsageRow {
  key: number | string;
  label: string;
  requests: number;
  uses: number;
  researchers: number;
  noShows: number;
  cancelled: number;
  denied: number;
}

export const usageColumns = ['key', 'label', 'requests', 'uses', 'researchers', 'noShows', 'cancelled', 'denied'] as const satisfies readonly (keyof UsageRow)[];

export interface UsageQuery {
  from: IsoDate;
  to: IsoDate;
  readingRoomId?: number | undefined;
  groupBy: ReportGrouping;
}

/** Each grouping's key and label, and the tables it needs beyond the requests. */
const groupings: Record<ReportGrouping, { key: string; label: string; joins: string }> = {
  collection: {
    key: 'k.id',
    label: "k.call_number || ' ' || k.title",
    joins: 'join containers c on c.id = r.container_id join collections k on k.id = c.collection_id',
  },
  container: {
    key: 'c.id',
    label: "k.call_number || ', ' || c.label",
    joins: 'join containers c on c.id = r.container_id join collections k on k.id = c.collection_id',
  },
  month: { key: 'substr(r.visit_date, 1, 7)', label: 'substr(r.visit_date, 1, 7)', joins: '' },
  readingRoom: { key: 'm.id', label: 'm.name', joins: 'join reading_rooms m on m.id = r.reading_room_id' },
};

// Said alike on both engines: PostgreSQL neither sums nor takes the max of a comparison (a boolean
// there), and gives its counts and sums as 64-bit integers, which node-postgres hands over as text.
const oneWhen = (condition: string) => `case when ${condition} then 1 else 0 end`;
const whole = (total: string) => `cast(${total} as integer)`;

/**
 * The usage report's statement: one row per group, in key order. Each request of the range is read
 * with its events once, in the inner query (whether it was ever delivered, ever a no-show: a
 * no-show may since be reshelved, a use returned), and the groups are summed from those; an
 * `exists` per request and status read the events at random instead, three to four times slower
 * on a year of a busy room (README, "Reports"). Class sessions' requests count among the requests
 * and uses; `researchers` counts the distinct people (a class has none).
 */
function usageSql(groupBy: ReportGrouping, inRoom: boolean): string {
  const g = groupings[groupBy];
  return `select ${g.key} as key, ${g.label} as label,
      ${whole('count(*)')} as requests,
      ${whole('sum(r.delivered)')} as uses,
      ${whole('count(distinct r.researcher_id)')} as researchers,
      ${whole('sum(r.no_show)')} as "noShows",
      -- Final statuses: a request that reached one is in it still.
      ${whole(`sum(${oneWhen("r.status = 'cancelled'")})`)} as cancelled,
      ${whole(`sum(${oneWhen("r.status = 'denied'")})`)} as denied
    from (
      select r.id, r.researcher_id, r.container_id, r.visit_date, r.reading_room_id, r.status,
        max(${oneWhen("e.to_status = 'delivered'")}) as delivered,
        max(${oneWhen("e.to_status = 'no_show'")}) as no_show
      from requests r left join request_events e on e.request_id = r.id
      where r.visit_date between ? and ? ${inRoom ? 'and r.reading_room_id = ?' : ''}
      group by r.id
    ) r ${g.joins}
    group by ${g.key}, ${g.label}
    order by ${g.key}`;
}

/** The statement's values, in the order of its `?`s. */
const valuesOf = (query: UsageQuery) => [query.from, query.to, ...(query.readingRoomId !== undefined ? [query.readingRoomId] : [])];

/** Every row at once, read through the connection `db` (db/statements.ts): the report answered whole. */
export function usageRows(db: Writer, query: UsageQuery): Promise<UsageRow[]> {
  return statement<UsageRow>(db, usageSql(query.groupBy, query.readingRoomId !== undefined)).rows(...valuesOf(query));
}

/** The rows one at a time, as the reader takes them (db/statements.ts): the report streamed. */
export function streamedUsageRows(db: Database, query: UsageQuery): AsyncGenerator<UsageRow> {
  return streamedRows<UsageRow>(db, usageSql(query.groupBy, query.readingRoomId !== undefined), valuesOf(query));
}
