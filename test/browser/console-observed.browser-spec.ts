import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import { importCloudTrail } from '../../src/cloudtrail-import/cloudtrail-importer';
import { listCloudTrailFiles } from '../../src/cloudtrail-import/cloudtrail-files';
import { createKysely, createPool } from '../../src/database/create-database';
import { aliasChangeRecord, keyChangeRecord, writeS3LogFile } from '../support/cloudtrail-files';
import { describeInBrowser, inPage, launchBrowser, signInAndOpen } from '../support/browser';
import { queryApi } from '../support/query-client';
import { type KmsTestApp, startKmsApp } from '../support/kms-test-app';

const ACCOUNT = '730000000001';
const REGION = 'us-east-1';
const auditor = {
  accessKeyId: 'AKIAOBSERVEDCONSOLE1',
  secretAccessKey: 'observed-console-secret-0000000000000000',
  accountId: ACCOUNT,
  arn: `arn:aws:iam::${ACCOUNT}:user/Auditor`,
  userName: 'Auditor',
  policies: [{ Statement: { Effect: 'Allow', Action: ['aliastrail:*', 'kms:Describe*', 'kms:List*'], Resource: '*' } }],
};
const K1 = '11111111-1111-4111-8111-aaaaaaaaaaaa';
const K2 = '22222222-2222-4222-8222-bbbbbbbbbbbb';
const T = (hhmm: string) => `2026-03-01T${hhmm}:00Z`;

/**
 * The console for an observed account (its history imported from CloudTrail): the key table at a
 * moment from the records, and an alias's history saying what the evidence covers and what it
 * does not show.
 */
describeInBrowser('the console for an observed account', () => {
  let kms: KmsTestApp;
  let browser: Browser;

  beforeAll(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aliastrail-console-observed-'));
    const principals = path.join(dir, 'principals.json');
    fs.writeFileSync(principals, JSON.stringify({ principals: [auditor] }));
    kms = await startKmsApp({ ALIASTRAIL_PRINCIPALS_FILE: principals, ALIASTRAIL_POLL_INTERVAL_MS: '20' });
    browser = await launchBrowser();
    writeS3LogFile(path.join(dir, 'logs'), ACCOUNT, REGION, 'a', [
      keyChangeRecord(ACCOUNT, 'CreateKey', T('10:00'), K1),
      aliasChangeRecord(ACCOUNT, 'CreateAlias', T('10:05'), 'alias/payments', K1),
      // Existed before the logs: its first record moves it, from a key no record names.
      aliasChangeRecord(ACCOUNT, 'UpdateAlias', T('11:00'), 'alias/legacy', K2),
    ]);
    const db = createKysely(createPool(kms.database.url, { max: 1, idleTransactionTimeoutMs: 30_000 }));
    await importCloudTrail(db, await listCloudTrailFiles([path.join(dir, 'logs')]));
    await db.destroy();
    // Until the model has applied the import.
    await queryApi(kms.url, `/api/regions/${REGION}/alias/history?name=alias/legacy&waitForPosition=latest`, {
      credentials: auditor,
      region: REGION,
    });
  });
  afterAll(async () => {
    await browser?.close();
    await kms?.close();
  });

  inPage(
    () => browser,
    'shows the key table at a moment from the records, and what they do not show as such',
    async (page) => {
      await signInAndOpen(
        page,
        kms.url,
        `/console/keys?region=${REGION}&at=${encodeURIComponent(T('11:30'))}`,
        auditor,
      );
      const created = page.getByRole('row').filter({ hasText: K1 });
      await created.waitFor();
      await expect(created.getByRole('cell').first().innerText()).resolves.toBe('alias/payments');
      // K2 is named only by alias/legacy's record: no spec, no creation date in the evidence.
      const named = page.getByRole('row').filter({ hasText: K2 });
      await expect(named.getByRole('cell').first().innerText()).resolves.toBe('alias/legacy');

      await page.goto(`${kms.url}/console/aliases/legacy?region=${REGION}`);
      await page.getByText('Observed account: history imported from CloudTrail').waitFor();
      await page.getByText(`The imported records cover 2026-03-01T10:00:00.000Z to 2026-03-01T11:00:00.000Z`).waitFor();
      await page.getByText('Unknown (not in the imported records)').waitFor();
      await page.getByText('Before the first imported record').waitFor();
    },
  );
});
