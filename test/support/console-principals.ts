import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { sha256Hex } from '../../src/auth/bearer-tokens';
import { type KmsTestApp, startKmsApp } from './kms-test-app';
import { TEST_CREDENTIALS } from './test-app';

/** The console e2e tests' account, Region and principals (console-sessions and console-calls). */
export const ACCOUNT = TEST_CREDENTIALS.accountId;
export const REGION = 'us-west-2';
export const arn = (resource: string) => `arn:aws:kms:${REGION}:${ACCOUNT}:${resource}`;
export const ADMIN = { accessKeyId: TEST_CREDENTIALS.accessKeyId, secretAccessKey: TEST_CREDENTIALS.secretAccessKey };
export const BOB_TOKEN = 'bob-console-bearer-token-0123456789abcdef';

/** Alice may do anything in KMS but create aliases named alias/locked-*, and look up events. */
export const alice = {
  accessKeyId: 'AKIAALICECONSOLE0001',
  secretAccessKey: 'alice-console-secret-access-key-000000000',
  accountId: ACCOUNT,
  arn: `arn:aws:iam::${ACCOUNT}:user/Alice`,
  userName: 'Alice',
  policies: [
    { Statement: { Effect: 'Allow', Action: ['kms:*', 'cloudtrail:LookupEvents'], Resource: '*' } },
    { Statement: { Effect: 'Deny', Action: 'kms:CreateAlias', Resource: arn('alias/locked-*') } },
  ],
};
/** Bob has a bearer token too. */
export const bob = {
  accessKeyId: 'AKIABOBCONSOLE000001',
  secretAccessKey: 'bob-console-secret-access-key-0000000000',
  accountId: ACCOUNT,
  arn: `arn:aws:iam::${ACCOUNT}:user/Bob`,
  userName: 'Bob',
  bearerTokenSha256: sha256Hex(BOB_TOKEN),
};

/** Two service instances on one database, with Alice and Bob beside the bootstrap principal. */
export async function startConsoleApp(): Promise<KmsTestApp> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aliastrail-console-'));
  const file = path.join(dir, 'principals.json');
  fs.writeFileSync(file, JSON.stringify({ principals: [alice, bob] }));
  return startKmsApp({ ALIASTRAIL_PRINCIPALS_FILE: file, ALIASTRAIL_POLL_INTERVAL_MS: '20' }, 2);
}
