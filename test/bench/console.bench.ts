import * as fs from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { type Page, chromium } from 'playwright-core';
import { chromiumPath } from '../support/chromium-path';
import type { BenchDatabase } from './bench-database';
import { type RunningService, startAliastrail } from './bench-services';
import { SignedKmsClient } from './signed-client';

const CREDENTIALS = {
  accessKeyId: 'AKIABENCHCONSOLE0001',
  secretAccessKey: 'bench-console-secret-bench-console-0001',
  accountId: '210987654321',
};
/** A Region of its own: the other parts run on the same database. */
const REGION = 'ca-central-1';
const KEYS = 1_000;
const ALIASES = 3_000;
const SAMPLES = 5;

export interface Timing {
  readonly medianMs: number;
  readonly maxMs: number;
  readonly samplesMs: readonly number[];
}

export interface ConsoleReport {
  readonly keys: number;
  readonly aliases: number;
  readonly seedSeconds: number;
  /** The JavaScript the sign-in page loads (its first load), gzipped as the service sends it. */
  readonly firstLoadJsGzipBytes: number;
  readonly firstLoadJsFiles: readonly string[];
  /** Navigation to the key table until its first page shows every key's aliases. */
  readonly keyTableRows: Timing;
  /** … until the first page's keys are described too (status, spec, usage). */
  readonly keyTableDescribed: Timing;
  /** Baseline: one signed ListAliases call of 1,000 aliases. */
  readonly oneCall: Timing;
  /** From the key table, "(+n more)" until the key's Aliases tab lists them. */
  readonly aliasesTab: Timing;
  /** The key table switched to a moment of the past until its first page shows. */
  readonly timeTravel: Timing;
}

function timing(samples: number[]): Timing {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    medianMs: Math.round(sorted[Math.floor(sorted.length / 2)]!),
    maxMs: Math.round(sorted.at(-1)!),
    samplesMs: samples.map(Math.round),
  };
}

async function timed(times: number, run: () => Promise<void>): Promise<Timing> {
  const samples: number[] = [];
  for (let i = 0; i < times; i++) {
    const started = performance.now();
    await run();
    samples.push(performance.now() - started);
  }
  return timing(samples);
}

/** `work` for 0..count-1, `concurrency` at a time. */
async function pool(count: number, concurrency: number, work: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await work(next++);
    }),
  );
}

/**
 * The console with 1,000 keys and 3,000 aliases in one Region, in headless Chromium (issue 15's
 * targets: the key table's first page within 1 s of navigation, a key's Aliases tab and a switch to
 * a moment of the past within 500 ms; first-load JavaScript at most 400 KB gzipped), beside one
 * HTTP call fetching aliases. Needs Chromium (test/support/chromium-path.ts) and the console's build.
 */
export async function benchConsole(
  database: BenchDatabase,
  log: (line: string) => void,
): Promise<ConsoleReport | undefined> {
  const executablePath = chromiumPath();
  if (!executablePath) {
    log('skipped: no Chromium (apt-get install chromium, or set CHROMIUM_PATH)');
    return undefined;
  }
  const services: RunningService[] = [];
  const browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox'] });
  try {
    const service = await startAliastrail(database.url, CREDENTIALS);
    services.push(service);
    const kms = new SignedKmsClient(service.url, CREDENTIALS, REGION);
    const seedStart = performance.now();
    const keyIds: string[] = [];
    await pool(KEYS, 8, async (i) => {
      keyIds[i] = ((await kms.call('CreateKey', {}))!.KeyMetadata as { KeyId: string }).KeyId;
    });
    // Spread over the keys unevenly: most have two to four aliases, some none.
    await pool(ALIASES, 8, async (i) => {
      await kms.call('CreateAlias', {
        AliasName: `alias/bench/console-${String(i).padStart(4, '0')}`,
        TargetKeyId: keyIds[(i * 7919) % KEYS]!,
      });
    });
    const seedSeconds = (performance.now() - seedStart) / 1000;
    log(`seeded ${KEYS} keys and ${ALIASES} aliases in ${seedSeconds.toFixed(1)} s`);
    const moment = new Date().toISOString();

    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    const scripts: string[] = [];
    page.on('request', (request) => {
      if (request.resourceType() === 'script') scripts.push(new URL(request.url()).pathname);
    });
    await page.goto(`${service.url}/console/sign-in`);
    await page.getByLabel('Access key ID').waitFor();
    const built = path.resolve(__dirname, '..', '..', 'console-web');
    const firstLoadJsFiles = [...new Set(scripts)];
    const firstLoadJsGzipBytes = firstLoadJsFiles.reduce(
      (sum, script) =>
        sum + gzipSync(fs.readFileSync(path.join(built, script.replace(/^\/console\//, ''))), { level: 9 }).length,
      0,
    );
    await page.getByLabel('Access key ID').fill(CREDENTIALS.accessKeyId);
    await page.getByLabel('Secret access key').fill(CREDENTIALS.secretAccessKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/console\/keys/);

    const table = `${service.url}/console/keys?region=${REGION}`;
    const rowsShown = (p: Page) => p.locator('tbody tr').nth(9).waitFor();
    const described = (p: Page) => p.locator('tbody tr').nth(9).getByText('Enabled').waitFor();
    const keyTableRows = await timed(SAMPLES, async () => {
      await page.goto(table);
      await rowsShown(page);
    });
    const keyTableDescribed = await timed(SAMPLES, async () => {
      await page.goto(table);
      await described(page);
    });
    const oneCall = await timed(SAMPLES, async () => {
      await kms.call('ListAliases', { Limit: 1000 });
    });
    const clickOnly: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      await page.goto(table);
      await rowsShown(page);
      const started = performance.now();
      await page
        .getByRole('link', { name: /\(\+\d+ more\)/ })
        .first()
        .click();
      await page.getByRole('tab', { name: 'Aliases', selected: true }).waitFor();
      await page
        .getByRole('cell', { name: /^alias\/bench\/console-\d{4}$/ })
        .first()
        .waitFor();
      clickOnly.push(performance.now() - started);
    }
    // In the console, as a user switches: Time travel, a moment, View.
    const travel: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      await page.goto(table);
      await rowsShown(page);
      await page.getByRole('button', { name: 'Time travel' }).click();
      await page.getByLabel('Moment').fill(moment);
      const started = performance.now();
      await page.getByRole('button', { name: 'View', exact: true }).click();
      await page.getByText(`Viewing ${REGION} as it was at`).waitFor();
      // The table of now goes first (too fast to see, sometimes): then the moment's.
      await page
        .getByText('Loading keys')
        .waitFor({ timeout: 1000 })
        .catch(() => undefined);
      await rowsShown(page);
      travel.push(performance.now() - started);
    }
    return {
      keys: KEYS,
      aliases: ALIASES,
      seedSeconds,
      firstLoadJsGzipBytes,
      firstLoadJsFiles,
      keyTableRows,
      keyTableDescribed,
      oneCall,
      aliasesTab: timing(clickOnly),
      timeTravel: timing(travel),
    };
  } finally {
    await browser.close();
    for (const service of services) await service.stop();
  }
}
