import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { chromiumMissing, launchChromium, PageChecks, signInPage } from '../helpers/browser.ts';
import { startReadingRoom, type TestReadingRoom } from '../helpers/reading-room.ts';
import { makeReportHistory, REPORT_RANGE, type ReportHistory } from '../helpers/report-history.ts';

// The curators' reports in a real headless Chromium, over the small history of
// test/helpers/report-history.ts: a curator opens Reports from the navigation, asks for the
// history's range, reads the three charts (SVG drawn on the server) and opens their tables,
// downloads a CSV, and types a range that ends before it starts. The same page on a phone does not
// scroll sideways. Every page is checked with axe-core, the charts' SVG included, and photographed.

let room: TestReadingRoom;
let people: ReportHistory;
let baseUrl = '';
let browser: Browser;
const pages = new PageChecks();

/** Looks at the page with every chart's table open, so that axe-core reads the tables too. */
async function look(page: Page, name: string): Promise<void> {
  for (const details of await page.locator('section.report-chart details').all()) {
    if ((await details.getAttribute('open')) === null) await details.locator('summary').click();
  }
  const [content, viewport] = (await page.evaluate('[document.documentElement.scrollWidth, window.innerWidth]')) as [number, number];
  assert.ok(content <= viewport, `${name}: the page is ${content}px wide in a ${viewport}px screen`);
  await pages.look(page, name);
}

describe("the curators' reports, in a browser", { skip: chromiumMissing, timeout: 240_000 }, () => {
  before(async () => {
    room = await startReadingRoom();
    people = await makeReportHistory(room);
    baseUrl = await room.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await room?.close();
  });

  it('a curator reads the charts of a range, opens their tables and downloads the usage by collection', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await signInPage(context, baseUrl, people.curator.email, people.curator.password);
    await page.getByRole('link', { name: 'Reports', exact: true }).click();
    await page.getByRole('heading', { name: 'Reports', level: 1 }).waitFor();
    // The default range (the twelve months up to the injected today) has none of the history's visits.
    assert.ok(await page.getByText('No requests in this range.').isVisible());
    await look(page, 'reports-01-no-requests');

    await page.getByLabel('From', { exact: true }).fill(REPORT_RANGE.from);
    await page.getByLabel('To', { exact: true }).fill(REPORT_RANGE.to);
    await page.getByRole('button', { name: 'Show the reports' }).click();
    await page.getByRole('heading', { name: 'Uses per month' }).waitFor();
    const charts = page.locator('svg[role="graphics-document"]');
    assert.equal(await charts.count(), 3);
    for (const chart of await charts.all()) {
      assert.ok(await chart.isVisible());
      const box = await chart.boundingBox();
      assert.ok(box && box.width > 200 && box.height > 80, `a chart is drawn at a readable size (${JSON.stringify(box)})`);
    }
    assert.match((await charts.first().getAttribute('aria-label')) ?? '', /^Bar chart of uses per month of visit, November 2026 to January 2027: 4 uses in all/);
    await look(page, 'reports-02-charts-and-tables');
    const table = page.getByRole('table', { name: 'Uses per month' });
    assert.ok(await table.isVisible(), 'the table opens');
    assert.equal(await table.getByRole('row', { name: /November 2026/ }).innerText(), 'November 2026\t2\t3');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Usage by collection (CSV)' }).click()]);
    assert.equal(download.suggestedFilename(), `usage-collection-${REPORT_RANGE.from}-${REPORT_RANGE.to}.csv`);
    const csv = await readFile(await download.path(), 'utf8');
    assert.match(csv, /^key,label,requests,uses,researchers,noShows,cancelled,denied\r\n1,GEN MSS 238 Victor Serge papers,5,3,3,1,1,0\r\n/);

    await page.getByLabel('From', { exact: true }).fill(REPORT_RANGE.to);
    await page.getByLabel('To', { exact: true }).fill(REPORT_RANGE.from);
    await page.getByRole('button', { name: 'Show the reports' }).click();
    await page.getByRole('alert').waitFor();
    assert.equal(await page.getByRole('alert').innerText(), 'The range ends (Monday 30 November 2026) before it starts (Sunday 31 January 2027).');
    assert.equal(await page.getByLabel('From', { exact: true }).inputValue(), REPORT_RANGE.to, 'the form as typed');
    await look(page, 'reports-03-refused');
    await context.close();
  });

  it('on a phone, the charts fit the screen', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const page = await signInPage(context, baseUrl, people.curator.email, people.curator.password);
    await page.goto(`${baseUrl}/reports?from=${REPORT_RANGE.from}&to=${REPORT_RANGE.to}`);
    await page.getByRole('heading', { name: 'Uses per month' }).waitFor();
    for (const chart of await page.locator('svg[role="graphics-document"]').all()) {
      const box = await chart.boundingBox();
      assert.ok(box && box.width <= 390, `a chart fits the screen (${JSON.stringify(box)})`);
    }
    await look(page, 'reports-04-phone');
    await context.close();
  });

  it('every page looked at has no serious or critical accessibility violation (axe-core, WCAG 2.2 AA), the charts included', () => {
    assert.equal(pages.checked.size, 4);
    assert.deepEqual(pages.problems(), []);
  });
});
