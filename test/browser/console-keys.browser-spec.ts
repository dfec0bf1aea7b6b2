import { CreateAliasCommand, CreateKeyCommand, ListAliasesCommand } from '@aws-sdk/client-kms';
import type { Browser } from 'playwright-core';
import {
  aliasesApplied,
  describeInBrowser,
  inPage,
  keepScreenshot,
  launchBrowser,
  seriousViolations,
  signInAndOpen,
} from '../support/browser';
import { type KmsTestApp, startKmsApp } from '../support/kms-test-app';
import { TEST_CREDENTIALS } from '../support/test-app';

const REGION = 'us-west-2';
const arn = (resource: string) => `arn:aws:kms:${REGION}:${TEST_CREDENTIALS.accountId}:${resource}`;

/**
 * The seed page's console procedures for aliases, step by step in a real Chromium against the real
 * service: the key tables' Aliases column, a key's Aliases tab, creating an alias there (the console
 * adds alias/), deleting several at once, the Region selector, and signing out.
 */
describeInBrowser('the console: keys and their aliases', () => {
  let kms: KmsTestApp;
  let browser: Browser;
  let twoAliases: string;
  let noAlias: string;

  beforeAll(async () => {
    kms = await startKmsApp();
    browser = await launchBrowser();
    const client = kms.client({ region: REGION });
    twoAliases = (await client.send(new CreateKeyCommand({ Description: 'two aliases' }))).KeyMetadata!.KeyId!;
    noAlias = (await client.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    for (const name of ['alias/finance', 'alias/payments'])
      await client.send(new CreateAliasCommand({ AliasName: name, TargetKeyId: twoAliases }));
  });
  afterAll(async () => {
    await browser?.close();
    await kms?.close();
  });

  const signedIn = async (page: Parameters<Parameters<typeof inPage>[2]>[0], path = '/console/keys') => {
    await signInAndOpen(page, kms.url, `${path}${path.includes('?') ? '&' : '?'}region=${REGION}`);
  };

  inPage(
    () => browser,
    'sends a visitor without a session to sign in, then back where it was going',
    async (page) => {
      await page.goto(`${kms.url}/console/keys/${twoAliases}/aliases?region=${REGION}`);
      await page.waitForURL(/\/console\/sign-in\?next=/);
      expect(await seriousViolations(page)).toEqual([]);
      await page.getByLabel('Access key ID').fill(TEST_CREDENTIALS.accessKeyId);
      await page.getByLabel('Secret access key').fill('not-the-secret-000000000000');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect(page.getByText('Failed authentication').waitFor()).resolves.toBeUndefined();
      await page.getByLabel('Secret access key').fill(TEST_CREDENTIALS.secretAccessKey);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(new RegExp(`/console/keys/${twoAliases}/aliases\\?region=${REGION}`));
      // Nothing of the session where a script could read it: no storage, no readable cookie.
      // (A string: this file is type-checked without the DOM's types.)
      const kept = await page.evaluate('[localStorage.length, sessionStorage.length, document.cookie]');
      expect(kept).toEqual([0, 0, '']);
      await page.getByRole('cell', { name: arn('alias/payments') }).waitFor();
    },
  );

  inPage(
    () => browser,
    'shows each key with one alias and "(+n more)", "-" for none, and opens the Aliases tab from it',
    async (page) => {
      await signedIn(page);
      await page.getByRole('heading', { name: /Customer managed keys/ }).waitFor();
      const row = page.getByRole('row').filter({ hasText: twoAliases });
      await expect(row.getByRole('cell').first().innerText()).resolves.toBe('alias/finance (+1 more)');
      await expect(
        page.getByRole('row').filter({ hasText: noAlias }).getByRole('cell').first().innerText(),
      ).resolves.toBe('-');
      for (const header of ['Aliases', 'Key ID', 'Status', 'Key type', 'Key spec', 'Key usage'])
        await page.getByRole('columnheader', { name: header }).first().waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      await keepScreenshot(page, 'console-keys');
      // Filter by alias.
      await page.getByPlaceholder('Filter keys by alias or key ID').fill('payments');
      await expect(page.getByRole('row').filter({ hasText: noAlias }).count()).resolves.toBe(0);
      await row.getByRole('link', { name: '(+1 more)' }).click();
      await page.waitForURL(new RegExp(`/console/keys/${twoAliases}/aliases`));
      for (const name of ['alias/finance', 'alias/payments']) {
        await page.getByRole('cell', { name, exact: true }).waitFor();
        await page.getByRole('cell', { name: arn(name) }).waitFor();
      }
      expect(await seriousViolations(page)).toEqual([]);
    },
  );

  inPage(
    () => browser,
    "creates an alias on the Aliases tab with alias/ added, and shows AWS's error verbatim",
    async (page) => {
      await signedIn(page, `/console/keys/${noAlias}/aliases`);
      await page.getByRole('button', { name: 'Create alias' }).click();
      await page.getByLabel('Alias name').fill('ExampleAlias');
      await page.getByRole('dialog').getByRole('button', { name: 'Create alias' }).click();
      await page.getByText('Alias alias/ExampleAlias was created.').waitFor();
      await page.getByRole('cell', { name: 'alias/ExampleAlias', exact: true }).waitFor();
      const listed = await kms.client({ region: REGION }).send(new ListAliasesCommand({ KeyId: noAlias }));
      expect(listed.Aliases!.map((a) => a.AliasName)).toEqual(['alias/ExampleAlias']);
      // The seed's warning: typing the prefix too makes alias/alias/….
      await page.getByRole('button', { name: 'Create alias' }).click();
      await page.getByLabel('Alias name').fill('finance');
      await page.getByRole('dialog').getByRole('button', { name: 'Create alias' }).click();
      await page
        .getByText(`An alias with the name ${arn('alias/finance')} already exists`)
        .first()
        .waitFor();
    },
  );

  inPage(
    () => browser,
    'deletes several aliases at once after a confirmation',
    async (page) => {
      const client = kms.client({ region: REGION });
      const keyId = (await client.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
      for (const name of ['alias/old-1', 'alias/old-2', 'alias/keep'])
        await client.send(new CreateAliasCommand({ AliasName: name, TargetKeyId: keyId }));
      await signedIn(page, `/console/keys/${keyId}/aliases`);
      await page.getByRole('checkbox', { name: 'Select alias/old-1' }).check();
      await page.getByRole('checkbox', { name: 'Select alias/old-2' }).check();
      await page.getByRole('button', { name: 'Delete', exact: true }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByText('alias/old-2').waitFor();
      await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
      await page.getByText('Aliases alias/old-1, alias/old-2 were deleted.').waitFor();
      const listed = await client.send(new ListAliasesCommand({ KeyId: keyId }));
      expect(listed.Aliases!.map((a) => a.AliasName)).toEqual(['alias/keep']);
    },
  );

  inPage(
    () => browser,
    'offers nothing to create or delete on an AWS managed key',
    async (page) => {
      // An AWS managed key exists once a call provisioned the Region's.
      await signedIn(page, '/console/aws-keys');
      await page.getByRole('heading', { name: /AWS managed keys/ }).waitFor();
      await page
        .getByRole('link', { name: /^[0-9a-f-]{36}$/ })
        .first()
        .click();
      await page.getByRole('tab', { name: 'Aliases' }).click();
      await page.getByText('You cannot create or delete the aliases of an AWS managed key.').waitFor();
      await expect(page.getByRole('button', { name: 'Create alias' }).count()).resolves.toBe(0);
      await expect(page.getByRole('button', { name: 'Key actions' }).count()).resolves.toBe(0);
    },
  );

  inPage(
    () => browser,
    'disables, enables, schedules the deletion of and restores a key from Key actions',
    async (page) => {
      const client = kms.client({ region: REGION });
      const keyId = (await client.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
      await signedIn(page, `/console/keys/${keyId}`);
      const act = async (item: string) => {
        await page.getByRole('button', { name: 'Key actions' }).click();
        await page.getByRole('menuitem', { name: item }).click();
      };
      await act('Disable');
      await page.getByText(`Key ${keyId} was disabled.`).waitFor();
      await page.getByText('Disabled', { exact: true }).first().waitFor();
      await act('Enable');
      await page.getByText(`Key ${keyId} was enabled.`).waitFor();
      await act('Schedule key deletion');
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('Waiting period (in days)').fill('6');
      await dialog.getByRole('button', { name: 'Schedule deletion' }).click();
      // AWS's own words for a waiting period out of range.
      await dialog
        .getByText(/PendingWindowInDays/)
        .first()
        .waitFor();
      await dialog.getByLabel('Waiting period (in days)').fill('7');
      await dialog.getByRole('button', { name: 'Schedule deletion' }).click();
      await page.getByText(`Key ${keyId} is scheduled for deletion in 7 days.`).waitFor();
      await page.getByText('Scheduled deletion date').waitFor();
      await act('Cancel key deletion');
      await page.getByText(`The deletion of key ${keyId} was canceled.`).waitFor();
      // A canceled deletion leaves the key disabled, as AWS does.
      await page.getByText('Disabled', { exact: true }).first().waitFor();
    },
  );

  inPage(
    () => browser,
    'sorts the keys by alias, both ways',
    async (page) => {
      const client = kms.client({ region: 'us-east-2' });
      for (const name of ['alias/b-key', 'alias/a-key', 'alias/c-key']) {
        const keyId = (await client.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
        await client.send(new CreateAliasCommand({ AliasName: name, TargetKeyId: keyId }));
      }
      await aliasesApplied(kms.url, 'us-east-2', 3);
      await signInAndOpen(page, kms.url, '/console/keys?region=us-east-2');
      const firstColumn = async () => {
        await page.locator('tbody tr').nth(2).waitFor();
        return page.locator('tbody tr td:nth-child(1)').allInnerTexts();
      };
      await expect(firstColumn()).resolves.toEqual(['alias/a-key', 'alias/b-key', 'alias/c-key']);
      await page.getByRole('columnheader', { name: 'Aliases' }).click();
      await page.locator('tbody tr').first().getByText('alias/c-key').waitFor();
      await expect(firstColumn()).resolves.toEqual(['alias/c-key', 'alias/b-key', 'alias/a-key']);
    },
  );

  inPage(
    () => browser,
    'asks to sign in again once the session expired, and refuses a call without the CSRF token',
    async (page) => {
      await signedIn(page);
      await page.getByRole('row').filter({ hasText: twoAliases }).waitFor();
      // What a page of another origin could not get: the token. Without it, the call is refused.
      const refused = await page.evaluate(async () => {
        const response = await fetch('/console/api/kms', {
          method: 'POST',
          headers: {
            'content-type': 'application/x-amz-json-1.1',
            'x-amz-target': 'TrentService.CreateKey',
            'x-aliastrail-region': 'us-west-2',
          },
          body: '{}',
        });
        return [response.status, ((await response.json()) as { error: { code: string } }).error.code];
      });
      expect(refused).toEqual([403, 'InvalidCsrfToken']);
      await kms.database.pool.query(
        "UPDATE console_sessions SET created_at = now() - interval '2 hours', last_seen_at = now() - interval '61 minutes'",
      );
      await page.getByRole('link', { name: twoAliases }).click();
      await page.waitForURL(/\/console\/sign-in\?next=/);
    },
  );

  inPage(
    () => browser,
    'switches Region from the selector in the upper-right corner, and signs out',
    async (page) => {
      await signedIn(page);
      await page.getByRole('row').filter({ hasText: twoAliases }).waitFor();
      await page.getByRole('button', { name: /Region/ }).click();
      await page.getByRole('menuitem', { name: /eu-west-1/ }).click();
      await page.waitForURL(/region=eu-west-1/);
      await page.getByText('No keys in eu-west-1').waitFor();
      await page.getByRole('button', { name: /admin/ }).click();
      await page.getByRole('menuitem', { name: 'Sign out' }).click();
      await page.waitForURL(/\/console\/sign-in/);
      await page.goto(`${kms.url}/console/keys?region=${REGION}`);
      await page.waitForURL(/\/console\/sign-in\?next=/);
    },
  );
});
