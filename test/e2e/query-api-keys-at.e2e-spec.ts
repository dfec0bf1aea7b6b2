import {
  CreateAliasCommand,
  CreateKeyCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  type KMSClient,
  ScheduleKeyDeletionCommand,
  TagResourceCommand,
  UpdateAliasCommand,
} from '@aws-sdk/client-kms';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { sql } from 'kysely';
import { advanceClock } from '../support/controllable-clock';
import { type KmsTestApp, startKmsApp } from '../support/kms-test-app';
import { queryApi } from '../support/query-client';
import { TEST_CREDENTIALS } from '../support/test-app';

const ACCOUNT = TEST_CREDENTIALS.accountId;
/** May read the history and describe keys, but not their tags, policies or rotation. */
const auditor = {
  accessKeyId: 'AKIAKEYSATAUDITOR001',
  secretAccessKey: 'keys-at-auditor-secret-0000000000000000',
  accountId: ACCOUNT,
  arn: `arn:aws:iam::${ACCOUNT}:user/Auditor`,
  userName: 'Auditor',
  policies: [{ Statement: { Effect: 'Allow', Action: ['aliastrail:ReadHistory', 'kms:DescribeKey'], Resource: '*' } }],
};
/** May read the history only: alias mappings, not what KMS would not tell it of the keys. */
const historian = {
  accessKeyId: 'AKIAKEYSATHISTORIAN1',
  secretAccessKey: 'keys-at-historian-secret-00000000000000',
  accountId: ACCOUNT,
  arn: `arn:aws:iam::${ACCOUNT}:user/Historian`,
  userName: 'Historian',
  policies: [{ Statement: { Effect: 'Allow', Action: 'aliastrail:ReadHistory', Resource: '*' } }],
};

