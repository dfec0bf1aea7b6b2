import { type KeyObject, createPrivateKey, createSecretKey, hkdfSync } from 'node:crypto';
import * as fs from 'node:fs';

const INFO = 'aliastrail page tokens';

/**
 * The page-token MAC key, derived (HKDF-SHA256) from the ledger's private signing key: every
 * instance already shares that file, so they all verify each other's tokens without any setting of
 * their own, and the signing key itself is never used for anything but signing. Returned as a
 * KeyObject, which prints as `SecretKeyObject { type: 'secret' }`, never as its bytes.
 */
export function pageTokenKeyOf(ledgerPrivateKey: KeyObject): KeyObject {
  const material = ledgerPrivateKey.export({ type: 'pkcs8', format: 'der' });
  return createSecretKey(Buffer.from(hkdfSync('sha256', material, Buffer.alloc(0), INFO, 32)));
}

/** The same, from the PEM file the ledger reads (`config.ledgerKeyFile`). */
export function pageTokenKeyFromFile(file: string): KeyObject {
  return pageTokenKeyOf(createPrivateKey(fs.readFileSync(file, 'utf8')));
}
