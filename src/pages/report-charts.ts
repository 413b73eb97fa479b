import type * as Vega from 'vega';
import type { TopLevelSpec } from 'vega-lite';
import type { IsoDate } from '../domain/calendar.ts';
import { addMonths, monthOf, type IsoMonth } from '../domain/visit-plan.ts';
import type { UsageRow } from '../reports/usage.ts';
import { readableMonth } from '../wording.ts';

// The charts of the reports page (docs/pages.md, "/reports"): Vega-Lite specifications compiled to
// Vega and rendered to SVG text on the server, with no browser and no script on the page. Vega
// writes the ARIA of each mark (every bar a `graphics-symbol` named by its `description`, each axis
// summed up); the chart as a whole is named here, with the same description, since Vega puts that
// on the element it draws into, which a server has not. Each chart comes with a table of the
// same figures: its text alternative, for screen readers, keyboards and phones alike.

/**
 * A text's width in the charts' serif font, estimated from its characters and the font size (Vega's
 * own estimate, 0.8 of the size a character, suits no font and cuts labels short). Text is never
 * measured with node-canvas, which is not installed: the same figures draw the same SVG on every server.
 */
export function textWidth(text: string, fontSize: number, bold = false): number {
  let ems = 0;
  for (const c of text) ems += /[A-Z]/.test(c) ? 0.72 : /[0-9]/.test(c) ? 0.6 : /[a-z]/.test(c) ? 0.52 : c === ' ' ? 0.28 : /[.,:;'!|()[\]-]/.test(c) ? 0.36 : 0.62;
  return Math.ceil(ems * fontSize * (bold ? 1.1 : 1));
}

interface TextItem {
  /** A text mark's text: lines are measured one by one. */
  text?: string | number | string[];
  fontSize?: number;
  fontWeight?: string | number;
  /** The width a text is cut to, with an ellipsis (a label's `labelLimit`). */
  limit?: number;
}
/** Vega's text metrics take a width function of the user's (as vl-convert does); this one cuts at the limit as Vega's would. */
function measureTextOurWay(vega: typeof Vega): void {
  const metrics = (vega as unknown as { textMetrics: { width: (item: TextItem, text?: string | number) => number } }).textMetrics;
  metrics.width = (item, text) => {
    const value = String(text ?? (Array.isArray(item.text) ? item.text.join(' ') : item.text) ?? '').trim();
    const width = textWidth(value, item.fontSize ?? 11, item.fontWeight === 'bold' || Number(item.fontWeight) >= 600);
    return item.limit !== undefined && item.limit > 0 ? Math.min(width, item.limit) : width;
  };
}

/** The page's colours (templates/assets/reading-room.css): ink and the accent on white pass WCAG AA. */
const INK = '#1f1f1f';
const MUTED = '#4a4a4a';
const ACCENT = '#1a4f8b';
const RULE = '#d8d0c0';
const FONT = "Georgia, 'Times New Roman', serif";

const config: TopLevelSpec['config'] = {
  font: FONT,
  background: '#ffffff',
  view: { stroke: null },
  axis: { labelColor: INK, titleColor: INK, labelFontSize: 13, titleFontSize: 14, titleFontWeight: 'bold', domainColor: MUTED, tickColor: MUTED, gridColor: RULE },
  bar: { color: ACCENT },
};

/** The charts load nothing: their data is in the specification, and anything asking for a file or a URL is refused. */
const refuse = (what: string) => Promise.reject(new Error(`The reports' charts load nothing (${what}).`));
const loadNothing: Vega.Loader = { load: refuse, sanitize: refuse, http: refuse, file: refuse };

/**
 * Vega and Vega-Lite, loaded when the first chart is drawn: half a second of every start otherwise,
 * for the workers, the command line and each test process, which draw none.
 */
let engines: Promise<[typeof Vega, typeof import('vega-lite')]> | undefined;
const chartEngines = () =>
  (engines ??= Promise.all([import('vega'), import('vega-lite')]).then(([vega, vegaLite]) => {
    measureTextOurWay(vega);
    return [vega, vegaLite];
  }));

const escapeAttribute = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

/**
 * The SVG of a Vega-Lite specification. Its root is named by the chart's description
 * (`role="graphics-document"`, as Vega names the element it draws into in a browser), and every
 * id Vega gives (clip paths, gradients: none in these charts) is prefixed with the chart's own, so
 * that two charts of one page never share one.
 */
export async function chartSvg(id: string, spec: TopLevelSpec & { description: string }): Promise<string> {
  const [vega, { compile }] = await chartEngines();
  const problems: string[] = [];
  // Vega's warnings and errors (a refused load is a warning) are the chart's failure, never a chart with bars missing.
  const logger = vega.logger(vega.Warn, 'error', (_method, level, args) => problems.push(`${level} ${args.map(String).join(' ')}`));
  const view = new vega.View(vega.parse(compile(spec, { logger }).spec), { renderer: 'none', loader: loadNothing, logger, logLevel: vega.Warn });
  try {
    const svg = await view.toSVG();
    if (problems.length > 0) throw new Error(`Vega could not draw the chart ${id}: ${problems.join('; ')}`);
    // In the tags only (text and attribute values have their < and > escaped): a title may say `id="…"` too.
    const tags = svg.replaceAll(/<[^>]*>/g, (tag) => tag.replaceAll(/ id="([^"]*)"/g, ` id="${id}-$1"`).replaceAll(/ (clip-path|fill|stroke)="url\(#([^)"]*)\)"/g, ` $1="url(#${id}-$2)"`));
    return tags.replace(/^<svg /, `<svg id="${id}" role="graphics-document" aria-roledescription="chart" aria-label="${escapeAttribute(spec.description)}" `);
  } finally {
    view.finalize();
  }
}

/** A chart of the reports page: the figure's SVG, its caption, and the same figures as a table. */
export interface ReportChart {
  id: string;
  title: string;
  /** What the chart shows and how it is counted (the figure's caption). */
  caption: string;
  /** Said instead of the chart when it has nothing to draw. */
  nothing: string | null;
  svg: string | null;
  table: { columns: string[]; rows: string[][] };
}

const percent = new Intl.NumberFormat('en-GB', { style: 'percent', maximumFractionDigits: 1 });
const shortMonthFormat = new Intl.DateTimeFormat('en-GB', { month: 'short', year: 'numeric', timeZone: 'UTC' });
/** "Nov 2026": a month under a bar. */
const shortMonth = (month: IsoMonth) => shortMonthFormat.format(new Date(`${month}-01T00:00:00Z`));
const counted = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
const uses = (n: number) => counted(n, 'use', 'uses');

/** Every month from the range's first to its last, each with its usage row (zeros when it had no request). */
export function monthsOf(from: IsoDate, to: IsoDate, rows: readonly UsageRow[]): { month: IsoMonth; row: UsageRow }[] {
  const byMonth = new Map(rows.map((r) => [String(r.key), r]));
  const months: { month: IsoMonth; row: UsageRow }[] = [];
  for (let month = monthOf(from); month <= monthOf(to); month = addMonths(month, 1)) {
    months.push({ month, row: byMonth.get(month) ?? { key: month, label: month, requests: 0, uses: 0, researchers: 0, noShows: 0, cancelled: 0, denied: 0 } });
  }
  return months;
}

/** Bars of one month each: a chart as wide as it has months, within the page. */
const monthsWidth = (count: number) => Math.min(760, Math.max(360, count * 48));
const monthAxis = (count: number) => ({ labelAngle: count > 8 ? -45 : 0, title: 'Month of the visit' });

/** Uses per month: requests delivered at least once, by the month of their visit date. */
export async function usesPerMonth(from: IsoDate, to: IsoDate, monthRows: readonly UsageRow[]): Promise<ReportChart> {
  const months = monthsOf(from, to, monthRows);
  const total = months.reduce((sum, m) => sum + m.row.uses, 0);
  const most = months.reduce((best, m) => (m.row.uses > best.row.uses ? m : best), months[0]!);
  const span = months.length === 1 ? readableMonth(most.month) : `${readableMonth(months[0]!.month)} to ${readableMonth(months.at(-1)!.month)}`;
  const description = `Bar chart of uses per month of visit, ${span}: ${uses(total)} in all${months.length > 1 && total > 0 ? `, the most in ${readableMonth(most.month)} (${uses(most.row.uses)})` : ''}.`;
  const table = {
    columns: ['Month', 'Uses', 'Requests'],
    rows: months.map((m) => [readableMonth(m.month), String(m.row.uses), String(m.row.requests)]),
  };
  const base = { id: 'chart-uses', title: 'Uses per month', caption: 'Uses per month: the requests delivered to the reading room at least once, by the month of their visit.', table };
  if (total === 0) return { ...base, nothing: 'No box was delivered in this range.', svg: null };
  const svg = await chartSvg(base.id, {
    description,
    width: monthsWidth(months.length),
    height: 220,
    data: { values: months.map((m) => ({ month: shortMonth(m.month), uses: m.row.uses, description: `${readableMonth(m.month)}: ${uses(m.row.uses)}` })) },
    mark: { type: 'bar' },
    encoding: {
      x: { field: 'month', type: 'ordinal', sort: null, axis: monthAxis(months.length) },
      y: { field: 'uses', type: 'quantitative', title: 'Uses', axis: { tickMinStep: 1, format: 'd' } },
      description: { field: 'description', type: 'nominal' },
    },
    config,
  });
  return { ...base, nothing: null, svg };
}

/** How many collections the chart of the most used ones shows. */
export const TOP_COLLECTIONS = 10;

/** The ten collections used most (uses, then requests, then call number), as horizontal bars. */
export async function topCollections(collectionRows: readonly UsageRow[]): Promise<ReportChart> {
  const top = collectionRows
    .filter((r) => r.uses > 0)
    .sort((a, b) => b.uses - a.uses || b.requests - a.requests || a.label.localeCompare(b.label, 'en'))
    .slice(0, TOP_COLLECTIONS);
  const table = {
    columns: ['Collection', 'Uses', 'Requests', 'Researchers'],
    rows: top.map((r) => [r.label, String(r.uses), String(r.requests), String(r.researchers)]),
  };
  const base = {
    id: 'chart-collections',
    title: 'Collections used most',
    caption: `The collections used most: at most ${TOP_COLLECTIONS}, by uses (requests delivered at least once), each named by its call number and title.`,
    table,
  };
  if (top.length === 0) return { ...base, nothing: 'No collection was used in this range.', svg: null };
  const first = top[0]!;
  const description = `Bar chart of the ${top.length === 1 ? 'collection' : `${top.length} collections`} used most, by uses: first ${first.label}, with ${uses(first.uses)}.`;
  const svg = await chartSvg(base.id, {
    description,
    width: 420,
    height: { step: 28 },
    data: { values: top.map((r) => ({ collection: r.label, uses: r.uses, description: `${r.label}: ${uses(r.uses)}, of ${counted(r.requests, 'request', 'requests')}` })) },
    mark: { type: 'bar' },
    encoding: {
      y: { field: 'collection', type: 'nominal', sort: null, title: null, axis: { labelLimit: 320 } },
      x: { field: 'uses', type: 'quantitative', title: 'Uses', axis: { tickMinStep: 1, format: 'd' } },
      description: { field: 'description', type: 'nominal' },
    },
    config,
  });
  return { ...base, nothing: null, svg };
}

/**
 * The requests due in a month: those neither cancelled nor denied (a request cancelled or denied
 * was never going to be fetched, so it could not be a no-show).
 */
export const dueRequests = (row: UsageRow) => row.requests - row.cancelled - row.denied;

/** No-shows per month: no-show requests ÷ requests due, by the month of their visit. */
export async function noShowsPerMonth(from: IsoDate, to: IsoDate, monthRows: readonly UsageRow[]): Promise<ReportChart> {
  const months = monthsOf(from, to, monthRows).map(({ month, row }) => {
    const due = dueRequests(row);
    return { month, due, noShows: row.noShows, rate: due > 0 ? row.noShows / due : null };
  });
  const table = {
    columns: ['Month', 'No-show rate', 'No-shows', 'Requests due'],
    rows: months.map((m) => [readableMonth(m.month), m.rate === null ? 'None due' : percent.format(m.rate), String(m.noShows), String(m.due)]),
  };
  const base = {
    id: 'chart-no-shows',
    title: 'No-show rate per month',
    caption: 'No-show rate per month: the requests that were no-shows ÷ the requests due (neither cancelled nor denied), by the month of their visit. A month with none due has no bar.',
    table,
  };
  const rated = months.filter((m) => m.rate !== null);
  if (rated.length === 0) return { ...base, nothing: 'No request was due in this range.', svg: null };
  const highest = rated.reduce((best, m) => (m.rate! > best.rate! ? m : best), rated[0]!);
  const description =
    highest.noShows === 0
      ? 'Bar chart of the no-show rate per month of visit: no request due was a no-show.'
      : `Bar chart of the no-show rate per month of visit: the highest in ${readableMonth(highest.month)}, ${percent.format(highest.rate!)} (${highest.noShows} of ${counted(highest.due, 'request', 'requests')} due).`;
  const svg = await chartSvg(base.id, {
    description,
    width: monthsWidth(months.length),
    height: 220,
    data: {
      values: months.map((m) => ({
        month: shortMonth(m.month),
        rate: m.rate,
        description: m.rate === null ? `${readableMonth(m.month)}: none due` : `${readableMonth(m.month)}: ${percent.format(m.rate)}, ${m.noShows} of ${counted(m.due, 'request', 'requests')} due`,
      })),
    },
    mark: { type: 'bar' },
    encoding: {
      x: { field: 'month', type: 'ordinal', sort: null, axis: monthAxis(months.length) },
      y: { field: 'rate', type: 'quantitative', title: 'No-show rate', scale: { domain: [0, 1] }, axis: { format: '.0%' } },
      description: { field: 'description', type: 'nominal' },
    },
    config,
  });
  return { ...base, nothing: null, svg };
}