describe('the REST query API: keys as they were at a time (the console’s time travel)', () => {
  let kms: KmsTestApp;
  let client: KMSClient;
  const keys: string[] = [];
  const moments: Date[] = [];

  beforeAll(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aliastrail-keys-at-'));
    const file = path.join(dir, 'principals.json');
    fs.writeFileSync(file, JSON.stringify({ principals: [auditor, historian] }));
    kms = await startKmsApp({ ALIASTRAIL_CLOCK: 'controllable', ALIASTRAIL_PRINCIPALS_FILE: file });
    client = kms.client();
    for (const description of ['first', 'second']) {
      const made = await client.send(new CreateKeyCommand({ Description: description }));
      keys.push(made.KeyMetadata!.KeyId!);
    }
    await client.send(new CreateAliasCommand({ AliasName: 'alias/app', TargetKeyId: keys[0] }));
    await client.send(new TagResourceCommand({ KeyId: keys[0], Tags: [{ TagKey: 'team', TagValue: 'pay' }] }));
    moments.push(await advanceClock(kms.url, 60)); // 0: both keys enabled, alias/app on the first
    await client.send(new UpdateAliasCommand({ AliasName: 'alias/app', TargetKeyId: keys[1] }));
    await client.send(new DisableKeyCommand({ KeyId: keys[0] }));
    await client.send(new ScheduleKeyDeletionCommand({ KeyId: keys[0], PendingWindowInDays: 7 }));
    moments.push(await advanceClock(kms.url, 60)); // 1: the first pending deletion, the alias on the second
    await advanceClock(kms.url, 8 * 86_400); // the first is deleted
    moments.push(await advanceClock(kms.url, 60)); // 2: only the second
  });
  afterAll(() => kms.close());

  const keysAt = async (at: Date) => {
    const { status, body } = await queryApi(kms.url, `/api/regions/us-west-2/keys?at=${at.toISOString()}`);
    expect(status).toBe(200);
    return new Map((body.keys as { keyId: string }[]).map((key) => [key.keyId, key as Record<string, unknown>]));
  };

  it('lists every key that existed then, deleted ones included, with its state and aliases then', async () => {
    const first = await keysAt(moments[0]!);
    expect(first.get(keys[0]!)).toMatchObject({ keyState: 'Enabled', description: 'first', aliases: ['alias/app'] });
    expect(first.get(keys[1]!)).toMatchObject({ keyState: 'Enabled', aliases: [] });
    const second = await keysAt(moments[1]!);
    expect(second.get(keys[0]!)).toMatchObject({ keyState: 'PendingDeletion', aliases: [] });
    expect(second.get(keys[0]!)!.deletionDate).toEqual(expect.any(String));
    expect(second.get(keys[1]!)).toMatchObject({ keyState: 'Enabled', aliases: ['alias/app'] });
    const third = await keysAt(moments[2]!);
    expect(third.has(keys[0]!)).toBe(false);
    expect(third.get(keys[1]!)).toMatchObject({ aliases: ['alias/app'], keyManager: 'CUSTOMER' });
    // Before anything: nothing.
    expect((await keysAt(new Date('2001-01-01T00:00:00Z'))).size).toBe(0);
  });

  it('answers now, without `at`, from the current model: the same keys as the log folded to now', async () => {
    const { status, body } = await queryApi(kms.url, '/api/regions/us-west-2/keys');
    expect(status).toBe(200);
    const folded = await queryApi(kms.url, `/api/regions/us-west-2/keys?at=${body.at}`);
    expect(body.keys).toEqual(folded.body.keys);
    const now = new Map((body.keys as { keyId: string }[]).map((key) => [key.keyId, key]));
    expect(now.has(keys[0]!)).toBe(false);
    expect(now.get(keys[1]!)).toMatchObject({ keyState: 'Enabled', aliases: ['alias/app'], keyManager: 'CUSTOMER' });
    expect([...now.values()].filter((key: any) => key.keyManager === 'AWS').length).toBeGreaterThan(0);
  });

  it('shows one key then, with its tags and settings; 404 when it did not exist', async () => {
    const at = (i: number) => `/api/regions/us-west-2/keys/${keys[0]}?at=${moments[i]!.toISOString()}`;
    const then = await queryApi(kms.url, at(0));
    expect(then.status).toBe(200);
    expect(then.body.key).toMatchObject({
      keyId: keys[0],
      keyState: 'Enabled',
      tags: [{ TagKey: 'team', TagValue: 'pay' }],
      policyIsDefault: true,
      aliases: ['alias/app'],
    });
    expect(then.body.key.policy).toContain('"Sid" : "Enable IAM User Permissions"');
    expect(then.body.key.rotation).toEqual({
      keyRotationEnabled: false,
      rotationPeriodInDays: null,
      nextRotationDate: null,
    });
    const gone = await queryApi(kms.url, at(2));
    expect(gone.status).toBe(404);
    expect(gone.body.error.message).toBe(`Key ${keys[0]} did not exist at ${moments[2]!.toISOString()}.`);
    expect((await queryApi(kms.url, '/api/regions/us-west-2/keys/alias%2Fapp')).status).toBe(400);
  });

  it('shows rotation as GetKeyRotationStatus answered then: AWS managed keys yearly, none while pending deletion', async () => {
    const managed = await client.send(new DescribeKeyCommand({ KeyId: 'alias/aws/ebs' }));
    const at = moments[0]!.toISOString();
    const aws = await queryApi(kms.url, `/api/regions/us-west-2/keys/${managed.KeyMetadata!.KeyId}?at=${at}`);
    expect(aws.body.key).toMatchObject({ keyManager: 'AWS', aliases: ['alias/aws/ebs'] });
    expect(aws.body.key.rotation).toMatchObject({ keyRotationEnabled: true, rotationPeriodInDays: 365 });
    const pending = await queryApi(kms.url, `/api/regions/us-west-2/keys/${keys[0]}?at=${moments[1]!.toISOString()}`);
    expect(pending.body.key).toMatchObject({ keyState: 'PendingDeletion', rotation: { keyRotationEnabled: false } });
  });

  it('shows of each key only what the caller may read through KMS', async () => {
    const as = (who: { accessKeyId: string; secretAccessKey: string }) => ({ credentials: who });
    const at = moments[0]!.toISOString();
    const described = await queryApi(kms.url, `/api/regions/us-west-2/keys/${keys[0]}?at=${at}`, as(auditor));
    expect(described.status).toBe(200);
    expect(described.body.key).toMatchObject({ keyState: 'Enabled', tags: null, policy: null, rotation: null });
    const listed = await queryApi(kms.url, `/api/regions/us-west-2/keys?at=${at}`, as(historian));
    expect(listed.status).toBe(200);
    expect(listed.body.keys).toEqual([]);
    expect(listed.body.hiddenKeys).toBeGreaterThanOrEqual(2);
    const refused = await queryApi(kms.url, `/api/regions/us-west-2/keys/${keys[0]}?at=${at}`, as(historian));
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toContain('is not authorized to perform: kms:DescribeKey');
  });

  it('refuses unsigned calls with 401 and bad times with 400', async () => {
    expect((await queryApi(kms.url, '/api/regions/us-west-2/keys?at=yesterday')).status).toBe(400);
    expect((await queryApi(kms.url, '/api/regions/us-west-2/keys', { sign: false })).status).toBe(401);
  });

  // The read walks the Region's key and alias events through their partial index, not the log.
  it('reads through the partial index of key and alias events', async () => {
    const { rows } = await sql<{ 'QUERY PLAN': string }>`
      EXPLAIN SELECT type, data, occurred_at FROM events
       WHERE type IN ('KeyCreated', 'KeyEnabled', 'KeyDisabled', 'KeyDeletionScheduled', 'KeyDeletionCanceled',
                      'KeyDeleted', 'KeyDescriptionUpdated', 'KeyTagged', 'KeyUntagged', 'KeyPolicyPut',
                      'KeyRotationEnabled', 'KeyRotationDisabled', 'KeyMaterialRotated',
                      'AliasCreated', 'AliasRetargeted', 'AliasDeleted')
         AND data->>'accountId' = '111122223333' AND data->>'region' = 'us-west-2' AND occurred_at <= now()
       ORDER BY transaction_id, position`.execute(kms.database.db);
    expect(rows.map((row) => row['QUERY PLAN']).join('\n')).toContain('events_kms_scope_time_idx');
  });
});
