import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DecryptCommand,
  DisableKeyCommand,
  EnableKeyCommand,
  EncryptCommand,
  type KMSClient,
  ScheduleKeyDeletionCommand,
  UpdateAliasCommand,
} from '@aws-sdk/client-kms';
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { awsCli, hasAwsCli } from '../support/aws-cli';
import { eventually } from '../support/events';
import { waitForRecords } from '../support/cloudtrail-records';
import { failureOf } from '../support/failure';
import { type KmsTestApp, startKmsApp } from '../support/kms-test-app';
import { rawKms } from '../support/raw-kms';
import { TEST_CREDENTIALS } from '../support/test-app';
import { toolsRequired } from '../support/required-tools';
import { advanceClock } from '../support/controllable-clock';

const REGION = 'us-west-2';
const arnOf = (keyId: string) => `arn:aws:kms:${REGION}:${TEST_CREDENTIALS.accountId}:key/${keyId}`;
const SECRET = Buffer.from('the payroll database password: hunter2-hunter2');
const CONTEXT = { Department: 'Engineering', purpose: 'payroll' };

const failure = failureOf;

/**
 * Encrypt and Decrypt through an alias (kms-crypto §1–§5, §10 #1), with the real SDK: a ciphertext
 * names its key, not the alias, so moving the alias changes what new ciphertexts use and leaves old
 * ones decrypting; key states, usages, bad blobs and contexts answer AWS's errors; the audit trail
 * records each call without what it protected.
 */
