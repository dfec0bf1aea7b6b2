import * as fs from 'node:fs';
import * as path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { type Browser, type Page, chromium } from 'playwright-core';
import { chromiumPath } from './chromium-path';
import { queryApi } from './query-client';
import { TEST_CREDENTIALS } from './test-app';
import { toolsRequired } from './required-tools';

const found = chromiumPath();
/** Where a browser test runs: everywhere Chromium is, and under CI always (it fails there without one). */
export const describeInBrowser = found || toolsRequired || process.env.CI === 'true' ? describe : describe.skip;
if (!found && !(toolsRequired || process.env.CI === 'true')) {
  // Loud on purpose: a skipped tier must not look like a passed one.
  console.warn(
    '\n*** BROWSER TIER SKIPPED: no Chromium found. Install it (apt-get install chromium) or set CHROMIUM_PATH. ***\n',
  );
}

export async function launchBrowser(): Promise<Browser> {
  if (!found) throw new Error('no Chromium: install it (apt-get install chromium) or set CHROMIUM_PATH');
  // As root (CI), Chromium's sandbox cannot start.
  return chromium.launch({ executablePath: found, headless: true, args: ['--no-sandbox'] });
}

const SCREENSHOTS = path.resolve(__dirname, '..', '..', 'test-results', 'browser');

/**
 * A browser test on a page of its own: the page's console errors fail it (a CSP refusal shows
 * there), and on any failure a screenshot is saved in test-results/browser.
 */
export function inPage(browser: () => Browser, name: string, body: (page: Page) => Promise<void>, timeout = 60_000) {
  it(
    name,
    async () => {
      // A context of its own: no cookie or storage from another test (and axe needs one).
      // Reduced motion: Cloudscape then skips its transitions, so accessibility checks never see a
      // half-faded element (a flash caught fading in once failed the colour-contrast rule).
      const context = await browser().newContext({ viewport: { width: 1400, height: 900 }, reducedMotion: 'reduce' });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('console', (message) => {
        // An error answer (AWS's 400s, a 401 before sign-in) is part of the tests; anything else is not.
        if (message.type() === 'error' && !/status of 4\d\d/.test(message.text())) errors.push(message.text());
      });
      page.on('pageerror', (error) => errors.push(error.message));
      try {
        await body(page);
        expect(errors).toEqual([]);
      } catch (failure) {
        fs.mkdirSync(SCREENSHOTS, { recursive: true });
        const file = path.join(SCREENSHOTS, `${name.replace(/[^A-Za-z0-9]+/g, '-').slice(0, 100)}.png`);
        await page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
        throw failure;
      } finally {
        await context.close();
      }
    },
    timeout,
  );
}

/** Saves what the page shows now in test-results/browser/<name>.png (the README's screenshot comes from here). */
export async function keepScreenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
}

/** axe's serious and critical violations on the page as it is now. */
export async function seriousViolations(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

/**
 * Waits until the query API's temporal model lists at least `count` aliases in `region`: the key
 * tables read the aliases there, a few milliseconds behind calls made outside the console.
 */
export async function aliasesApplied(url: string, region: string, count: number): Promise<void> {
  for (let tries = 0; tries < 200; tries++) {
    const { body } = await queryApi(url, `/api/regions/${region}/aliases?limit=1000`);
    if (((body as { aliases?: unknown[] }).aliases?.length ?? 0) >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`the temporal model never listed ${count} aliases in ${region}`);
}

/** Signs in through the sign-in page with an access key and its secret. */
export async function signInThroughPage(page: Page, url: string, accessKeyId: string, secretAccessKey: string) {
  await page.goto(`${url}/console/sign-in`);
  await page.getByLabel('Access key ID').fill(accessKeyId);
  await page.getByLabel('Secret access key').fill(secretAccessKey);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Signs in (as the test principal unless told otherwise), then opens a console URL (path and query). */
export async function signInAndOpen(
  page: Page,
  url: string,
  pathAndQuery: string,
  who: { accessKeyId: string; secretAccessKey: string } = TEST_CREDENTIALS,
): Promise<void> {
  await signInThroughPage(page, url, who.accessKeyId, who.secretAccessKey);
  await page.waitForURL(/\/console\/keys/);
  await page.goto(`${url}${pathAndQuery}`);
}
