import {
  CreateAliasCommand,
  CreateKeyCommand,
  DescribeKeyCommand,
  ListAliasesCommand,
  UpdateAliasCommand,
} from '@aws-sdk/client-kms';
import type { Browser } from 'playwright-core';
import { describeInBrowser, inPage, launchBrowser, seriousViolations, signInAndOpen } from '../support/browser';
import { type KmsTestApp, startKmsApp } from '../support/kms-test-app';
import { sleep } from '../support/events';
import { queryApi } from '../support/query-client';

const REGION = 'eu-west-1';

/**
 * Create key in the console (the alias it requires, the prefix it adds, the key that exists when
 * its alias fails), and the history the AWS console does not have: a key's History tab and an
 * alias's page with every version.
 */
describeInBrowser('the console: creating keys, and history', () => {
  let kms: KmsTestApp;
  let browser: Browser;

  beforeAll(async () => {
    kms = await startKmsApp({ ALIASTRAIL_POLL_INTERVAL_MS: '20' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await kms?.close();
  });

  const open = async (page: Parameters<Parameters<typeof inPage>[2]>[0], path: string) => {
    await signInAndOpen(page, kms.url, `${path}?region=${REGION}`);
  };

  inPage(
    () => browser,
    'creates a key with the wizard, which requires an alias and adds alias/ to it',
    async (page) => {
      await open(page, '/console/keys');
      await page.getByRole('link', { name: 'Create key' }).click();
      await page.waitForURL(/\/console\/keys\/create/);
      await page.getByRole('radio', { name: 'Asymmetric' }).check();
      await page.getByRole('radio', { name: 'Sign and verify' }).check();
      await page.getByRole('button', { name: 'Next' }).click();
      // No alias: the wizard stays, and says why.
      await page.getByRole('button', { name: 'Next' }).click();
      await page.getByText('you must create an alias when you create a key in the console').waitFor();
      await page.getByLabel('Alias').fill('signing');
      await page.getByLabel('Description - optional').fill('made by the wizard');
      await page.getByRole('button', { name: 'Next' }).click();
      expect(await seriousViolations(page)).toEqual([]);
      await page.getByRole('button', { name: 'Finish' }).click();
      await page.getByText(/was created with the alias alias\/signing\./).waitFor();
      const client = kms.client({ region: REGION });
      const { KeyMetadata } = await client.send(new DescribeKeyCommand({ KeyId: 'alias/signing' }));
      expect([KeyMetadata!.KeySpec, KeyMetadata!.KeyUsage, KeyMetadata!.Description]).toEqual([
        'RSA_2048',
        'SIGN_VERIFY',
        'made by the wizard',
      ]);
      expect(page.url()).toContain(`/console/keys/${KeyMetadata!.KeyId}/aliases`);
    },
  );

  inPage(
    () => browser,
    'keeps the key when its alias fails, and says so',
    async (page) => {
      const client = kms.client({ region: REGION });
      const taken = (await client.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
      await client.send(new CreateAliasCommand({ AliasName: 'alias/taken', TargetKeyId: taken }));
      await open(page, '/console/keys/create');
      await page.getByRole('button', { name: 'Next' }).click();
      await page.getByLabel('Alias').fill('taken');
      await page.getByRole('button', { name: 'Next' }).click();
      await page.getByRole('button', { name: 'Finish' }).click();
      await page
        .getByText(
          /was created, but its alias alias\/taken was not: An alias with the name .*alias\/taken already exists/,
        )
        .waitFor();
      const keyId = /\/console\/keys\/([0-9a-f-]{36})\//.exec(page.url())![1]!;
      expect((await client.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata!.KeyState).toBe('Enabled');
      expect((await client.send(new ListAliasesCommand({ KeyId: keyId }))).Aliases).toEqual([]);
    },
  );

  inPage(
    () => browser,
    "shows a key's History and an alias's every version, with who and from where",
    async (page) => {
      const client = kms.client({ region: REGION });
      const [first, second] = await Promise.all(
        [0, 1].map(async () => (await client.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!),
      );
      await client.send(new CreateAliasCommand({ AliasName: 'alias/moving', TargetKeyId: first }));
      await client.send(new UpdateAliasCommand({ AliasName: 'alias/moving', TargetKeyId: second }));
      // The history is the temporal model's, a few milliseconds behind the calls made above.
      for (let tries = 0; tries < 100; tries++) {
        const answer = await queryApi(kms.url, `/api/regions/${REGION}/alias/history?name=alias/moving`);
        if ((answer.body as { versions?: unknown[] }).versions?.length === 2) break;
        await sleep(50);
      }
      await open(page, `/console/keys/${first}/history`);
      const row = page.getByRole('row').filter({ hasText: 'alias/moving' });
      await row.waitFor();
      await expect(row.innerText()).resolves.toMatch(/CreateAlias/);
      await expect(row.innerText()).resolves.toMatch(/UpdateAlias/);
      await expect(row.innerText()).resolves.toContain('127.0.0.1');
      await row.getByRole('link', { name: 'alias/moving' }).click();
      await page.waitForURL(/\/console\/aliases\/moving\?region=eu-west-1/);
      await page.getByRole('heading', { name: /alias\/moving/ }).waitFor();
      // One version on each key, oldest first.
      await page.getByRole('row').filter({ hasText: second! }).waitFor();
      await expect(page.locator('tbody tr').allInnerTexts()).resolves.toEqual([
        expect.stringContaining(first!),
        expect.stringContaining(second!),
      ]);
      expect(await seriousViolations(page)).toEqual([]);
    },
  );
});
