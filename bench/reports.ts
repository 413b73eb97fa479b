import { readFileSync, writeFileSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { closeDatabase, openDatabase } from '../db/client.ts';
import type { IsoDate } from '../src/domain/calendar.ts';
import { defaultReportRange } from '../src/domain/reports.ts';
import { usageCsv } from '../src/reports/csv.ts';
import { usageRows, type UsageRow } from '../src/reports/usage.ts';
import { summarise } from './stats.ts';

// `report.*` (issue 17): a year's usage by container on the scale database (1,000,000 past requests
// over ~4 years, each with its history of events; 100,000 containers), for the twelve months up to
// the day it was built (the report's default range).
//
// - `report.bare-group-by`, the floor: one SQL statement that counts the same figures for the same
//   requests, grouped by container id: no labels (no containers or collections joined), rows read
//   with `.all()`, nothing else.
// - `report.usage-year`: `usageCsv` (src/reports/csv.ts) read to its end, as the API streams it:
//   a read-only connection of its own, streamedUsageRows' statement, csv-stringify.
// - `report.usage-year.json`: the JSON answer's rows (`await usageRows(...)` on the app's
//   connection, as src/reports/service.ts builds them) and their `JSON.stringify`.
//
// A sample is one report; reports are repeated for `seconds`, and at least MIN_SAMPLES times, after
// one report that is not counted; rps is reports per second of reporting. Peak memory: before each
// report a full garbage collection, then the process's peak RSS (VmHWM) is reset to its current RSS
// (`/proc/self/clear_refs`, 5) and read again after it: the growth is what the report itself took,
// SQLite's native memory and buffers included, however synchronous. Where the reset is refused, RSS
// is sampled every 2 ms instead (which sees nothing while a statement runs synchronously). RSS
// grows only when the report needs more than the process already holds (V8 keeps the pages of the
// heap it collected), so the JS heap's own peak is shown beside it: its used size, probed where the
// report holds most, above the live heap the report started with.

const MIN_SAMPLES = 3;

/**
 * A full garbage collection, before each report (not timed), so that each starts from the live heap
 * alone and its peak is its own, not the garbage of the one before: V8's `gc`, exposed at run time
 * (npm run bench starts Node without --expose-gc), the first time a report needs it.
 */
let gc: (() => void) | undefined;
function collectGarbage(): void {
  if (!gc) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  }
  gc();
}

/** The floor: each request's events folded into two flags, then the requests grouped by container. */
const BARE_GROUP_BY = `
  select container_id as key, count(*) as requests, sum(delivered) as uses, count(distinct researcher_id) as researchers,
         sum(no_show) as noShows, sum(status = 'cancelled') as cancelled, sum(status = 'denied') as denied
  from (select r.container_id, r.researcher_id, r.status,
               max(e.to_status = 'delivered') as delivered, max(e.to_status = 'no_show') as no_show
        from requests r join request_events e on e.request_id = r.id
        where r.visit_date between @from and @to
        group by r.id)
  group by container_id`;

type Counts = Pick<UsageRow, 'requests' | 'uses' | 'researchers' | 'noShows' | 'cancelled' | 'denied'>;
const countNames = ['requests', 'uses', 'researchers', 'noShows', 'cancelled', 'denied'] as const;

/** The rows' count and their figures summed: every scenario must find the same. */
interface Totals extends Counts {
  rows: number;
}

const totalsOf = (rows: readonly Counts[]): Totals => {
  const totals: Totals = { rows: rows.length, requests: 0, uses: 0, researchers: 0, noShows: 0, cancelled: 0, denied: 0 };
  for (const row of rows) for (const name of countNames) totals[name] += row[name];
  return totals;
};

/** What the scenarios of the run found so far, each figure with the first scenario that counted it. */
const expected = new Map<keyof Totals, { value: number; by: string }>();

/** A scenario's first report must count what the others counted: else it measures the wrong thing. */
function agree(name: string, totals: Partial<Totals>): void {
  for (const [field, value] of Object.entries(totals) as [keyof Totals, number][]) {
    const before = expected.get(field);
    if (!before) expected.set(field, { value, by: name });
    else if (before.value !== value) throw new Error(`${name}: ${field} ${value}, but ${before.by} found ${before.value}`);
  }
}

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

/**
 * The JS heap's peak during a report, as far as probes see it: the report probes where it holds
 * most (the rows and their text whole; every 256 chunks of a stream), and once at its end.
 */
let heapPeak = 0;
const probeHeap = () => {
  heapPeak = Math.max(heapPeak, getHeapStatistics().used_heap_size);
};

/** Starts measuring the process's peak RSS; the returned function gives the growth since, in bytes. */
function peakRssGrowth(): { how: string; stop: () => number } {
  const start = process.memoryUsage.rss();
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    const hwm = () => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? Number.NaN) * 1024;
    return { how: 'VmHWM reset before each report', stop: () => Math.max(0, hwm() - start) };
  } catch {
    let peak = start;
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 2);
    return {
      how: 'RSS sampled every 2 ms',
      stop: () => {
        clearInterval(timer);
        return Math.max(0, peak, process.memoryUsage.rss()) - start;
      },
    };
  }
}

