import {
  type KeyObject,
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
} from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type DigestSigner, ed25519Signer } from './digest';

/** The ledger's Ed25519 key, read from a file the database never sees. */
export interface LedgerSigningKey {
  readonly file: string;
  readonly publicKeyFile: string;
  readonly publicKey: KeyObject;
  readonly fingerprint: string;
  readonly signer: DigestSigner;
}

/** The key file is missing or unusable; the message says what to do. */
export class LedgerKeyError extends Error {
  override readonly name = 'LedgerKeyError';
}

/** Where the public key is written: `ledger-signing-key.pem` → `ledger-signing-key.pub.pem`. */
export function publicKeyFileOf(keyFile: string): string {
  return keyFile.endsWith('.pem') ? `${keyFile.slice(0, -4)}.pub.pem` : `${keyFile}.pub.pem`;
}

/** SHA-256 of the public key's SubjectPublicKeyInfo (DER), in hex: how digests name their key. */
export function fingerprintOf(publicKey: KeyObject): string {
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex');
}

/**
 * Reads the private key from `file`, or, when `create` allows it and the file does not exist,
 * generates one there (mode 0600, in a directory made 0700). Either way the public key is written
 * next to it (PEM), for verifiers. Several processes starting at once agree on one key: the new key
 * is written to a temporary file and linked into place, which fails if another process got there
 * first, and then that one is read.
 */
export function openSigningKey(
  file: string,
  options: { create: boolean },
): { key: LedgerSigningKey; created: boolean } {
  let created = false;
  if (!fs.existsSync(file)) {
    if (!options.create)
      throw new LedgerKeyError(
        `the ledger signing key ${file} does not exist, and the ledger is already signed with another key: restore that key file, or point ALIASTRAIL_LEDGER_KEY_FILE at it`,
      );
    created = generateInto(file);
  }
  const privateKey = readPrivateKey(file);
  const publicKey = createPublicKey(privateKey);
  const fingerprint = fingerprintOf(publicKey);
  const publicKeyFile = publicKeyFileOf(file);
  writePublicKey(publicKeyFile, publicKey);
  return {
    key: { file, publicKeyFile, publicKey, fingerprint, signer: ed25519Signer(privateKey, fingerprint) },
    created,
  };
}

/** A public key for verifying, from a public key PEM or, failing that, from a private key PEM. */
export function readPublicKey(file: string): KeyObject {
  const pem = fs.readFileSync(file, 'utf8');
  let key: KeyObject;
  try {
    key = pem.includes('PRIVATE KEY') ? createPublicKey(createPrivateKey(pem)) : createPublicKey(pem);
  } catch (error) {
    throw new LedgerKeyError(`${file} is not a PEM key: ${(error as Error).message}`);
  }
  if (key.asymmetricKeyType !== 'ed25519')
    throw new LedgerKeyError(`${file} holds a ${key.asymmetricKeyType} key, not Ed25519`);
  return key;
}

function readPrivateKey(file: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new LedgerKeyError(`the ledger signing key ${file} cannot be read: ${(error as Error).message}`);
  }
  if (key.asymmetricKeyType !== 'ed25519')
    throw new LedgerKeyError(`the ledger signing key ${file} is a ${key.asymmetricKeyType} key, not Ed25519`);
  return key;
}

function generateInto(file: string): boolean {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const { privateKey } = generateKeyPairSync('ed25519');
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  fs.writeFileSync(temporary, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
  try {
    fs.linkSync(temporary, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return false; // another process created it meanwhile: use theirs
  } finally {
    fs.rmSync(temporary, { force: true });
  }
}

/** Derived from the private key, so it is (re)written whenever it is missing or differs. */
function writePublicKey(file: string, publicKey: KeyObject): void {
  const pem = publicKey.export({ type: 'spki', format: 'pem' }) as string;
  if (fs.existsSync(file) && fs.readFileSync(file, 'utf8') === pem) return;
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  fs.writeFileSync(temporary, pem, { mode: 0o644 });
  fs.renameSync(temporary, file);
}

/**
 * The public keys to verify with, by fingerprint: the given files, else the configured key's
 * public key file, else the public half of the configured private key. Refuses to verify with none.
 */
export function verificationKeys(files: readonly string[], configuredKeyFile?: string): Map<string, KeyObject> {
  const candidates =
    files.length > 0
      ? files
      : configuredKeyFile === undefined
        ? []
        : [publicKeyFileOf(configuredKeyFile), configuredKeyFile].filter((file) => fs.existsSync(file)).slice(0, 1);
  if (candidates.length === 0)
    throw new LedgerKeyError(
      `no public key to verify the digests with: pass --public-key <file>${configuredKeyFile ? ` (nothing at ${publicKeyFileOf(configuredKeyFile)})` : ''}`,
    );
  return new Map(candidates.map((file) => readPublicKey(file)).map((key) => [fingerprintOf(key), key]));
}
