import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { updateRoom } from '../../src/reading-rooms/store.ts';
import { chromiumMissing, launchChromium, PageChecks, signInPage } from '../helpers/browser.ts';
import { startLiveSystem, type LiveSystem } from '../helpers/live-system.ts';
import { makeAccount, PASSWORD } from '../helpers/people.ts';

// Planning a visit on a phone, in a real headless Chromium on today's date: a researcher opens the
// planner at 390×844, goes to next month, reads the seats left and why a day is closed, books the
// first day with a seat, and finds it on My appointments. Nothing may scroll sideways; each page is checked with
// axe-core and photographed.

let system: LiveSystem;
let browser: Browser;
const pages = new PageChecks();

async function look(page: Page, name: string): Promise<void> {
  // A string, evaluated in the page: the tests are compiled without the DOM's types.
  const [content, viewport] = (await page.evaluate('[document.documentElement.scrollWidth, window.innerWidth]')) as [number, number];
  assert.ok(content <= viewport, `${name}: the page is ${content}px wide in a ${viewport}px screen`);
  await pages.look(page, name);
}

describe('planning a visit on a phone, in a browser', { skip: chromiumMissing, timeout: 240_000 }, () => {
  before(async () => {
    system = await startLiveSystem();
    await updateRoom(system.pipeline.db, 1, { seats: 3 });
    await makeAccount(system.pipeline.db, 'researcher', { email: 'petra@example.org', name: 'Petra Phone' });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await system?.close();
  });

  it('a researcher sees the seats left and why a day is closed, books the first day with a seat, and finds it among their appointments', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const page = await signInPage(context, system.baseUrl, 'petra@example.org', PASSWORD);
    await page.getByRole('link', { name: 'Plan a visit', exact: true }).click();
    await page.getByRole('heading', { name: /^Plan a visit:/ }).waitFor();
    assert.ok((await page.locator('li.visit-day').count()) >= 28, 'every day of the month is shown');
    // The next month is always within the booking horizon, and has weekends and days with a seat.
    await page.getByRole('link', { name: /^Next month/ }).click();
    await page.waitForLoadState('domcontentloaded');
    await look(page, 'visit-01-planner');
    assert.match(await page.locator('li.visit-closed').first().innerText(), /Closed( on [A-Z][a-z]+days|: .+)/);
    const firstOpen = page.locator('li.visit-bookable').first();
    assert.match(await firstOpen.innerText(), /Open: 3 seats left/);
    const date = ((await firstOpen.getAttribute('id')) ?? '').replace('day-', '');
    await firstOpen.getByRole('button', { name: /^Book this day/ }).click();
    await page.waitForURL(/\/appointments\?booked=\d+$/);
    await look(page, 'visit-02-booked');
    const said = await page.getByRole('status').innerText();
    assert.match(said, /^Booked: .+ on [A-Z][a-z]+day \d{1,2} [A-Z][a-z]+ \d{4}\./);
    const visit = page.locator('li[id^="appointment-"]').first();
    assert.match(await visit.innerText(), /booked/);
    assert.ok(await visit.getByRole('link', { name: /Add to my calendar/ }).isVisible());

    await page.getByRole('link', { name: 'Plan a visit', exact: true }).click();
    await page.getByRole('link', { name: /^Next month/ }).click();
    await page.waitForLoadState('domcontentloaded');
    const booked = page.locator(`#day-${date}`);
    assert.match(await booked.innerText(), /Open: 2 seats left[\s\S]*Your appointment: booked/);
    await look(page, 'visit-03-planner-with-the-booking');
    await context.close();
  });

  it('every page visited has no serious or critical accessibility violation (axe-core, WCAG 2.2 AA)', () => {
    assert.equal(pages.checked.size, 3);
    const problems = pages.problems();
    assert.deepEqual(problems, []);
  });
});
