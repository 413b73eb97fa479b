import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromiumMissing, launchChromium, PageChecks, signInPage } from '../helpers/browser.ts';
import { eadDocument, fileComponent, seriesComponent } from '../helpers/ead-documents.ts';
import { startLiveSystem, type LiveSystem } from '../helpers/live-system.ts';
import { pdfText } from '../helpers/pdf-text.ts';
import { makeAccount, PASSWORD, signIn as apiSignIn } from '../helpers/people.ts';

// A finding aid in a real headless Chromium: an admin imports it; a researcher searches, follows
// a hit into the collection page's tree, opens a series, checks a folder and requests it; staff
// find the folder on the box's call slip. Pages are checked with axe-core and photographed.

const box = (n: number, folder: string) => `<container type="Box">${n}</container><container type="Folder">${folder}</container>`;
const findingAid = eadDocument({
  callNumber: 'MS 400',
  eadId: 'ms-400',
  title: 'Papers of Laurette Séjourné',
  dsc:
    seriesComponent('s1', 'Correspondence', fileComponent('f1', 'Letters from Oaxaca', box(1, '2')) + fileComponent('f2', 'Letters from Teotihuacan', box(1, '3'))) +
    seriesComponent('s2', 'Photographs', fileComponent('f3', 'Excavation photographs', box(2, '1'))),
});

let system: LiveSystem;
let browser: Browser;
const pages = new PageChecks();
const look = (page: Page, name: string) => pages.look(page, name);

const signIn = (context: BrowserContext, email: string): Promise<Page> => signInPage(context, system.baseUrl, email, PASSWORD);

describe('requesting a folder from a finding aid, in a browser', { skip: chromiumMissing, timeout: 240_000 }, () => {
  let visitDate = '';

  before(async () => {
    system = await startLiveSystem();
    const admin = await makeAccount(system.pipeline.db, 'admin');
    await makeAccount(system.pipeline.db, 'researcher', { email: 'laura@example.org', name: 'Laura Reader' });
    await makeAccount(system.pipeline.db, 'staff', { email: 'stacks@example.org', name: 'Sam Stacks' });
    const token = await apiSignIn(system.app, admin.email);
    const imported = await fetch(`${system.baseUrl}/api/v1/collections/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/xml' },
      body: findingAid,
    });
    assert.equal(imported.status, 201, await imported.text());
    browser = await launchChromium();
    visitDate = ((await (await fetch(`${system.baseUrl}/api/v1/calendar`)).json()) as { earliestVisitDate: string }).earliestVisitDate;
  });
  after(async () => {
    await browser?.close();
    await system?.close();
  });

  it('a researcher searches, opens the hit in the tree, and requests the folder', async () => {
    const context = await browser.newContext();
    const page = await signIn(context, 'laura@example.org');
    await page.getByRole('link', { name: 'Search', exact: true }).click();
    await page.getByLabel('Words to look for').fill('teotihuacan');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('heading', { name: 'Results' }).waitFor();
    await look(page, 'fa-01-search-results');
    await page.getByRole('link', { name: 'Letters from Teotihuacan' }).click();
    await page.waitForLoadState('domcontentloaded');
    await look(page, 'fa-02-tree-at-the-hit');
    const folder = page.getByRole('checkbox', { name: 'Letters from Teotihuacan' });
    assert.equal(await folder.isChecked(), false, 'a search hit is shown, not chosen');

    // Opening another series keeps the folder checked: the form goes back to the page.
    await folder.check();
    await page.getByRole('button', { name: /Open Photographs/ }).click();
    await page.waitForLoadState('domcontentloaded');
    assert.equal(await page.getByRole('checkbox', { name: 'Letters from Teotihuacan' }).isChecked(), true);
    assert.ok(await page.getByRole('checkbox', { name: 'Excavation photographs' }).isVisible());
    await look(page, 'fa-03-two-branches-open');

    await page.getByRole('button', { name: /Request the selected folders and boxes/ }).click();
    await page.waitForURL(/\/requests\?submitted=/);
    await look(page, 'fa-04-requested');
    assert.match(await page.locator('main').innerText(), /Box 1[\s\S]*scheduled[\s\S]*Letters from Teotihuacan \(Folder 3\)/);
    await context.close();
  });

  it("staff find the folder on the box's call slip", async () => {
    const context = await browser.newContext();
    await signIn(context, 'stacks@example.org');
    const slips = await context.request.get(`${system.baseUrl}/paging/call-slips.pdf?date=${visitDate}`);
    assert.equal(slips.status(), 200);
    assert.match(pdfText(await slips.body()), /Folders[\s\S]*Letters from Teotihuacan \(Folder 3\)/);
    await context.close();
  });

  it('every page visited has no serious or critical accessibility violation (axe-core, WCAG 2.2 AA)', () => {
    assert.equal(pages.checked.size, 4);
    const problems = pages.problems();
    assert.deepEqual(problems, []);
  });
});
