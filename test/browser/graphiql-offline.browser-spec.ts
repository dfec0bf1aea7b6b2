import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CreateAliasCommand, CreateKeyCommand } from '@aws-sdk/client-kms';
import type { Browser, Page } from 'playwright-core';
import { sha256Hex } from '../../src/auth/bearer-tokens';
import { aliasesApplied, describeInBrowser, inPage, launchBrowser } from '../support/browser';
import { type KmsTestApp, startKmsApp } from '../support/kms-test-app';

const REGION = 'eu-north-1';
const TOKEN = 'graphiql-reader-token-0123456789abcdef';
const READER = {
  accessKeyId: 'AKIAGRAPHIQLREADER01',
  secretAccessKey: 'graphiql-reader-secret-000000000000000',
  accountId: '111122223333',
  arn: 'arn:aws:iam::111122223333:user/GraphiqlReader',
  userName: 'GraphiqlReader',
  bearerTokenSha256: sha256Hex(TOKEN),
};

/** Replaces a Monaco editor's text, as a person would type it over what is there. */
async function replaceText(page: Page, editor: string, text: string): Promise<void> {
  await page.locator(editor).first().click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.insertText(text);
  // Monaco closes the brackets and quotes it sees opened: what it added follows the cursor.
  await page.keyboard.press('ControlOrMeta+Shift+End');
  await page.keyboard.press('Delete');
}

/**
 * GraphiQL at /graphiql with no network but the service: its scripts, styles, fonts and Monaco's
 * workers all come from the service, a query typed into it runs, and no request leaves localhost.
 */
describeInBrowser('GraphiQL offline', () => {
  let kms: KmsTestApp;
  let browser: Browser;

  beforeAll(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aliastrail-principals-'));
    const file = path.join(dir, 'principals.json');
    fs.writeFileSync(file, JSON.stringify({ principals: [READER] }));
    kms = await startKmsApp({ ALIASTRAIL_PRINCIPALS_FILE: file, ALIASTRAIL_POLL_INTERVAL_MS: '20' });
    browser = await launchBrowser();
    const client = kms.client({ ...READER, region: REGION });
    const keyId = (await client.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    await client.send(new CreateAliasCommand({ AliasName: 'alias/offline-ok', TargetKeyId: keyId }));
    await aliasesApplied(kms.url, REGION, 1);
  });
  afterAll(async () => {
    await browser?.close();
    await kms?.close();
  });

  inPage(
    () => browser,
    'loads GraphiQL from the service alone and runs a query typed into it',
    async (page) => {
      const local = new URL(kms.url).origin;
      const requested: string[] = [];
      const blocked: string[] = [];
      await page.route('**/*', (route) => {
        const url = route.request().url();
        requested.push(url);
        if (url.startsWith(`${local}/`) || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
        blocked.push(url);
        return route.abort('internetdisconnected');
      });
      const answer = await page.goto(`${kms.url}/graphiql`);
      expect(answer?.status()).toBe(200);
      expect(answer?.headers()['content-security-policy']).not.toMatch(/https?:/);

      await page.locator('.graphiql-query-editor .monaco-editor').first().waitFor({ timeout: 30_000 });
      await page.getByRole('button', { name: 'Headers' }).click();
      await replaceText(
        page,
        '.graphiql-editor-tool [data-uri$="headers.json"]',
        JSON.stringify({ Authorization: `Bearer ${TOKEN}` }),
      );
      const query = `{ alias(region: "${REGION}", aliasName: "alias/offline-ok") { alias { aliasName targetKeyId } } }`;
      await replaceText(page, '.graphiql-query-editor .monaco-editor', query);
      await page.getByRole('button', { name: /Execute query/ }).click();
      await page.locator('.graphiql-response').getByText('alias/offline-ok').waitFor({ timeout: 15_000 });

      expect(blocked).toEqual([]);
      expect(requested.filter((url) => url.includes('/graphiql/assets/')).length).toBeGreaterThan(0);
      expect(requested).toContain(`${local}/graphql`);
    },
    90_000,
  );
});
