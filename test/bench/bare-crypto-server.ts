import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto';
import * as http from 'node:http';
import { Pool } from 'pg';
import type { Principal } from '../../src/auth/principal';
import { verifySigV4 } from '../../src/auth/sigv4-verifier';

/**
 * The ceiling for a KMS crypto call here: a bare node:http server that verifies SigV4 with
 * aliastrail's own verifier (one principal, given in BARE_ACCESS_KEY_ID, BARE_SECRET_ACCESS_KEY and
 * BARE_ACCOUNT_ID), reads the key with one indexed SELECT per request and encrypts with AES-256-GCM
 * under a fresh IV. Nothing else: no validation, no authorisation, no key state, no audit record.
 * Run as `node bare-crypto-server.js <port> <database url> <alias name>`; it creates that alias's key.
 *
 * Ciphertext: key id (36 ASCII bytes, also the additional data) ‖ IV (12) ‖ ciphertext ‖ tag (16).
 */
const KEY_ID_BYTES = 36;
const IV_BYTES = 12;
const TAG_BYTES = 16;

interface KeyRow {
  readonly key_id: string;
  readonly material: Buffer;
}

async function main(): Promise<void> {
  const [port, url, aliasName] = process.argv.slice(2) as [string, string, string];
  const env = (name: string) => process.env[name] ?? '';
  const principal: Principal = {
    accessKeyId: env('BARE_ACCESS_KEY_ID'),
    secretAccessKey: env('BARE_SECRET_ACCESS_KEY'),
    accountId: env('BARE_ACCOUNT_ID'),
    arn: `arn:aws:iam::${env('BARE_ACCOUNT_ID')}:user/bench`,
    userName: 'bench',
  };
  const pool = new Pool({ connectionString: url, max: 40 });
  await pool.query(
    'CREATE TABLE IF NOT EXISTS bench_bare_crypto_keys (alias_name text PRIMARY KEY, key_id text NOT NULL UNIQUE, material bytea NOT NULL)',
  );
  await pool.query('INSERT INTO bench_bare_crypto_keys VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [
    aliasName,
    randomUUID(),
    randomBytes(32),
  ]);
  // Named: prepared once per connection, the cheapest a SELECT gets through pg.
  const keyOf = async (column: 'alias_name' | 'key_id', value: string) =>
    (
      await pool.query<KeyRow>({
        name: `key_by_${column}`,
        text: `SELECT key_id, material FROM bench_bare_crypto_keys WHERE ${column} = $1`,
        values: [value],
      })
    ).rows[0];

  const answer = async (req: http.IncomingMessage, body: Buffer): Promise<Record<string, unknown>> => {
    const { region } = await verifySigV4(
      { method: req.method ?? 'POST', path: req.url?.split('?')[0] ?? '/', query: {}, headers: req.headers, body },
      'kms',
      (id) => (id === principal.accessKeyId ? principal : undefined),
      new Date(),
    );
    const input = JSON.parse(body.toString('utf8')) as Record<string, string>;
    const arn = (keyId: string) => `arn:aws:kms:${region}:${principal.accountId}:key/${keyId}`;
    const operation = String(req.headers['x-amz-target']).replace('TrentService.', '');
    if (operation === 'Decrypt') {
      const blob = Buffer.from(input.CiphertextBlob!, 'base64');
      const named = blob.subarray(0, KEY_ID_BYTES).toString('latin1');
      // Through the alias, as the benchmark calls it: the alias's key must be the ciphertext's.
      const key = input.KeyId ? await keyOf('alias_name', input.KeyId) : await keyOf('key_id', named);
      if (!key || key.key_id !== named) throw new Error('no such key, or not the ciphertext’s');
      return { KeyId: arn(key.key_id), Plaintext: decrypt(key, blob).toString('base64') };
    }
    const key = await keyOf('alias_name', input.KeyId!);
    if (!key) throw new Error('no such alias');
    if (operation === 'Encrypt') {
      const blob = encrypt(key, Buffer.from(input.Plaintext!, 'base64'));
      return { CiphertextBlob: blob.toString('base64'), KeyId: arn(key.key_id) };
    }
    if (operation !== 'GenerateDataKey') throw new Error(`not served: ${operation}`);
    const plaintext = randomBytes(32);
    const blob = encrypt(key, plaintext);
    return { CiphertextBlob: blob.toString('base64'), Plaintext: plaintext.toString('base64'), KeyId: arn(key.key_id) };
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      answer(req, Buffer.concat(chunks)).then(
        (output) => send(res, 200, output),
        (error: Error) => send(res, 400, { __type: error.name, message: error.message }),
      );
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(Number(port), '127.0.0.1', () => process.stdout.write('ready\n'));
  process.on('SIGTERM', () => server.close(() => void pool.end().then(() => process.exit(0))));
}

function send(res: http.ServerResponse, status: number, output: Record<string, unknown>): void {
  const body = Buffer.from(JSON.stringify(output));
  res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'content-length': body.length });
  res.end(body);
}

function encrypt(key: KeyRow, plaintext: Buffer): Buffer {
  const iv = randomBytes(IV_BYTES);
  const keyId = Buffer.from(key.key_id, 'latin1');
  const cipher = createCipheriv('aes-256-gcm', key.material, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(keyId);
  return Buffer.concat([keyId, iv, cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
}

function decrypt(key: KeyRow, blob: Buffer): Buffer {
  const iv = blob.subarray(KEY_ID_BYTES, KEY_ID_BYTES + IV_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key.material, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(blob.subarray(0, KEY_ID_BYTES));
  decipher.setAuthTag(blob.subarray(blob.length - TAG_BYTES));
  return Buffer.concat([
    decipher.update(blob.subarray(KEY_ID_BYTES + IV_BYTES, blob.length - TAG_BYTES)),
    decipher.final(),
  ]);
}

void main();
