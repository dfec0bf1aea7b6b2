import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import {
  CreateAliasCommand,
  CreateGrantCommand,
  CreateKeyCommand,
  DecryptCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  GenerateDataKeyPairCommand,
  GenerateMacCommand,
  GenerateRandomCommand,
  KMSClient,
  ReEncryptCommand,
  RotateKeyOnDemandCommand,
  SignCommand,
} from '@aws-sdk/client-kms';
import { keyArn } from '../../src/kms/domain/identifiers';
import { RootKeyWrapper } from '../../src/kms/material/material-wrapper';
import { eventually } from '../support/events';
import { type ServiceProcess, ensureBuilt, startServiceProcess } from '../support/service-process';
import { TEST_CREDENTIALS } from '../support/test-app';
import { type TestDatabase, createTestDatabase } from '../support/test-database';

const REGION = 'us-west-2';
const SCOPE = { accountId: TEST_CREDENTIALS.accountId, region: REGION };
const ROOT = path.resolve(__dirname, '../..');

/**
 * Every text a secret could be written as: hex, base64, base64url, and as itself when it is text,
 * each cut to 32 characters: long enough to be no accident.
 */
function spellings(secret: Buffer): string[] {
  const encoded = [secret.toString('hex'), secret.toString('base64'), secret.toString('base64url')];
  const text = secret.toString('utf8');
  const printable = /^[\x20-\x7e\u2019]+$/.test(text);
  return [...encoded, ...(printable ? [text] : [])].map((spelling) => spelling.slice(0, 32));
}

/** Every file under `dir`, as text (gzipped ones unzipped). */
function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).flatMap((entry) => {
    if (!entry.isFile()) return [];
    const bytes = fs.readFileSync(path.join(entry.parentPath, entry.name));
    return [(entry.name.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('latin1')];
  });
}

/**
 * Key material, plaintexts, data keys, private keys, grant tokens and the root key (design §9,
 * issue 14): made by every kind of call, failed ones too, then looked for in every place they must
 * not be — the events, the audit records (LookupEvents), the ledger export, the service's log at
 * debug level, its metrics — spelled as hex, base64 and base64url.
 */