/**
 * One report: the size of what it produced (bytes of CSV or JSON, or rows) and, when `check` (the
 * first report, not measured), its totals as far as it knows them.
 */
type Report = (check: boolean) => Promise<{ size: number; totals: Partial<Totals> }> | { size: number; totals: Partial<Totals> };

async function measure(name: string, baseline: string, seconds: number, unit: string, report: Report) {
  const first = await report(true);
  agree(name, first.totals);
  const latencies: number[] = [];
  let growth = 0;
  let heapGrowth = 0;
  let how = '';
  const until = performance.now() + seconds * 1000;
  while (latencies.length < MIN_SAMPLES || performance.now() < until) {
    collectGarbage();
    const heapAtStart = getHeapStatistics().used_heap_size;
    heapPeak = heapAtStart;
    const memory = peakRssGrowth();
    const at = performance.now();
    await report(false);
    latencies.push(performance.now() - at);
    growth = Math.max(growth, memory.stop());
    probeHeap();
    heapGrowth = Math.max(heapGrowth, heapPeak - heapAtStart);
    how = memory.how;
  }
  // Reports per second of reporting: the collections between reports are left out.
  const figures = summarise(name, latencies, latencies.length, latencies.reduce((sum, ms) => sum + ms, 0), baseline);
  const size = unit === 'rows' ? `${first.size.toLocaleString('en')} rows` : `${mb(first.size)} MB of ${unit}`;
  console.log(
    `(${name}: ${size} a report, ${latencies.length} reports; at most ${mb(growth)} MB of peak RSS (${how}) and ${mb(heapGrowth)} MB of JS heap (probed) above the report's start; the process's RSS ${mb(process.memoryUsage.rss())} MB)`,
  );
  return figures;
}

/**
 * The stream read to its end, as a client would: its size in bytes, and when `check`, its CSV
 * records besides the header (no cell of this report holds a line break).
 */
async function drain(stream: Readable, check: boolean): Promise<{ size: number; totals: Partial<Totals> }> {
  let bytes = 0;
  let records = 0;
  let chunks = 0;
  for await (const chunk of stream as AsyncIterable<string | Buffer>) {
    bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
    if (++chunks % 256 === 0) probeHeap();
    if (!check) continue;
    const text = typeof chunk === 'string' ? chunk : chunk.toString('latin1');
    for (let at = text.indexOf('\r\n'); at !== -1; at = text.indexOf('\r\n', at + 2)) records += 1;
  }
  return { size: bytes, totals: check ? { rows: records - 1 } : {} };
}

export interface ReportScenarios {
  bareGroupBy: (seconds: number) => Promise<ReturnType<typeof summarise>>;
  usageYear: (seconds: number) => Promise<ReturnType<typeof summarise>>;
  usageYearJson: (seconds: number) => Promise<ReturnType<typeof summarise>>;
  close: () => Promise<void>;
}

/** The scenarios on the database at `databasePath`, built on `today`. */
export function reportScenarios(databasePath: string, today: IsoDate): ReportScenarios {
  const range = defaultReportRange(today);
  const query = { ...range, groupBy: 'container' as const };
  // The app's connection, as the server opens it (pragmas, migrations applied).
  const db = openDatabase(databasePath);
  return {
    bareGroupBy: (seconds) =>
      measure('report.bare-group-by', 'report.bare-group-by', seconds, 'rows', (check) => {
        const rows = db.$client.prepare(BARE_GROUP_BY).all(range) as Counts[];
        probeHeap();
        return { size: rows.length, totals: check ? totalsOf(rows) : {} };
      }),
    usageYear: (seconds) => measure('report.usage-year', 'report.bare-group-by', seconds, 'CSV', async (check) => drain(usageCsv(db, query), check)),
    usageYearJson: (seconds) =>
      measure('report.usage-year.json', 'report.bare-group-by', seconds, 'JSON', async (check) => {
        const rows = await usageRows(db, query);
        const text = JSON.stringify({ ...range, groupBy: query.groupBy, rows });
        probeHeap();
        return { size: Buffer.byteLength(text), totals: check ? totalsOf(rows) : {} };
      }),
    close: () => closeDatabase(db),
  };
}

/** What the year holds, as the scenarios counted it (all agreeing), for the run's log. */
export function describeYear(): string | undefined {
  if (!expected.has('requests')) return undefined;
  const n = (field: keyof Totals) => (expected.get(field)?.value ?? 0).toLocaleString('en');
  return `(the year: ${n('rows')} containers; ${n('requests')} requests, ${n('uses')} delivered at least once, ${n('noShows')} no-shows, ${n('cancelled')} cancelled, ${n('denied')} denied; ${n('researchers')} researchers summed over the containers)`;
}
