import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromiumMissing, launchChromium, PageChecks, signInPage } from '../helpers/browser.ts';
import { startLiveSystem, type LiveSystem } from '../helpers/live-system.ts';
import { makeAccount, PASSWORD } from '../helpers/people.ts';

// A day in the reading room in a real headless Chromium, on today's date, as its three kinds of
// people live it: a researcher registers, confirms the address through the mail, requests Box 1
// and Box 23; a curator approves Box 23; staff print the pick list, check the researcher's photo
// ID, deliver, take back and reshelve. Every page is checked with axe-core and photographed into
// test-output/screenshots/.

const people = {
  staff: { email: 'desk@example.org', name: 'Dana Desk', role: 'staff' as const },
  curator: { email: 'curator@example.org', name: 'Carla Curator', role: 'curator' as const },
  admin: { email: 'admin@example.org', name: 'Ada Admin', role: 'admin' as const },
};

let system: LiveSystem;
let browser: Browser;
const pages = new PageChecks();
const look = (page: Page, name: string) => pages.look(page, name);

const signIn = (context: BrowserContext, email: string): Promise<Page> => signInPage(context, system.baseUrl, email, PASSWORD);

describe('a day in the reading room, in a browser', { skip: chromiumMissing, timeout: 240_000 }, () => {
  let visitDate = '';

  before(async () => {
    system = await startLiveSystem();
    for (const { role, email, name } of Object.values(people)) await makeAccount(system.pipeline.db, role, { email, name });
    browser = await launchChromium();
    const calendar = (await (await fetch(`${system.baseUrl}/api/v1/calendar`)).json()) as { earliestVisitDate: string };
    visitDate = calendar.earliestVisitDate;
  });
  after(async () => {
    await browser?.close();
    await system?.close();
  });

  it('a researcher registers, confirms the address from the mail, and signs in', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(system.baseUrl);
    await look(page, '01-front-page');
    await page.getByRole('link', { name: 'Register', exact: true }).first().click();
    await page.getByLabel('Your name').fill('Rosa Reader');
    await page.getByLabel('E-mail address').fill('rosa@example.org');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByLabel(/Affiliation/).fill('Université de Montréal');
    await page.getByLabel(/Research topic/).fill('Serge in Mexico, 1941-1947');
    await look(page, '02-register');
    await page.getByRole('button', { name: 'Register' }).click();
    await page.getByRole('heading', { name: 'Check your mail' }).waitFor();
    await look(page, '03-check-your-mail');

    const [mail] = await system.smtp.waitFor(1);
    const link = /verify-email\?token=([\w-]+)/.exec(mail?.text ?? '');
    assert.ok(link, 'the verification mail carries its link');
    await page.goto(`${system.baseUrl}/verify-email?token=${link[1]}`);
    await look(page, '04-confirm-address');
    await page.getByRole('button', { name: 'Confirm my e-mail address' }).click();
    await page.getByRole('heading', { name: 'Your address is confirmed' }).waitFor();

    const signedIn = await signIn(context, 'rosa@example.org');
    assert.match(signedIn.url(), /\/requests$/);
    await look(signedIn, '05-my-requests-empty');
    await context.close();
  });

  it('she requests Box 1 and Box 23: Box 1 is scheduled, Box 23 awaits a curator', async () => {
    const context = await browser.newContext();
    const page = await signIn(context, 'rosa@example.org');
    await page.goto(`${system.baseUrl}/collections/1`);
    await look(page, '06-collection');
    assert.equal(await page.getByLabel('Visit date').inputValue(), visitDate, 'the earliest visit date is offered first');
    await page.getByRole('checkbox', { name: /^Box 1\b/ }).check();
    await page.getByRole('checkbox', { name: /^Box 23\b/ }).check();
    await page.getByRole('button', { name: /Request the selected boxes/ }).click();
    // Box 23 is restricted and has a reference copy: the copy is offered first.
    await page.getByRole('heading', { name: 'A copy of Box 23 may do' }).waitFor();
    await look(page, '06b-surrogate-first');
    await page.getByLabel('Why do you need the original?').fill('The annotations in the margins.');
    await page.getByRole('button', { name: /Request the original/ }).click();
    await page.waitForURL(/\/requests/);
    await look(page, '07-requests-submitted');
    const text = await page.locator('main').innerText();
    assert.match(text, /Box 1[\s\S]*scheduled/i);
    assert.match(text, /Box 23[\s\S]*awaiting a curator's approval/i);
    await context.close();
  });

  it("a curator approves Box 23 from the review queue, reading the researcher's topic", async () => {
    const context = await browser.newContext();
    const page = await signIn(context, people.curator.email);
    assert.match(page.url(), /\/review$/);
    await look(page, '08-review-queue');
    assert.match(await page.locator('main').innerText(), /Serge in Mexico, 1941-1947/);
    await page.getByLabel(/Note to the researcher/).first().fill('Please use the reference surrogates first.');
    await page.getByRole('button', { name: 'Approve' }).first().click();
    await page.waitForURL(/done=scheduled/);
    await look(page, '09-approved');
    await context.close();
  });

  it('staff print the pick list, check the photo ID at the desk, deliver, take back and reshelve', async () => {
    const context = await browser.newContext();
    const page = await signIn(context, people.staff.email);
    await page.goto(`${system.baseUrl}/paging?date=${visitDate}`);
    await look(page, '10-pick-list');
    const rows = page.locator('table.staff-sheet tbody tr');
    assert.ok((await rows.count()) >= 2, 'Box 1 and Box 23 are on the pick list');

    await page.goto(`${system.baseUrl}/paging/print?date=${visitDate}`);
    await page.emulateMedia({ media: 'print' });
    await look(page, '11-printable-pick-list');
    await page.emulateMedia({ media: 'screen' });
    const slips = await context.request.get(`${system.baseUrl}/paging/call-slips.pdf?date=${visitDate}`);
    assert.equal(slips.status(), 200);
    assert.equal(slips.headers()['content-type'], 'application/pdf');
    assert.equal((await slips.body()).subarray(0, 4).toString(), '%PDF');

    await page.goto(`${system.baseUrl}/paging?date=${visitDate}`);
    const box1 = (label: string) => page.getByRole('button', { name: new RegExp(`^${label}: Box 1,`) });
    await box1('Paged').click();
    await page.waitForLoadState('domcontentloaded');
    await box1('Deliver').click();
    await page.getByText(/IDENTITY_NOT_VERIFIED/).waitFor();
    await look(page, '12-delivery-refused');

    await page.goto(`${system.baseUrl}/desk?q=Rosa`);
    await look(page, '13-desk');
    await page.getByLabel('Document seen').selectOption('passport');
    await page.getByRole('button', { name: 'Record the ID check' }).click();
    await page.waitForLoadState('domcontentloaded');

    await page.goto(`${system.baseUrl}/paging?date=${visitDate}`);
    for (const move of ['Deliver', 'Take back', 'Reshelved']) {
      await box1(move).click();
      await page.waitForLoadState('domcontentloaded');
    }
    await look(page, '14-after-reshelving');
    const history = (await (await context.request.get(`${system.baseUrl}/desk/requests/1`)).text()).replace(/<[^>]+>/g, ' ');
    assert.match(history, /reshelved/i);
    await context.close();
  });

  it('an admin finds closures, accounts and the queue dashboard in the browser session', async () => {
    const context = await browser.newContext();
    const page = await signIn(context, people.admin.email);
    await look(page, '15-admin');
    const dashboard = await page.goto(`${system.baseUrl}/admin/queues`);
    assert.equal(dashboard?.status(), 200);
    await context.close();
  });

  it('works from the keyboard alone: signing in with Tab and Enter', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${system.baseUrl}/sign-in`);
    await page.keyboard.press('Tab'); // the skip link comes first
    assert.equal(await page.evaluate('document.activeElement?.textContent'), 'Skip to the content');
    await page.getByLabel('E-mail address').focus();
    await page.keyboard.type(people.staff.email);
    await page.keyboard.press('Tab');
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/paging$/);
    await context.close();
  });

  it("fits a phone at the desk: the day's sheet in a 390-pixel window", async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await signIn(context, people.staff.email);
    await page.goto(`${system.baseUrl}/paging?date=${visitDate}`);
    await look(page, '16-pick-list-on-a-phone');
    const overflow = (await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')) as number;
    assert.ok(overflow <= 1, `the page scrolls sideways by ${overflow} px`);
    await context.close();
  });

  it('every page visited has no serious or critical accessibility violation (axe-core, WCAG 2.2 AA)', () => {
    assert.ok(pages.checked.size >= 14, `only ${pages.checked.size} pages were checked`);
    const problems = pages.problems();
    assert.deepEqual(problems, []);
  });
});
