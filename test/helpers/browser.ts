import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium, which .ci/run installs (`apt-get install chromium`). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const chromiumMissing = existsSync(CHROMIUM) ? false : `Chromium is not installed at ${CHROMIUM} (apt-get install chromium)`;

/** Where screenshots go: a test output folder, never committed. */
export const SCREENSHOTS = join(process.cwd(), 'test-output', 'screenshots');

export function launchChromium(): Promise<Browser> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    // This machine's network is closed: without these, Chromium keeps reaching for Google's hosts.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** axe-core's WCAG 2.x A and AA rules on the page: no serious or critical violation. */
export async function accessibilityProblems(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join('; ')}`);
}

/**
 * The pages a browser test looked at: each photographed and checked with axe-core as it is seen
 * (`look`), the problems of all of them asserted once at the end (`problems`).
 */
export class PageChecks {
  readonly checked = new Map<string, string[]>();

  async look(page: Page, name: string): Promise<void> {
    await screenshot(page, name);
    this.checked.set(name, await accessibilityProblems(page));
  }

  /** Every problem found, named by its page. */
  problems(): string[] {
    return [...this.checked].flatMap(([name, found]) => found.map((p) => `${name}: ${p}`));
  }
}

/** A new page of `context`, signed in through the sign-in form as `email`. */
export async function signInPage(context: BrowserContext, baseUrl: string, email: string, password: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${baseUrl}/sign-in`);
  await page.getByLabel('E-mail address').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForLoadState('domcontentloaded');
  return page;
}
