import type Sqlite from 'better-sqlite3';
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

/** Whether the request ever reached a status: its events say (a no-show may since be reshelved, a use returned). */
const reached = (status: string) => `exists (select 1 from request_events e where e.request_id = r.id and e.to_status = '${status}')`;

/**
 * The usage report's statement: one row per group, in key order. Class sessions' requests count
 * among the requests and uses; `researchers` counts the distinct people (a class has none).
 */
function usageSql(groupBy: ReportGrouping, inRoom: boolean): string {
  const g = groupings[groupBy];
  return `select ${g.key} as key, ${g.label} as label,
      count(*) as requests,
      sum(${reached('delivered')}) as uses,
      count(distinct r.researcher_id) as researchers,
      sum(${reached('no_show')}) as noShows,
      -- Final statuses: a request that reached one is in it still.
      sum(r.status = 'cancelled') as cancelled,
      sum(r.status = 'denied') as denied
    from requests r ${g.joins}
    where r.visit_date between @from and @to ${inRoom ? 'and r.reading_room_id = @readingRoomId' : ''}
    group by ${g.key}
    order by ${g.key}`;
}

/**
 * The rows one at a time, from `sqlite`: a report's own connection when streamed (its statement
 * holds the connection until the last row is read), the app's when answered whole.
 */
export function usageRows(sqlite: Sqlite.Database, query: UsageQuery): IterableIterator<UsageRow> {
  const inRoom = query.readingRoomId !== undefined;
  const statement = sqlite.prepare(usageSql(query.groupBy, inRoom));
  return statement.iterate({ from: query.from, to: query.to, ...(inRoom ? { readingRoomId: query.readingRoomId } : {}) }) as IterableIterator<UsageRow>;
}
