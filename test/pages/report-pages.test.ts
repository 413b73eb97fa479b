import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ok } from '../helpers/answers.ts';
import { signedInBrowser, type FormBrowser } from '../helpers/form-browser.ts';
import { startReadingRoom, type TestReadingRoom } from '../helpers/reading-room.ts';
import { makeReportHistory, MARKUP_CALL_NUMBER, MARKUP_LABEL, REPORT_RANGE, type ReportHistory } from '../helpers/report-history.ts';

// The curators' reports page (/reports) over the small history of test/helpers/report-history.ts,
// whose figures are stated there by hand: the service figures, the three charts (SVG with the ARIA
// Vega writes, named by a description) each with a table of the same numbers, the CSV links, the
// refusals, and who may look.

const RANGE = `from=${REPORT_RANGE.from}&to=${REPORT_RANGE.to}`;

const problemOf = (html: string) => /class="problem" role="alert">([^<]*)</.exec(html)?.[1];
const decode = (text: string) => text.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&quot;', '"').replaceAll('&amp;', '&');
/** The service figures: each term of the definition list with its value. */
const factsOf = (html: string) => Object.fromEntries([...html.matchAll(/<dt>([^<]*)<\/dt><dd>([^<]*)<\/dd>/g)].map(([, term, value]) => [term, value]));
const valueOf = (html: string, name: string) => new RegExp(`name="${name}" type="date" value="([^"]*)"`).exec(html)?.[1];

/** One chart's section: its SVG's root, its bars' names, and its table's rows (as text). */
function chartOf(html: string, id: string) {
  const section = new RegExp(`<section class="report-chart" aria-labelledby="${id}-title">[\\s\\S]*?</section>`).exec(html)?.[0];
  assert.ok(section, `the chart ${id} is shown`);
  const svg = /<svg [^>]*>/.exec(section)?.[0] ?? '';
  return {
    section,
    svg,
    description: decode(/aria-label="([^"]*)"/.exec(svg)?.[1] ?? ''),
    bars: [...section.matchAll(/<path aria-label="([^"]*)" role="graphics-symbol" aria-roledescription="bar"/g)].map(([, label]) => decode(label ?? '')),
    table: [...section.matchAll(/<tr><th scope="row">([\s\S]*?)<\/tr>/g)].map(([, row]) => [...`<th>${row}`.matchAll(/<t[hd][^>]*>([^<]*)<\/t[hd]>/g)].map(([, cell]) => decode(cell ?? ''))),
  };
}