describe('secrets stay where they belong', () => {
  let database: TestDatabase;
  let service: ServiceProcess;
  let dataDir: string;
  let kms: KMSClient;
  const secrets = new Map<string, Buffer>();
  const keep = (name: string, value: Uint8Array | undefined) => secrets.set(name, Buffer.from(value!));

  beforeAll(async () => {
    ensureBuilt();
    database = await createTestDatabase();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aliastrail-secrets-'));
    service = await startServiceProcess({
      DATABASE_URL: database.url,
      ALIASTRAIL_DATA_DIR: dataDir,
      LOG_LEVEL: 'debug',
      ALIASTRAIL_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
      ALIASTRAIL_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
      ALIASTRAIL_ACCOUNT_ID: TEST_CREDENTIALS.accountId,
    });
    kms = new KMSClient({ region: REGION, endpoint: service.url, maxAttempts: 1, credentials: TEST_CREDENTIALS });
  }, 120_000);
  afterAll(async () => {
    kms?.destroy();
    await service?.stop();
    await database?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('makes secrets with every kind of call', async () => {
    const create = async (input: Record<string, string> = {}) =>
      (await kms.send(new CreateKeyCommand(input))).KeyMetadata!.KeyId!;
    const symmetric = await create();
    const rsa = await create({ KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' });
    const ecc = await create({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
    const hmac = await create({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' });
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/sweep', TargetKeyId: symmetric }));
    const plaintext = Buffer.from(`the plaintext ${Math.random()} that must stay secret`);
    keep('plaintext', plaintext);
    const { CiphertextBlob } = await kms.send(
      new EncryptCommand({ KeyId: 'alias/sweep', Plaintext: plaintext, EncryptionContext: { app: 'sweep' } }),
    );
    await kms.send(new DecryptCommand({ CiphertextBlob, EncryptionContext: { app: 'sweep' } }));
    // A failed call, whose error and log line must not repeat what was sent either.
    await expect(kms.send(new DecryptCommand({ CiphertextBlob }))).rejects.toThrow();
    keep(
      'data key',
      (await kms.send(new GenerateDataKeyCommand({ KeyId: 'alias/sweep', KeySpec: 'AES_256' }))).Plaintext,
    );
    const pair = await kms.send(new GenerateDataKeyPairCommand({ KeyId: symmetric, KeyPairSpec: 'ECC_NIST_P256' }));
    keep('data key pair private key', pair.PrivateKeyPlaintext);
    await kms.send(
      new ReEncryptCommand({ CiphertextBlob, SourceEncryptionContext: { app: 'sweep' }, DestinationKeyId: symmetric }),
    );
    const oaep = Buffer.from('rsa plaintext kept secret 0123456789');
    keep('rsa plaintext', oaep);
    await kms.send(new EncryptCommand({ KeyId: rsa, Plaintext: oaep, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' }));
    const message = Buffer.from('a message to sign, which is the caller’s business alone');
    keep('signed message', message);
    await kms.send(new SignCommand({ KeyId: ecc, Message: message, SigningAlgorithm: 'ECDSA_SHA_256' }));
    keep(
      'mac',
      (await kms.send(new GenerateMacCommand({ KeyId: hmac, Message: message, MacAlgorithm: 'HMAC_SHA_256' }))).Mac,
    );
    keep('random', (await kms.send(new GenerateRandomCommand({ NumberOfBytes: 64 }))).Plaintext);
    const grant = await kms.send(
      new CreateGrantCommand({
        KeyId: symmetric,
        GranteePrincipal: 'arn:aws:iam::111122223333:role/app',
        Operations: ['Decrypt'],
      }),
    );
    secrets.set('grant token', Buffer.from(grant.GrantToken!));
    await kms.send(
      new EncryptCommand({ KeyId: symmetric, Plaintext: Buffer.from('x'), GrantTokens: [grant.GrantToken!] }),
    );
    await kms.send(new RotateKeyOnDemandCommand({ KeyId: symmetric }));
    await kms.send(new EncryptCommand({ KeyId: 'alias/sweep', Plaintext: plaintext }));
    secrets.set('secret access key', Buffer.from(TEST_CREDENTIALS.secretAccessKey));

    // The material itself, unwrapped as the service does it: every version of every key.
    const root = fs.readFileSync(path.join(dataDir, 'root-key.bin'));
    secrets.set('root key', root);
    const wrapper = new RootKeyWrapper(root);
    const { rows } = await database.pool.query<{ key_id: string; version: number; wrapped: Buffer }>(
      'SELECT key_id, version, wrapped FROM kms_key_material',
    );
    for (const row of rows)
      keep(
        `material of ${row.key_id}#${row.version}`,
        wrapper.unwrap(row.wrapped, { keyArn: keyArn(SCOPE, row.key_id), version: row.version }),
      );
    // Besides the AWS managed keys the first call of the Region provisioned.
    expect(rows.map((row) => row.key_id)).toEqual(expect.arrayContaining([symmetric, rsa, ecc, hmac]));
    expect(
      rows
        .filter((row) => row.key_id === symmetric)
        .map((row) => row.version)
        .sort(),
    ).toEqual([1, 2]);
  });

  it('finds none of them in the events, the audit records, the export, the log or the metrics', async () => {
    const trail = new CloudTrailClient({
      region: REGION,
      endpoint: service.url,
      maxAttempts: 1,
      credentials: TEST_CREDENTIALS,
    });
    // Every call recorded (the recorder writes a few milliseconds after answering).
    const records = async () => {
      const events: unknown[] = [];
      let NextToken: string | undefined;
      do {
        const page = await trail.send(new LookupEventsCommand({ MaxResults: 50, NextToken }));
        events.push(...(page.Events ?? []));
        NextToken = page.NextToken;
      } while (NextToken);
      return events;
    };
    expect(await eventually(async () => (await records()).length >= 19, 15_000, 100)).toBe(true);
    const lookedUp = JSON.stringify(await records());
    trail.destroy();

    const exportDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aliastrail-secrets-export-'));
    const exported = await new Promise<{ code: number; output: string }>((resolve) =>
      execFile(
        process.execPath,
        [path.join(ROOT, 'dist/src/cli/cli.js'), 'export', exportDir],
        { cwd: ROOT, env: { PATH: process.env.PATH, DATABASE_URL: database.url, ALIASTRAIL_DATA_DIR: dataDir } },
        (error, stdout, stderr) => resolve({ code: error ? 1 : 0, output: stdout + stderr }),
      ),
    );
    expect(exported).toMatchObject({ code: 0 });
    const exportFiles = filesUnder(exportDir);
    expect(exportFiles.join('')).toContain('RotateKeyOnDemand');
    fs.rmSync(exportDir, { recursive: true, force: true });

    const { rows } = await database.pool.query<{ text: string }>(
      `SELECT string_agg(data::text || metadata::text, '') AS text FROM events`,
    );
    const metrics = await (await fetch(`${service.url}/metrics`)).text();
    const places: Record<string, string> = {
      events: rows[0]!.text,
      'audit records (LookupEvents)': lookedUp,
      'ledger export': exportFiles.join('\n'),
      'service log': service.output() + exported.output,
      metrics,
    };
    // The places hold what they should: this sweep would not pass for having looked at nothing.
    expect(places['service log']).toContain('request completed');
    expect(places.events).toContain('alias/sweep');

    const found: string[] = [];
    for (const [place, text] of Object.entries(places))
      for (const [name, secret] of secrets)
        for (const spelling of spellings(secret)) if (text.includes(spelling)) found.push(`${name} in ${place}`);
    expect([...new Set(found)]).toEqual([]);
  });
});
