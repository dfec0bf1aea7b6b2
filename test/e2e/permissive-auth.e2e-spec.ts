import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CreateAliasCommand, CreateKeyCommand, KMSClient, ListAliasesCommand } from '@aws-sdk/client-kms';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { awsCli, hasAwsCli } from '../support/aws-cli';
import { waitForRecords } from '../support/cloudtrail-records';
import { failureOf } from '../support/failure';
import { type KmsTestApp, startKmsApp } from '../support/kms-test-app';
import { rawKms } from '../support/raw-kms';
import { ensureBuilt, startServiceProcess } from '../support/service-process';
import { type TestDatabase, createTestDatabase } from '../support/test-database';
import { toolsRequired } from '../support/required-tools';

const REGION = 'us-west-2';
const EMULATOR_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };
/** Permissive mode's default account (LocalStack's). */
const SANDBOX = '000000000000';
/** What an application would encrypt: it must never reach the log. */
const SECRET = 'card 4111-1111-1111-1111 cvv 123';

const failure = failureOf;

/**
 * ALIASTRAIL_AUTH=permissive, the emulators' way (moto and LocalStack take `test`/`test`), and what
 * an application reaching an operation aliastrail does not implement gets and leaves in the trail.
 */
describe('permissive mode for local development', () => {
  let kms: KmsTestApp;
  let emulatorUser: KMSClient;

  beforeAll(async () => {
    kms = await startKmsApp({ ALIASTRAIL_AUTH: 'permissive' });
    emulatorUser = kms.client(EMULATOR_CREDENTIALS);
  });
  afterAll(() => kms.close());

  it('takes any access key, without checking its signature, as a user of a sandbox account', async () => {
    const created = await emulatorUser.send(new CreateKeyCommand({ Description: 'from a test suite' }));
    expect(created.KeyMetadata!.Arn).toBe(`arn:aws:kms:${REGION}:${SANDBOX}:key/${created.KeyMetadata!.KeyId}`);
    await emulatorUser.send(
      new CreateAliasCommand({ AliasName: 'alias/permissive', TargetKeyId: created.KeyMetadata!.KeyId }),
    );
    // Another made-up key shares the sandbox; the configured principal's account is not it.
    const other = kms.client({ accessKeyId: 'AKIAANYTHINGATALL', secretAccessKey: 'whatever' });
    expect((await other.send(new ListAliasesCommand({}))).Aliases!.map((a) => a.AliasName)).toContain(
      'alias/permissive',
    );
    expect((await kms.client().send(new ListAliasesCommand({}))).Aliases!.map((a) => a.AliasName)).not.toContain(
      'alias/permissive',
    );
  });

  it('still checks the signature of a configured principal', async () => {
    const forged = kms.client({ secretAccessKey: 'not-the-configured-secret-000000000000' });
    expect(await failure(forged.send(new ListAliasesCommand({})))).toMatchObject({
      name: 'InvalidSignatureException',
    });
  });

  it('refuses an access key that could smuggle text into a record', async () => {
    const answer = await rawKms(kms.url, '{}', { accessKeyId: 'test"user', secretAccessKey: 'test' });
    expect(answer.json?.__type).toBe('UnrecognizedClientException');
  });

  it('records who called: an IAM user named after the access key', async () => {
    const trail = new CloudTrailClient({
      region: REGION,
      endpoint: kms.url,
      maxAttempts: 1,
      credentials: EMULATOR_CREDENTIALS,
    });
    const events = await waitForRecords(trail, 'CreateAlias');
    const record = JSON.parse(events[0]!.CloudTrailEvent!) as { userIdentity: Record<string, string> };
    expect(record.userIdentity).toMatchObject({
      type: 'IAMUser',
      arn: `arn:aws:iam::${SANDBOX}:user/permissive/test`,
      accountId: SANDBOX,
      accessKeyId: 'test',
      userName: 'test',
    });
    trail.destroy();
  });

  it('answers an operation it does not implement by name, and records the call without what it sent', async () => {
    // DeriveSharedSecret is out of aliastrail's scope; the secret rides in a member it cannot judge.
    const body = {
      KeyId: 'alias/permissive',
      KeyAgreementAlgorithm: 'ECDH',
      PublicKey: Buffer.from(SECRET).toString('base64'),
    };
    const answer = await rawKms(kms.url, JSON.stringify(body), {
      target: 'TrentService.DeriveSharedSecret',
      ...EMULATOR_CREDENTIALS,
    });
    expect(answer.status).toBe(400);
    expect(answer.json).toEqual({
      __type: 'UnknownOperationException',
      message: 'aliastrail does not implement the operation DeriveSharedSecret.',
    });
    const trail = new CloudTrailClient({
      region: REGION,
      endpoint: kms.url,
      maxAttempts: 1,
      credentials: EMULATOR_CREDENTIALS,
    });
    const [event] = await waitForRecords(trail, 'DeriveSharedSecret');
    trail.destroy();
    const record = JSON.parse(event!.CloudTrailEvent!) as Record<string, unknown>;
    expect(record).toMatchObject({
      eventName: 'DeriveSharedSecret',
      errorCode: 'UnknownOperationException',
      errorMessage: 'aliastrail does not implement the operation DeriveSharedSecret.',
      requestParameters: null,
    });
    // Neither the secret nor its base64 is anywhere in the log.
    const { rows } = await kms.database.pool.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM events WHERE data::text || metadata::text LIKE ANY($1)`,
      [[`%${SECRET}%`, `%${Buffer.from(SECRET).toString('base64')}%`]],
    );
    expect(rows[0]!.n).toBe('0');
  });

  it('records an unknown operation only for a caller whose signature held', async () => {
    const forged = await rawKms(kms.url, '{}', {
      target: 'TrentService.PlantedOperation',
      secretAccessKey: 'not-the-configured-secret-000000000000',
    });
    expect(forged.json?.__type).toBe('InvalidSignatureException');
    await new Promise((resolve) => setTimeout(resolve, 200)); // past the recorder's flush
    const { rows } = await kms.database.pool.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM events WHERE data->>'eventName' = 'PlantedOperation'`,
    );
    expect(rows[0]!.n).toBe('0');
  });

  it('answers an unreadable target without repeating it, and records nothing for it', async () => {
    const answer = await rawKms(kms.url, '{}', { target: 'TrentService.<img src=x>', ...EMULATOR_CREDENTIALS });
    expect(answer.status).toBe(400);
    expect(answer.json).toEqual({ __type: 'UnknownOperationException' });
    const { rows } = await kms.database.pool.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM events WHERE metadata::text LIKE '%img src%'`,
    );
    expect(rows[0]!.n).toBe('0');
  });

  it('answers the AWS CLI signed with test/test', async () => {
    if (!hasAwsCli && !toolsRequired) return; // the CLI is not installed here: the SDK cases above stand for it
    const { stdout } = await awsCli(kms.url, EMULATOR_CREDENTIALS, ['kms', 'list-aliases']);
    expect((JSON.parse(stdout) as { Aliases: { AliasName: string }[] }).Aliases.map((a) => a.AliasName)).toContain(
      'alias/permissive',
    );
  });
});

/** The service as its own process: what it says at start, and where it will not start at all. */
describe('permissive mode at start', () => {
  let database: TestDatabase;
  let dataDir: string;

  beforeAll(async () => {
    ensureBuilt();
    database = await createTestDatabase();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aliastrail-permissive-'));
  });
  afterAll(async () => {
    await database.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const env = () => ({
    DATABASE_URL: database.url,
    ALIASTRAIL_DATA_DIR: dataDir,
    ALIASTRAIL_AUTH: 'permissive',
    ALIASTRAIL_PERMISSIVE_ACCOUNT_ID: '123456789012',
    ALIASTRAIL_LEDGER_SEQUENCER: 'off',
    LOG_LEVEL: 'silent',
  });

  it('warns loudly, whatever the log level, and serves the account it is told', async () => {
    const service = await startServiceProcess(env());
    try {
      expect(service.output()).toMatch(/ALIASTRAIL_AUTH=permissive: ANY access key .* WITHOUT checking its signature/);
      expect(service.output()).toContain('account 123456789012');
      const client = new KMSClient({
        region: REGION,
        endpoint: service.url,
        maxAttempts: 1,
        credentials: EMULATOR_CREDENTIALS,
      });
      const { KeyMetadata } = await client.send(new CreateKeyCommand({}));
      expect(KeyMetadata!.Arn).toMatch(/^arn:aws:kms:us-west-2:123456789012:key\//);
      client.destroy();
    } finally {
      await service.stop();
    }
  });

  it('refuses to start in production', async () => {
    const main = path.resolve(__dirname, '../../dist/src/main.js');
    const result = await new Promise<{ code: number | null; output: string }>((resolve) =>
      execFile(
        process.execPath,
        [main],
        { timeout: 30_000, env: { PATH: process.env.PATH ?? '', ...env(), NODE_ENV: 'production', PORT: '0' } },
        (error, stdout, stderr) => resolve({ code: error ? (error.code as number) : 0, output: stdout + stderr }),
      ),
    );
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/ALIASTRAIL_AUTH: permissive .* refused when NODE_ENV=production/);
  });
});