describe("the curators' reports page", { timeout: 60_000 }, () => {
  let room: TestReadingRoom;
  let people: ReportHistory;
  let curator: FormBrowser;
  let admin: FormBrowser;
  let page = '';

  before(async () => {
    room = await startReadingRoom();
    people = await makeReportHistory(room);
    curator = await signedInBrowser(room.app, people.curator.email, people.curator.password);
    admin = await signedInBrowser(room.app, people.admin.email, people.admin.password);
    const answer = await curator.get(`/reports?${RANGE}`);
    assert.equal(answer.statusCode, 200, answer.body);
    page = answer.body;
  });
  after(() => room?.close());

  it("is in curators' and admins' navigation, and says the range's service figures", async () => {
    assert.match(page, /<h1>Reports<\/h1>/);
    assert.match(page, /<a href="\/reports" aria-current="page">Reports<\/a>/);
    assert.match(page, /From Monday 30 November 2026 to Sunday 31 January 2027, in every reading room\./);
    assert.deepEqual(factsOf(page), {
      Visits: '3 appointments attended',
      'No-show rate': '25% of the appointments due',
      // 3 ÷ (4 seats × 42 open days).
      'Seats used': '1.8% of the seats of the open days',
      'Minutes to deliver': '30 minutes from check-in to the first box (the median)',
      'Hold days': 'No box kept on the hold shelf',
    });
    const byAdmin = await admin.get(`/reports?${RANGE}`);
    assert.equal(byAdmin.statusCode, 200);
    assert.match(byAdmin.body, /<a href="\/reports" aria-current="page">Reports<\/a>/);
    assert.deepEqual(factsOf(byAdmin.body), factsOf(page));
  });

  it('draws three charts as SVG, each named by a description and each bar by its figures, with a table of the same numbers', () => {
    assert.doesNotMatch(page, /<script/i, 'the page runs no script: the charts are drawn on the server');
    const ids = [...page.matchAll(/\sid="([^"]+)"/g)].map(([, id]) => id);
    assert.deepEqual(ids.filter((id, i) => ids.indexOf(id) !== i), [], 'no two elements share an id');

    const uses = chartOf(page, 'chart-uses');
    assert.match(uses.svg, /^<svg id="chart-uses" role="graphics-document" aria-roledescription="chart" aria-label="/);
    assert.equal(uses.description, 'Bar chart of uses per month of visit, November 2026 to January 2027: 4 uses in all, the most in November 2026 (2 uses).');
    assert.deepEqual(uses.bars, ['November 2026: 2 uses', 'December 2026: 1 use', 'January 2027: 1 use']);
    assert.deepEqual(uses.table, [
      ['November 2026', '2', '3'],
      ['December 2026', '1', '2'],
      ['January 2027', '1', '1'],
    ]);
    assert.match(uses.section, /<figcaption>Uses per month: the requests delivered to the reading room at least once, by the month of their visit\.<\/figcaption>/);
    // Vega's own ARIA: each axis summed up, the bars' group a graphics-object.
    assert.match(uses.section, /role="graphics-symbol" aria-roledescription="axis" aria-label="X-axis titled 'Month of the visit' for a discrete scale with 3 values: Nov 2026, Dec 2026, Jan 2027"/);
    assert.match(uses.section, /role="graphics-object" aria-roledescription="rect mark container"/);

    const collections = chartOf(page, 'chart-collections');
    assert.equal(collections.description, 'Bar chart of the 2 collections used most, by uses: first GEN MSS 238 Victor Serge papers, with 3 uses.');
    assert.deepEqual(collections.bars, ['GEN MSS 238 Victor Serge papers: 3 uses, of 5 requests', `${MARKUP_LABEL}: 1 use, of 1 request`]);
    assert.deepEqual(collections.table, [
      ['GEN MSS 238 Victor Serge papers', '3', '5', '3'],
      [MARKUP_LABEL, '1', '1', '1'],
    ]);

    const noShows = chartOf(page, 'chart-no-shows');
    assert.equal(noShows.description, 'Bar chart of the no-show rate per month of visit: the highest in November 2026, 33.3% (1 of 3 requests due).');
    assert.deepEqual(noShows.bars, ['November 2026: 33.3%, 1 of 3 requests due', 'December 2026: 0%, 0 of 1 request due', 'January 2027: 0%, 0 of 1 request due']);
    assert.deepEqual(noShows.table, [
      ['November 2026', '33.3%', '1', '3'],
      // December's cancelled request was not due.
      ['December 2026', '0%', '0', '1'],
      ['January 2027', '0%', '0', '1'],
    ]);
    assert.match(noShows.section, /the requests that were no-shows ÷ the requests due \(neither cancelled nor denied\)/);

    // Every bar's number is its table row's.
    for (const chart of [uses, collections, noShows]) {
      chart.bars.forEach((bar, i) => assert.ok(bar.startsWith(`${chart.table[i]![0]}: ${chart.table[i]![1]}`), `${bar} and ${chart.table[i]!.join(', ')}`));
    }
  });

  it("a call number and a title with markup are text in the tables and in the SVG", () => {
    assert.ok(!page.includes(MARKUP_CALL_NUMBER) && !page.includes('<script>alert'), 'the markup is never in the page as markup');
    const escaped = 'MS &lt;b&gt;9&lt;/b&gt; Letters &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; drafts';
    assert.ok(page.includes(`<th scope="row">${escaped}</th>`), 'in the table');
    assert.ok(page.includes(`<path aria-label="${escaped}: 1 use, of 1 request"`), "in the bar's name");
    // The axis label is truncated to fit (labelLimit), escaped all the same.
    const labels = [...chartOf(page, 'chart-collections').section.matchAll(/<text [^>]*>([^<]*)<\/text>/g)].map(([, text]) => text ?? '');
    assert.ok(labels.some((l) => l.startsWith('MS &lt;b&gt;9&lt;/b&gt;')), labels.join(' | '));
  });

  it("links to the usage as CSV, one link a grouping, each the API's own CSV as an attachment", async () => {
    const links = [...page.matchAll(/<a href="(\/reports\/usage\.csv\?[^"]+)" download>([^<]*)<\/a>/g)].map(([, href, label]) => ({ href: decode(href ?? ''), label }));
    assert.deepEqual(
      links.map((l) => l.label),
      ['Usage by month (CSV)', 'Usage by collection (CSV)', 'Usage by container (CSV)', 'Usage by reading room (CSV)'],
    );
    for (const [i, groupBy] of (['month', 'collection', 'container', 'readingRoom'] as const).entries()) {
      assert.equal(links[i]?.href, `/reports/usage.csv?${RANGE}&groupBy=${groupBy}`);
      const csv = await curator.get(links[i]!.href);
      assert.equal(csv.statusCode, 200, csv.body);
      assert.equal(csv.headers['content-type'], 'text/csv; charset=utf-8');
      assert.equal(csv.headers['content-disposition'], `attachment; filename="usage-${groupBy}-${REPORT_RANGE.from}-${REPORT_RANGE.to}.csv"`);
      const api = await room.app.inject({ method: 'GET', url: `/api/v1/reports/usage?${RANGE}&groupBy=${groupBy}`, headers: { authorization: `Bearer ${people.curator.token}`, accept: 'text/csv' } });
      assert.equal(csv.body, api.body, `${groupBy}: the page's CSV is the API's`);
    }
    const months = await curator.get(`/reports/usage.csv?${RANGE}`);
    assert.equal(
      months.body,
      ['key,label,requests,uses,researchers,noShows,cancelled,denied', '2026-11,2026-11,3,2,2,1,0,0', '2026-12,2026-12,2,1,1,0,1,0', '2027-01,2027-01,1,1,1,0,0,0', ''].join('\r\n'),
      'by month when no grouping is named',
    );
    const inRoom = await curator.get(`/reports/usage.csv?${RANGE}&room=1&groupBy=collection`);
    assert.equal(inRoom.headers['content-disposition'], `attachment; filename="usage-collection-${REPORT_RANGE.from}-${REPORT_RANGE.to}-room-1.csv"`);
    assert.match(inRoom.body, /^key,label,/);
  });

  it("by default, the twelve months up to the room's today: with no request in them, no chart", async () => {
    const answer = await curator.get('/reports');
    assert.equal(answer.statusCode, 200);
    // Thanksgiving 2026 in New York, and 364 days before; the history's visits are all after it.
    assert.deepEqual([valueOf(answer.body, 'from'), valueOf(answer.body, 'to')], ['2025-11-27', '2026-11-26']);
    assert.match(answer.body, /<p>No requests in this range\.<\/p>/);
    assert.doesNotMatch(answer.body, /<svg|<figure/);
    assert.equal(factsOf(answer.body).Visits, '0 appointments attended');
    assert.equal(factsOf(answer.body)['No-show rate'], 'No visits due');
    // A cleared date field means the default.
    const cleared = await curator.get('/reports?from=&to=2026-11-26&room=');
    assert.equal(cleared.statusCode, 200);
    assert.equal(valueOf(cleared.body, 'from'), '2025-11-27');
  });

  it("a range the reports refuse is 400, its message on the page and the form as typed; so is a date that is not one", async () => {
    const backwards = await curator.get(`/reports?from=${REPORT_RANGE.to}&to=${REPORT_RANGE.from}&room=1`);
    assert.equal(backwards.statusCode, 400);
    assert.equal(problemOf(backwards.body), 'The range ends (Monday 30 November 2026) before it starts (Sunday 31 January 2027).');
    assert.deepEqual([valueOf(backwards.body, 'from'), valueOf(backwards.body, 'to')], [REPORT_RANGE.to, REPORT_RANGE.from]);
    assert.match(backwards.body, /<option value="1" selected>Reading Room<\/option>/);
    assert.doesNotMatch(backwards.body, /<svg|<dl class="facts">|usage\.csv/);

    const long = await curator.get('/reports?from=2024-01-01&to=2027-01-31');
    assert.equal(long.statusCode, 400);
    assert.equal(problemOf(long.body), 'A report may cover at most 1100 days; Monday 1 January 2024 to Sunday 31 January 2027 covers 1127.');

    const notADate = await curator.get('/reports?from=2026-02-30&to=2027-01-31');
    assert.equal(notADate.statusCode, 400);
    assert.equal(problemOf(notADate.body), 'Give the first day as a date, such as 2026-11-30.');
    assert.equal(valueOf(notADate.body, 'from'), '2026-02-30');

    const csv = await curator.get(`/reports/usage.csv?from=${REPORT_RANGE.to}&to=${REPORT_RANGE.from}`);
    assert.equal(csv.statusCode, 400);
    assert.match(String(csv.headers['content-type']), /^text\/html/);
    assert.match(csv.body, /The range ends \(Monday 30 November 2026\) before it starts/);
  });

  it('staff and researchers get the page that says no; without a session, the way to sign in', async () => {
    for (const person of [people.staff, people.researcher]) {
      const browser = await signedInBrowser(room.app, person.email, person.password);
      for (const url of [`/reports?${RANGE}`, `/reports/usage.csv?${RANGE}`]) {
        const answer = await browser.get(url);
        assert.equal(answer.statusCode, 403, `${person.role} ${url}`);
        assert.match(answer.body, /not open to your role/);
        assert.ok(!answer.body.includes('Victor Serge'), 'and no figure');
      }
      assert.doesNotMatch((await browser.get('/collections')).body, /Reports<\/a>/, `not in the ${person.role}'s navigation`);
    }
    for (const url of [`/reports?${RANGE}`, `/reports/usage.csv?${RANGE}`]) {
      const answer = await room.app.inject({ method: 'GET', url, headers: { accept: 'text/html' } });
      assert.equal(answer.statusCode, 303, url);
      assert.match(String(answer.headers.location), /^\/sign-in/);
    }
  });

  it("one room: its figures; a room with no request in the range says so; an unknown room is 404, a room that is not an id 400", async () => {
    const first = await curator.get(`/reports?${RANGE}&room=1`);
    assert.equal(first.statusCode, 200);
    assert.match(first.body, /in Reading Room\./);
    assert.deepEqual(chartOf(first.body, 'chart-uses').table, chartOf(page, 'chart-uses').table);
    assert.match(first.body, /usage\.csv\?from=2026-11-30&amp;to=2027-01-31&amp;room=1&amp;groupBy=month/);

    const second = ok(await people.admin.call('POST', '/api/v1/reading-rooms', { code: 'MSSA', name: 'Manuscripts and Archives', timezone: 'America/New_York' }), 201) as { id: number };
    const empty = await curator.get(`/reports?${RANGE}&room=${second.id}`);
    assert.equal(empty.statusCode, 200);
    assert.match(empty.body, /<p>No requests in this range\.<\/p>/);
    assert.doesNotMatch(empty.body, /<svg/);
    assert.equal(factsOf(empty.body)['Seats used'], 'Not counted: unlimited seats');
    // Every room: one of them has unlimited seats.
    assert.equal(factsOf((await curator.get(`/reports?${RANGE}`)).body)['Seats used'], 'Not counted: unlimited seats');

    const unknown = await curator.get(`/reports?${RANGE}&room=999`);
    assert.equal(unknown.statusCode, 404);
    assert.match(unknown.body, /There is no reading room 999\./);
    const garbled = await curator.get(`/reports?${RANGE}&room=first`);
    assert.equal(garbled.statusCode, 400);
    assert.equal(problemOf(garbled.body), 'Choose a reading room from the list.');
  });
});
