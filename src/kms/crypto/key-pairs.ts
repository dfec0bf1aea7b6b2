import { type KeyObject, createPrivateKey, createPublicKey, generateKeyPair } from 'node:crypto';

/*
 * Asymmetric key pairs (docs/kms-behaviour.md#cryptographic-operations,
 * #decisions-where-aws-is-ambiguous) as DER: the private key as PKCS#8 PrivateKeyInfo (what a key's
 * material row holds, wrapped, and what GenerateDataKeyPair returns), the public key as X.509
 * SubjectPublicKeyInfo with the named curve and the uncompressed point, as KMS gives them.
 */

const RSA_BITS: Readonly<Record<string, number>> = { RSA_2048: 2048, RSA_3072: 3072, RSA_4096: 4096 };

/** OpenSSL's names of the curves of the ECC key specs. */
export const EC_CURVES: Readonly<Record<string, string>> = {
  ECC_NIST_P256: 'prime256v1',
  ECC_NIST_P384: 'secp384r1',
  ECC_NIST_P521: 'secp521r1',
  ECC_SECG_P256K1: 'secp256k1',
};

/**
 * Whether aliastrail makes key pairs of `spec` (ML-DSA and SM2 are refused:
 * docs/kms-behaviour.md#decisions-where-aws-is-ambiguous).
 */
export const isKeyPairSpec = (spec: string): boolean =>
  Object.hasOwn(RSA_BITS, spec) || Object.hasOwn(EC_CURVES, spec) || spec === 'ECC_NIST_EDWARDS25519';

export interface DerKeyPair {
  readonly privateKey: Buffer;
  readonly publicKey: Buffer;
}

const DER = {
  privateKeyEncoding: { type: 'pkcs8', format: 'der' },
  publicKeyEncoding: { type: 'spki', format: 'der' },
} as const;

/**
 * A new key pair of `spec`. Asynchronous, off the event loop: an RSA-4096 pair takes about a second,
 * so callers make it before any unit of work (which may run again) and hand it in.
 */
export function generateDerKeyPair(spec: string): Promise<DerKeyPair> {
  return new Promise((resolve, reject) => {
    const done = (error: Error | null, publicKey: Buffer, privateKey: Buffer) =>
      error ? reject(error) : resolve({ privateKey, publicKey });
    const bits = RSA_BITS[spec];
    const curve = EC_CURVES[spec];
    if (bits !== undefined) generateKeyPair('rsa', { modulusLength: bits, publicExponent: 0x10001, ...DER }, done);
    else if (curve !== undefined) generateKeyPair('ec', { namedCurve: curve, ...DER }, done);
    else if (spec === 'ECC_NIST_EDWARDS25519') generateKeyPair('ed25519', DER, done);
    else reject(new RangeError(`no key pairs of spec ${spec}`));
  });
}

/** The private key of a PKCS#8 DER material. */
export const privateKeyOf = (der: Buffer): KeyObject => createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });

/** The DER SubjectPublicKeyInfo of a private key's public half. */
export const publicKeyDerOf = (privateKey: KeyObject): Buffer =>
  createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
