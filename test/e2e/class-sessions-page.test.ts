import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { chromiumMissing, launchChromium, PageChecks, signInPage } from '../helpers/browser.ts';
import { makePerson, type Person } from '../helpers/people.ts';
import { startReadingRoom, type TestReadingRoom } from '../helpers/reading-room.ts';

// The desk's class sessions in a real headless Chromium: a member of staff opens Class sessions
// from the navigation, chooses a collection, ticks its boxes and books a class (on Thanksgiving
// morning, the first date the room's five days' notice allows is Thursday 3 December); the day's
// sheet then names the class; a curator cancels it. Every page is checked with axe-core and
// photographed, on a desk's screen and on a phone.

let room: TestReadingRoom;
let staff: Person;
let curator: Person;
let baseUrl = '';
let browser: Browser;
const pages = new PageChecks();

describe('class sessions, in a browser', { skip: chromiumMissing, timeout: 240_000 }, () => {
  before(async () => {
    room = await startReadingRoom();
    staff = await makePerson(room, 'staff', 'Sam Stacks');
    curator = await makePerson(room, 'curator', 'Clara Curator');
    baseUrl = await room.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await room?.close();
  });

  it('staff book a class with three boxes through the form; the sheet of its day names the class', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await signInPage(context, baseUrl, staff.email, staff.password);
    await page.getByRole('link', { name: 'Class sessions', exact: true }).click();
    await page.getByRole('heading', { name: 'Class sessions', level: 1 }).waitFor();
    await pages.look(page, 'class-sessions-01-empty');

    await page.getByLabel('First, the collection of the boxes').selectOption({ label: 'GEN MSS 238: Victor Serge papers' });
    await page.getByRole('button', { name: 'Show its boxes' }).click();
    for (const box of ['Box 3', 'Box 5', 'Box 24']) await page.getByLabel(box, { exact: true }).check();
    await page.getByLabel('Date').fill('2026-12-03');
    await page.getByLabel('Starts').fill('10:00');
    await page.getByLabel('Ends').fill('11:30');
    await page.getByLabel('Title of the class').fill('Exile and revolution: reading Serge');
    await page.getByLabel('Instructor’s name').fill('Dr Ana Reyes');
    await page.getByLabel('Instructor’s e-mail').fill('ana.reyes@example.edu');
    await page.getByLabel('Students').fill('14');
    await pages.look(page, 'class-sessions-02-form-filled');
    await page.getByRole('button', { name: 'Book the class session' }).click();
    await page.getByText('Booked: the class session “Exile and revolution: reading Serge”').waitFor();
    const section = page.locator('section[id^="class-"]').first();
    assert.match(await section.innerText(), /Box 24[\s\S]*Awaiting a curator’s approval/);
    await pages.look(page, 'class-sessions-03-booked');

    await page.goto(`${baseUrl}/paging?date=2026-12-03`);
    assert.ok(await page.getByRole('link', { name: 'Class: Exile and revolution: reading Serge' }).first().isVisible());
    await pages.look(page, 'class-sessions-04-sheet');
    await context.close();
  });

  it('a curator cancels it, on a phone', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const page = await signInPage(context, baseUrl, curator.email, curator.password);
    await page.goto(`${baseUrl}/desk/class-sessions`);
    await page.getByRole('button', { name: /Cancel the class/ }).first().click();
    await page.getByText('Cancelled: the class session “Exile and revolution: reading Serge”').waitFor();
    const [content, viewport] = (await page.evaluate('[document.documentElement.scrollWidth, window.innerWidth]')) as [number, number];
    assert.ok(content <= viewport, `the page is ${content}px wide in a ${viewport}px screen`);
    await pages.look(page, 'class-sessions-05-cancelled-phone');
    await context.close();
  });

  it('every page looked at has no serious or critical accessibility violation (axe-core, WCAG 2.2 AA)', () => {
    assert.equal(pages.checked.size, 5);
    assert.deepEqual(pages.problems(), []);
  });
});
