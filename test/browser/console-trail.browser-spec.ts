import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CreateAliasCommand, CreateKeyCommand, ListAliasesCommand, UpdateAliasCommand } from '@aws-sdk/client-kms';
import type { Browser, Page } from 'playwright-core';
import { sleep } from '../support/events';
import { describeInBrowser, inPage, launchBrowser, seriousViolations, signInAndOpen } from '../support/browser';
import { type KmsTestApp, startKmsApp } from '../support/kms-test-app';
import { TEST_CREDENTIALS } from '../support/test-app';

const REGION = 'ap-southeast-2';
const arn = (resource: string) => `arn:aws:kms:${REGION}:${TEST_CREDENTIALS.accountId}:${resource}`;
const alice = {
  accessKeyId: 'AKIAALICECONSOLEUI01',
  secretAccessKey: 'alice-console-ui-secret-0000000000000000',
  accountId: TEST_CREDENTIALS.accountId,
  arn: `arn:aws:iam::${TEST_CREDENTIALS.accountId}:user/Alice`,
  userName: 'Alice',
  policies: [
    { Statement: { Effect: 'Allow', Action: 'kms:*', Resource: '*' } },
    { Statement: { Effect: 'Deny', Action: 'kms:CreateAlias', Resource: arn('alias/locked-*') } },
    { Statement: { Effect: 'Deny', Action: 'kms:DeleteAlias', Resource: arn('alias/kept-*') } },
  ],
};

/**
 * What the AWS console does not have: time travel (every table at a moment, read-only, and the
 * differences with now), event history with each record's CloudTrail JSON and the search's
 * download, the ledger's "Verify now"; and a principal's policies applying in the console.
 */
