import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CreateKeyCommand, EncryptCommand, RotateKeyOnDemandCommand } from '@aws-sdk/client-kms';
import { type KmsTestApp, startKmsApp } from '../support/kms-test-app';
import { rawKms } from '../support/raw-kms';
import { ensureBuilt } from '../support/service-process';
import { TEST_CREDENTIALS, createTestApp } from '../support/test-app';

const REGION = 'us-west-2';
const arnOf = (keyId: string) => `arn:aws:kms:${REGION}:${TEST_CREDENTIALS.accountId}:key/${keyId}`;
const CONTEXT = { purpose: 'payroll' };

/**
 * The root key and the material it wraps (design §9): losing either is an error naming the key,
 * never a wrong answer, and a service whose root key file is gone does not quietly make a new one.
 */
describe('the root key', () => {
  let kms: KmsTestApp;
  let first: string;
  let before: Uint8Array;

  beforeAll(async () => {
    kms = await startKmsApp();
    const client = kms.client();
    first = (await client.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    before = (
      await client.send(new EncryptCommand({ KeyId: first, Plaintext: Buffer.from('x'), EncryptionContext: CONTEXT }))
    ).CiphertextBlob!;
  });
  afterAll(() => kms.close());

  it('will not start without its root key once material is stored, and names the key when the root key is another', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aliastrail-root-key-'));
    try {
      // As its own process: a start-up failure ends it, as it should.
      ensureBuilt();
      const lost = await new Promise<{ code: number | null; output: string }>((resolve) =>
        execFile(
          process.execPath,
          [path.resolve(__dirname, '../../dist/src/main.js')],
          {
            timeout: 30_000,
            env: {
              PATH: process.env.PATH ?? '',
              DATABASE_URL: kms.database.url,
              PORT: '0',
              ALIASTRAIL_DATA_DIR: dir,
              ALIASTRAIL_ROOT_KEY_FILE: path.join(dir, 'lost.bin'),
            },
          },
          (error, stdout, stderr) => resolve({ code: error ? (error.code as number) : 0, output: stdout + stderr }),
        ),
      );
      expect(lost.code).not.toBe(0);
      expect(lost.output).toMatch(/the root key .*lost\.bin does not exist, and the database holds key material/);
      expect(fs.existsSync(path.join(dir, 'lost.bin'))).toBe(false);
      const other = path.join(dir, 'other.bin');
      fs.writeFileSync(other, Buffer.alloc(32, 7), { mode: 0o600 });
      const wrong = await createTestApp(kms.database.url, { ALIASTRAIL_ROOT_KEY_FILE: other });
      await wrong.listen(0, '127.0.0.1');
      const url = `http://127.0.0.1:${(wrong.getHttpServer().address() as { port: number }).port}`;
      const answer = await rawKms(
        url,
        JSON.stringify({ CiphertextBlob: Buffer.from(before).toString('base64'), EncryptionContext: CONTEXT }),
        {
          target: 'TrentService.Decrypt',
        },
      );
      await wrong.close();
      expect(answer.status).toBe(500);
      expect(answer.json).toEqual({
        __type: 'KMSInternalException',
        message: `the key material of ${arnOf(first)} (version 1) does not unwrap: the root key is not the one it was wrapped under, or its stored row was altered`,
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('verify unwraps every version of every key and names those missing or not unwrapping', async () => {
    ensureBuilt();
    const client = kms.client();
    const rotated = (await client.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    await client.send(new RotateKeyOnDemandCommand({ KeyId: rotated }));
    const verify = (rootKeyFile?: string) =>
      new Promise<{ code: number; output: string }>((resolve) =>
        execFile(
          process.execPath,
          [path.resolve(__dirname, '../../dist/src/cli/cli.js'), 'verify'],
          {
            timeout: 60_000,
            env: {
              PATH: process.env.PATH ?? '',
              DATABASE_URL: kms.database.url,
              // The test apps' data directory: their ledger signing key and root key are there.
              ALIASTRAIL_DATA_DIR: os.tmpdir(),
              ...(rootKeyFile ? { ALIASTRAIL_ROOT_KEY_FILE: rootKeyFile } : {}),
            },
          },
          (error, stdout, stderr) => resolve({ code: error ? (error.code as number) : 0, output: stdout + stderr }),
        ),
      );
    const clean = await verify();
    expect(clean.output).toMatch(/key material: \d+ keys, \d+ versions checked, 0 unusable/);
    expect(clean.code).toBe(0);

    await kms.database.pool.query('DELETE FROM kms_key_material WHERE key_id = $1 AND version = 2', [rotated]);
    const missing = await verify();
    expect(missing.code).toBe(1);
    expect(missing.output).toContain('1 unusable');
    expect(missing.output).toContain(`${arnOf(rotated)} version 2: missing`);

    const other = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'aliastrail-verify-')), 'other.bin');
    fs.writeFileSync(other, Buffer.alloc(32, 9), { mode: 0o600 });
    const wrongRoot = await verify(other);
    expect(wrongRoot.code).toBe(1);
    expect(wrongRoot.output).toContain(`${arnOf(first)} version 1: does not unwrap`);
    expect(wrongRoot.output).toContain(`${arnOf(rotated)} version 2: missing`);
    fs.rmSync(path.dirname(other), { recursive: true, force: true });
  });
});
