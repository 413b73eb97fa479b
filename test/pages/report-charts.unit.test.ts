import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chartSvg, monthsOf, noShowsPerMonth, textWidth, topCollections, usesPerMonth } from '../../src/pages/report-charts.ts';
import type { UsageRow } from '../../src/reports/usage.ts';

// The reports' charts, drawn without a browser (src/pages/report-charts.ts): deterministic SVG, ids
// of their own, nothing loaded, and the cases with nothing to draw.

const row = (key: string, figures: Partial<UsageRow> = {}): UsageRow => ({ key, label: key, requests: 0, uses: 0, researchers: 0, noShows: 0, cancelled: 0, denied: 0, ...figures });
/** The ids of an SVG's elements (in its tags: a label's text may say `id="…"` too). */
const ids = (svg: string) => [...svg.matchAll(/<[^>]*>/g)].flatMap(([tag]) => [...tag.matchAll(/ id="([^"]+)"/g)].map(([, id]) => id));

describe("the reports' charts", () => {
  it('the same figures draw the same SVG', async () => {
    const months = [row('2026-11', { requests: 3, uses: 2 }), row('2027-01', { requests: 1, uses: 1 })];
    const [first, second] = await Promise.all([usesPerMonth('2026-11-30', '2027-01-31', months), usesPerMonth('2026-11-30', '2027-01-31', months)]);
    assert.ok(first.svg && first.svg === second.svg);
  });

  it('every month of the range is drawn, with zeros for a month without requests', () => {
    assert.deepEqual(
      monthsOf('2026-11-30', '2027-02-01', [row('2026-12', { uses: 4 })]).map(({ month, row: r }) => [month, r.uses]),
      [
        ['2026-11', 0],
        ['2026-12', 4],
        ['2027-01', 0],
        ['2027-02', 0],
      ],
    );
  });

  it("ids Vega gives (a clip path) take the chart's own as a prefix, in the tags only; two charts never share one", async () => {
    const spec = (title: string) => ({
      description: 'A clipped chart',
      data: { values: [{ label: title, n: 1 }] },
      mark: { type: 'bar' as const, clip: true },
      encoding: { x: { field: 'label', type: 'nominal' as const }, y: { field: 'n', type: 'quantitative' as const } },
    });
    const one = await chartSvg('chart-one', spec('A title that says id="x" and url(#x)'));
    const two = await chartSvg('chart-two', spec('Another'));
    const [oneIds, twoIds] = [ids(one), ids(two)];
    assert.ok(oneIds.length >= 2 && oneIds.every((id) => id?.startsWith('chart-one')), oneIds.join(' '));
    assert.ok(twoIds.every((id) => id?.startsWith('chart-two')), twoIds.join(' '));
    assert.deepEqual(oneIds.filter((id) => twoIds.includes(id)), []);
    for (const [, target] of one.matchAll(/clip-path="url\(#([^)]+)\)"/g)) assert.ok(oneIds.includes(target), `the clip path ${target} is there`);
    assert.ok(one.includes('A title that says id="x" and url(#x)</text>'), 'a label is left as it was');
    assert.match(one, /^<svg id="chart-one" role="graphics-document" aria-roledescription="chart" aria-label="A clipped chart" /);
  });

  it('loads nothing: a chart whose data is a URL is refused', async () => {
    await assert.rejects(
      chartSvg('chart-url', { description: 'Loaded', data: { url: 'http://127.0.0.1:9/data.json' }, mark: 'bar', encoding: { x: { field: 'a', type: 'nominal' } } }),
      /Vega could not draw the chart chart-url: WARN Loading failed http:\/\/127\.0\.0\.1:9\/data\.json Error: The reports' charts load nothing/,
    );
  });

  it('with nothing to draw, says so instead of a chart, and keeps the table', async () => {
    const months = [row('2026-12', { requests: 2, cancelled: 2 })];
    const uses = await usesPerMonth('2026-12-01', '2026-12-31', months);
    assert.deepEqual([uses.svg, uses.nothing, uses.table.rows], [null, 'No box was delivered in this range.', [['December 2026', '0', '2']]]);
    const noShows = await noShowsPerMonth('2026-12-01', '2026-12-31', months);
    assert.deepEqual([noShows.svg, noShows.nothing, noShows.table.rows], [null, 'No request was due in this range.', [['December 2026', 'None due', '0', '0']]]);
    const collections = await topCollections([row('1', { label: 'GEN MSS 238', requests: 2 })]);
    assert.deepEqual([collections.svg, collections.nothing, collections.table.rows], [null, 'No collection was used in this range.', []]);
  });

  it('the collections used most: ten at most, by uses, then requests, then name', async () => {
    const rows = Array.from({ length: 12 }, (_, i) => row(String(i + 1), { label: `MS ${String(i + 1).padStart(2, '0')}`, uses: i % 4, requests: i }));
    const chart = await topCollections(rows);
    assert.deepEqual(
      chart.table.rows.map(([label, uses]) => `${label} ${uses}`),
      ['MS 12 3', 'MS 08 3', 'MS 04 3', 'MS 11 2', 'MS 07 2', 'MS 03 2', 'MS 10 1', 'MS 06 1', 'MS 02 1'],
      'the nine with a use: a collection never used is not among them',
    );
  });

  it('text widths are estimated for a serif font: wider for capitals, cut at a limit', () => {
    assert.equal(textWidth('', 13), 0);
    assert.ok(textWidth('MMMM', 13) > textWidth('iiii', 13));
    assert.ok(textWidth('Nov 2026', 13) < 0.8 * 8 * 13, "narrower than Vega's own estimate");
    assert.ok(textWidth('Uses', 14, true) > textWidth('Uses', 14));
  });
});