describeInBrowser('the console: time travel, event history, the ledger, policies', () => {
  let kms: KmsTestApp;
  let browser: Browser;
  let first: string;
  let second: string;
  let before: string;

  beforeAll(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aliastrail-console-ui-'));
    const file = path.join(dir, 'principals.json');
    fs.writeFileSync(file, JSON.stringify({ principals: [alice] }));
    kms = await startKmsApp({
      ALIASTRAIL_PRINCIPALS_FILE: file,
      ALIASTRAIL_POLL_INTERVAL_MS: '20',
      // A signed digest every few events, so the ledger page has one to show.
      ALIASTRAIL_LEDGER_DIGEST_EVENTS: '5',
    });
    browser = await launchBrowser();
    const client = kms.client({ region: REGION });
    first = (await client.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    second = (await client.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    await client.send(new CreateAliasCommand({ AliasName: 'alias/traveling', TargetKeyId: first }));
    await sleep(1_100);
    before = new Date().toISOString();
    await sleep(1_100);
    await client.send(new UpdateAliasCommand({ AliasName: 'alias/traveling', TargetKeyId: second }));
  });
  afterAll(async () => {
    await browser?.close();
    await kms?.close();
  });

  const open = (
    page: Page,
    pathAndQuery: string,
    who = TEST_CREDENTIALS as { accessKeyId: string; secretAccessKey: string },
  ) => signInAndOpen(page, kms.url, pathAndQuery, who);

  inPage(
    () => browser,
    'shows the key table at a moment of the past, read-only, and what changed since',
    async (page) => {
      await open(page, `/console/keys?region=${REGION}&at=${encodeURIComponent(before)}`);
      await page.getByText(`Viewing ${REGION} as it was at ${before}`).waitFor();
      const then = page.getByRole('row').filter({ hasText: first });
      await expect(then.getByRole('cell').first().innerText()).resolves.toBe('alias/traveling');
      await expect(
        page.getByRole('row').filter({ hasText: second }).getByRole('cell').first().innerText(),
      ).resolves.toBe('-');
      await expect(page.getByRole('link', { name: 'Create key' }).count()).resolves.toBe(0);
      expect(await seriousViolations(page)).toEqual([]);
      // The key's page at that moment: its alias then, nothing to change.
      await then.getByRole('link', { name: first }).click();
      await page.waitForURL(/at=/);
      await page.getByRole('tab', { name: 'Aliases' }).click();
      await page.getByRole('cell', { name: 'alias/traveling', exact: true }).waitFor();
      await expect(page.getByRole('button', { name: 'Create alias' }).count()).resolves.toBe(0);
      await expect(page.getByRole('button', { name: 'Key actions' }).count()).resolves.toBe(0);
      await page.getByRole('button', { name: 'Compare with now' }).click();
      await page.waitForURL(/\/console\/diff/);
      const change = page.getByRole('row').filter({ hasText: 'alias/traveling' });
      await change.getByRole('link', { name: first }).waitFor();
      await change.getByRole('link', { name: second }).waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      // Back to now: the alias is on the second key.
      await page.goto(`${kms.url}/console/keys?region=${REGION}&at=${encodeURIComponent(before)}`);
      await page.getByRole('button', { name: 'Back to now' }).click();
      await page.waitForURL((url) => !url.search.includes('at='));
      await page
        .getByRole('row')
        .filter({ hasText: second })
        .getByRole('cell', { name: 'alias/traveling', exact: true })
        .waitFor({ timeout: 10_000 });
    },
  );

  inPage(
    () => browser,
    'finds events by a lookup attribute, opens one to its CloudTrail JSON, and downloads the search',
    async (page) => {
      await open(page, `/console/event-history?region=${REGION}`);
      await page.getByRole('heading', { name: 'Event history' }).waitFor();
      await page.getByLabel('Value').fill('UpdateAlias');
      await page.getByRole('button', { name: 'Search' }).click();
      await page.waitForURL(/attribute=eventName&value=UpdateAlias/);
      // The unfiltered list goes first: its CreateKey rows leave.
      await page.getByRole('row').filter({ hasText: 'CreateKey' }).first().waitFor({ state: 'detached' });
      const row = page.getByRole('row').filter({ hasText: 'UpdateAlias' });
      await row.first().waitFor();
      await expect(row.count()).resolves.toBe(1);
      await row.getByText('UpdateAlias', { exact: true }).click();
      const record = page.getByRole('dialog');
      await record.getByText('"eventSource": "kms.amazonaws.com"').waitFor();
      await record.getByText(`"aliasName": "alias/traveling"`).waitFor();
      await page.keyboard.press('Escape');
      expect(await seriousViolations(page)).toEqual([]);
      const href = await page.getByRole('link', { name: 'Download JSON Lines' }).getAttribute('href');
      expect(href).toBe(`/api/regions/${REGION}/audit-events/export?eventName=UpdateAlias&format=jsonl`);
      const download = await page.request.get(`${kms.url}${href}`);
      expect(download.status()).toBe(200);
      const lines = (await download.text()).trim().split('\n');
      expect(lines.map((line) => (JSON.parse(line) as { eventName: string }).eventName)).toEqual(['UpdateAlias']);
    },
  );

  inPage(
    () => browser,
    'verifies the ledger on demand and shows the report',
    async (page) => {
      await open(page, `/console/ledger?region=${REGION}`);
      await page.getByText('Entries chained').waitFor();
      await page.getByRole('heading', { name: /Last signed digest: #\d+/ }).waitFor({ timeout: 30_000 });
      await page.getByText("Valid (Ed25519, this service's key)").waitFor();
      await page.getByText('Signed document').click();
      await page.getByText(/"signature": "[0-9a-f]{128}"/).waitFor();
      await page.getByRole('button', { name: 'Verify now' }).click();
      await page.getByText('Verified: the record is intact').waitFor({ timeout: 30_000 });
      expect(await seriousViolations(page)).toEqual([]);
    },
  );

  inPage(
    () => browser,
    "applies the principal's policies, with AWS's message, and records the calls as the console's",
    async (page) => {
      await open(page, `/console/keys/${first}/aliases?region=${REGION}`, alice);
      await page.getByRole('button', { name: 'Create alias' }).click();
      await page.getByLabel('Alias name').fill('locked-one');
      await page.getByRole('dialog').getByRole('button', { name: 'Create alias' }).click();
      await page
        .getByText(
          `User: ${alice.arn} is not authorized to perform: kms:CreateAlias on resource: ${arn('alias/locked-one')} with an explicit deny in an identity-based policy`,
        )
        .first()
        .waitFor();
    },
  );

  inPage(
    () => browser,
    'deletes what it may of several aliases, keeps the refused one selected with its message, and says which',
    async (page) => {
      const client = kms.client({ region: REGION });
      for (const name of ['alias/kept-one', 'alias/dropped-one'])
        await client.send(new CreateAliasCommand({ AliasName: name, TargetKeyId: first }));
      // Alice may not read the history (aliastrail:ReadHistory): the key table comes from ListKeys,
      // ListAliases and DescribeKey instead.
      await open(page, `/console/keys?region=${REGION}`, alice);
      const row = page.getByRole('row').filter({ hasText: second });
      await row.getByRole('cell', { name: 'alias/traveling', exact: true }).waitFor();
      await row.getByText('Enabled').waitFor();
      await page.goto(`${kms.url}/console/keys/${first}/aliases?region=${REGION}`);
      await page.getByRole('checkbox', { name: 'Select alias/kept-one' }).check();
      await page.getByRole('checkbox', { name: 'Select alias/dropped-one' }).check();
      await page.getByRole('button', { name: 'Delete', exact: true }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
      await dialog
        .getByText(
          `alias/kept-one: User: ${alice.arn} is not authorized to perform: kms:DeleteAlias on resource: ${arn('alias/kept-one')} with an explicit deny in an identity-based policy`,
        )
        .waitFor();
      // Only the refused one is left to try again.
      await expect(dialog.locator('li').allInnerTexts()).resolves.toEqual(['alias/kept-one']);
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await page.getByText('Alias alias/dropped-one was deleted. Not deleted: alias/kept-one.').waitFor();
      const listed = await client.send(new ListAliasesCommand({ KeyId: first }));
      expect(listed.Aliases!.map((a) => a.AliasName)).toContain('alias/kept-one');
      expect(listed.Aliases!.map((a) => a.AliasName)).not.toContain('alias/dropped-one');
      expect(await seriousViolations(page)).toEqual([]);
    },
  );
});