describe('Encrypt and Decrypt through an alias', () => {
  let kms: KmsTestApp;
  let client: KMSClient;
  let first: string;
  let second: string;
  let before: Uint8Array;

  const encrypt = (
    KeyId: string,
    Plaintext: Uint8Array = SECRET,
    EncryptionContext: Record<string, string> = CONTEXT,
  ) => client.send(new EncryptCommand({ KeyId, Plaintext, EncryptionContext }));
  const newKey = async () => (await client.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;

  const aws = async (...args: string[]) => {
    const result = await awsCli(kms.url, TEST_CREDENTIALS, args);
    if (result.code !== 0) throw new Error(result.stderr);
    return result.stdout;
  };

  beforeAll(async () => {
    kms = await startKmsApp({ ALIASTRAIL_CLOCK: 'controllable' });
    client = kms.client();
    first = await newKey();
    second = await newKey();
    await client.send(new CreateAliasCommand({ AliasName: 'alias/payments', TargetKeyId: first }));
    before = (await encrypt('alias/payments')).CiphertextBlob!;
  });
  afterAll(() => kms.close());

  it('encrypts under the key the alias names, and decrypts without being told the key', async () => {
    const encrypted = await encrypt('alias/payments');
    expect(encrypted.KeyId).toBe(arnOf(first));
    expect(encrypted.EncryptionAlgorithm).toBe('SYMMETRIC_DEFAULT');
    // A fresh IV every call: the same plaintext never gives the same ciphertext.
    expect(Buffer.from(encrypted.CiphertextBlob!).equals(Buffer.from(before))).toBe(false);
    const decrypted = await client.send(
      new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob, EncryptionContext: CONTEXT }),
    );
    expect(Buffer.from(decrypted.Plaintext!).equals(SECRET)).toBe(true);
    expect(decrypted.KeyId).toBe(arnOf(first));
    expect(decrypted.KeyMaterialId).toMatch(/^[0-9a-f]{64}$/);
  });

  it('accepts the key by id, key ARN, alias name and alias ARN', async () => {
    const aliasArn = `arn:aws:kms:${REGION}:${TEST_CREDENTIALS.accountId}:alias/payments`;
    for (const keyId of [first, arnOf(first), 'alias/payments', aliasArn])
      expect((await encrypt(keyId)).KeyId).toBe(arnOf(first));
  });

  it('after UpdateAlias, new ciphertexts use the new key and old ones still decrypt under theirs', async () => {
    await client.send(new UpdateAliasCommand({ AliasName: 'alias/payments', TargetKeyId: second }));
    const after = await encrypt('alias/payments');
    expect(after.KeyId).toBe(arnOf(second));
    const old = await client.send(new DecryptCommand({ CiphertextBlob: before, EncryptionContext: CONTEXT }));
    expect(Buffer.from(old.Plaintext!).equals(SECRET)).toBe(true);
    expect(old.KeyId).toBe(arnOf(first));
    // Named through the alias, which now means the other key: the wrong key for that ciphertext.
    expect(
      await failure(
        client.send(
          new DecryptCommand({ CiphertextBlob: before, EncryptionContext: CONTEXT, KeyId: 'alias/payments' }),
        ),
      ),
    ).toEqual({
      name: 'IncorrectKeyException',
      message: 'The key ID in the request does not identify a CMK that can perform this operation.',
    });
    await client.send(new UpdateAliasCommand({ AliasName: 'alias/payments', TargetKeyId: first }));
  });

  it('refuses another encryption context, a damaged blob and a blob it never made, saying nothing more', async () => {
    const blob = Buffer.from(before);
    const cases: [Uint8Array, Record<string, string> | undefined][] = [
      [blob, undefined],
      [blob, { ...CONTEXT, purpose: 'Payroll' }],
      [blob, { ...CONTEXT, extra: '' }],
      [Buffer.concat([blob, Buffer.from('bad_data')]), CONTEXT],
      [blob.subarray(0, blob.length - 1), CONTEXT],
      [Buffer.from(blob.map((byte, i) => (i === 40 ? byte ^ 1 : byte))), CONTEXT],
      [Buffer.from('not a ciphertext at all'), CONTEXT],
    ];
    for (const [CiphertextBlob, EncryptionContext] of cases) {
      const answer = await failure(client.send(new DecryptCommand({ CiphertextBlob, EncryptionContext })));
      expect(answer.name).toBe('InvalidCiphertextException');
    }
    const raw = await rawKms(kms.url, JSON.stringify({ CiphertextBlob: Buffer.from('junk').toString('base64') }), {
      target: 'TrentService.Decrypt',
    });
    expect(raw.json).toEqual({ __type: 'InvalidCiphertextException' });
  });

  it('treats an empty encryption context as none', async () => {
    const encrypted = await encrypt(first, SECRET, {});
    const decrypted = await client.send(new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob }));
    expect(Buffer.from(decrypted.Plaintext!).equals(SECRET)).toBe(true);
  });

  it("answers a disabled key's ciphertexts with its state, and a deleted key's as unreachable, its material destroyed", async () => {
    const doomed = await newKey();
    const blob = (await encrypt(doomed)).CiphertextBlob!;
    await client.send(new DisableKeyCommand({ KeyId: doomed }));
    const disabled = { name: 'DisabledException', message: `${arnOf(doomed)} is disabled.` };
    expect(await failure(encrypt(doomed))).toEqual(disabled);
    expect(
      await failure(client.send(new DecryptCommand({ CiphertextBlob: blob, EncryptionContext: CONTEXT }))),
    ).toEqual(disabled);
    await client.send(new EnableKeyCommand({ KeyId: doomed }));
    await client.send(new ScheduleKeyDeletionCommand({ KeyId: doomed, PendingWindowInDays: 7 }));
    expect(await failure(encrypt(doomed))).toEqual({
      name: 'KMSInvalidStateException',
      message: `${arnOf(doomed)} is pending deletion.`,
    });
    const materialRows = async () =>
      Number(
        (
          await kms.database.pool.query<{ n: string }>(
            'SELECT count(*)::text AS n FROM kms_key_material WHERE key_id = $1',
            [doomed],
          )
        ).rows[0]!.n,
      );
    expect(await materialRows()).toBe(1);
    await advanceClock(kms.url, 8 * 86400);
    expect(await eventually(async () => (await materialRows()) === 0, 10_000, 50)).toBe(true);
    expect(
      await failure(client.send(new DecryptCommand({ CiphertextBlob: blob, EncryptionContext: CONTEXT }))),
    ).toEqual({
      name: 'AccessDeniedException',
      message:
        'The ciphertext refers to a customer master key that does not exist, does not exist in this region, or you are not allowed to access.',
    });
  });

  it('answers the AWS CLI: kms encrypt and decrypt with fileb://', async () => {
    if (!hasAwsCli && !toolsRequired) return; // not installed here: the SDK cases stand for it
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aliastrail-cli-'));
    try {
      fs.writeFileSync(path.join(dir, 'secret.txt'), SECRET);
      const ciphertext = await aws(
        'kms',
        'encrypt',
        '--key-id',
        'alias/payments',
        '--plaintext',
        `fileb://${path.join(dir, 'secret.txt')}`,
        '--encryption-context',
        'Department=Engineering',
        '--query',
        'CiphertextBlob',
        '--output',
        'text',
      );
      fs.writeFileSync(path.join(dir, 'secret.enc'), Buffer.from(ciphertext.trim(), 'base64'));
      const plaintext = await aws(
        'kms',
        'decrypt',
        '--ciphertext-blob',
        `fileb://${path.join(dir, 'secret.enc')}`,
        '--encryption-context',
        'Department=Engineering',
        '--query',
        'Plaintext',
        '--output',
        'text',
      );
      expect(Buffer.from(plaintext.trim(), 'base64').equals(SECRET)).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("does not decrypt another Region's ciphertext", async () => {
    const elsewhere = kms.client({ region: 'eu-west-1' });
    expect(
      await failure(elsewhere.send(new DecryptCommand({ CiphertextBlob: before, EncryptionContext: CONTEXT }))),
    ).toMatchObject({ name: 'AccessDeniedException' });
  });

  it('records each call as CloudTrail does, without the plaintext, the ciphertext or the material', async () => {
    const trail = kms.trail({ region: REGION });
    await waitForRecords(trail, 'Encrypt');
    const { Events } = await trail.send(
      new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: arnOf(first) }] }),
    );
    const encryptRecord = Events!
      .map((e) => JSON.parse(e.CloudTrailEvent!) as Record<string, unknown>)
      .find((r) => {
        const sent = r.requestParameters as { keyId?: string; encryptionContext?: Record<string, string> };
        // The SDK's calls, not the CLI's (which sends another encryption context).
        return (
          r.eventName === 'Encrypt' && sent.keyId === 'alias/payments' && sent.encryptionContext?.purpose === 'payroll'
        );
      });
    expect(encryptRecord).toMatchObject({
      readOnly: true,
      requestParameters: {
        keyId: 'alias/payments',
        encryptionAlgorithm: 'SYMMETRIC_DEFAULT',
        encryptionContext: CONTEXT,
      },
      responseElements: null,
      resources: [{ accountId: TEST_CREDENTIALS.accountId, type: 'AWS::KMS::Key', ARN: arnOf(first) }],
    });
    trail.destroy();
    const leaks = [SECRET.toString('utf8'), SECRET.toString('base64'), Buffer.from(before).toString('base64')];
    const material = await kms.database.pool.query<{ hex: string }>(
      `SELECT encode(wrapped, 'hex') AS hex FROM kms_key_material`,
    );
    const { rows } = await kms.database.pool.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM events WHERE data::text || metadata::text LIKE ANY($1)`,
      [[...leaks, ...material.rows.map((r) => r.hex.slice(0, 40))].map((leak) => `%${leak}%`)],
    );
    expect(rows[0]!.n).toBe('0');
  });
});
