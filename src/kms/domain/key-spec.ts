import { validation } from './kms-error';

export const KEY_SPECS = [
  'RSA_2048',
  'RSA_3072',
  'RSA_4096',
  'ECC_NIST_P256',
  'ECC_NIST_P384',
  'ECC_NIST_P521',
  'ECC_SECG_P256K1',
  'SYMMETRIC_DEFAULT',
  'HMAC_224',
  'HMAC_256',
  'HMAC_384',
  'HMAC_512',
  'SM2',
  'ML_DSA_44',
  'ML_DSA_65',
  'ML_DSA_87',
  'ECC_NIST_EDWARDS25519',
] as const;
export type KeySpec = (typeof KEY_SPECS)[number];

export const KEY_USAGES = ['SIGN_VERIFY', 'ENCRYPT_DECRYPT', 'GENERATE_VERIFY_MAC', 'KEY_AGREEMENT'] as const;
export type KeyUsage = (typeof KEY_USAGES)[number];

export const ORIGINS = ['AWS_KMS', 'EXTERNAL', 'AWS_CLOUDHSM', 'EXTERNAL_KEY_STORE'] as const;
export type Origin = (typeof ORIGINS)[number];

/** The classes of the UpdateAlias compatibility rule (docs/kms-behaviour.md#aliases). */
export type KeyClass = 'symmetric' | 'hmac' | 'asymmetric';

export function keyClassOf(spec: KeySpec): KeyClass {
  if (spec === 'SYMMETRIC_DEFAULT') return 'symmetric';
  return spec.startsWith('HMAC_') ? 'hmac' : 'asymmetric';
}

const USAGES_BY_SPEC: Record<KeySpec, readonly KeyUsage[]> = {
  SYMMETRIC_DEFAULT: ['ENCRYPT_DECRYPT'],
  HMAC_224: ['GENERATE_VERIFY_MAC'],
  HMAC_256: ['GENERATE_VERIFY_MAC'],
  HMAC_384: ['GENERATE_VERIFY_MAC'],
  HMAC_512: ['GENERATE_VERIFY_MAC'],
  RSA_2048: ['ENCRYPT_DECRYPT', 'SIGN_VERIFY'],
  RSA_3072: ['ENCRYPT_DECRYPT', 'SIGN_VERIFY'],
  RSA_4096: ['ENCRYPT_DECRYPT', 'SIGN_VERIFY'],
  ECC_NIST_P256: ['SIGN_VERIFY', 'KEY_AGREEMENT'],
  ECC_NIST_P384: ['SIGN_VERIFY', 'KEY_AGREEMENT'],
  ECC_NIST_P521: ['SIGN_VERIFY', 'KEY_AGREEMENT'],
  ECC_NIST_EDWARDS25519: ['SIGN_VERIFY'],
  ECC_SECG_P256K1: ['SIGN_VERIFY'],
  ML_DSA_44: ['SIGN_VERIFY'],
  ML_DSA_65: ['SIGN_VERIFY'],
  ML_DSA_87: ['SIGN_VERIFY'],
  SM2: ['ENCRYPT_DECRYPT', 'SIGN_VERIFY', 'KEY_AGREEMENT'],
};

/** The usages CreateKey accepts for a key spec (docs/kms-behaviour.md#keys-and-their-lifecycle). */
export const usagesOf = (spec: KeySpec): readonly KeyUsage[] => USAGES_BY_SPEC[spec];

/**
 * The usage a new key gets, or the CreateKey error for the pair
 * (docs/kms-behaviour.md#keys-and-their-lifecycle).
 */
export function resolveKeyUsage(spec: KeySpec, usage: KeyUsage | undefined): KeyUsage {
  if (usage === undefined) {
    if (spec === 'SYMMETRIC_DEFAULT') return 'ENCRYPT_DECRYPT';
    throw validation('You must specify a KeyUsage value for all KMS keys except for symmetric encryption keys.');
  }
  if (!USAGES_BY_SPEC[spec].includes(usage))
    throw validation(`KeyUsage ${usage} is not compatible with KeySpec ${spec}`);
  return usage;
}

const DIGEST: Record<string, string> = { P256: '256', P384: '384', P521: '512' };

/**
 * The algorithm lists of KeyMetadata: only the one matching the usage is present
 * (docs/kms-behaviour.md#keys-and-their-lifecycle).
 */
export function algorithmsOf(spec: KeySpec, usage: KeyUsage): Record<string, string[]> {
  switch (usage) {
    case 'ENCRYPT_DECRYPT':
      if (spec === 'SYMMETRIC_DEFAULT') return { EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'] };
      if (spec === 'SM2') return { EncryptionAlgorithms: ['SM2PKE'] };
      return { EncryptionAlgorithms: ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'] };
    case 'GENERATE_VERIFY_MAC':
      return { MacAlgorithms: [`HMAC_SHA_${spec.slice('HMAC_'.length)}`] };
    case 'KEY_AGREEMENT':
      return { KeyAgreementAlgorithms: ['ECDH'] };
    case 'SIGN_VERIFY':
      if (spec.startsWith('RSA_')) {
        return {
          // The exact order of the Developer Guide's DescribeKey example: PKCS #1 v1.5 first, then PSS.
          SigningAlgorithms: [
            'RSASSA_PKCS1_V1_5_SHA_256',
            'RSASSA_PKCS1_V1_5_SHA_384',
            'RSASSA_PKCS1_V1_5_SHA_512',
            'RSASSA_PSS_SHA_256',
            'RSASSA_PSS_SHA_384',
            'RSASSA_PSS_SHA_512',
          ],
        };
      }
      if (spec.startsWith('ECC_NIST_P'))
        return { SigningAlgorithms: [`ECDSA_SHA_${DIGEST[spec.slice('ECC_NIST_'.length)]}`] };
      if (spec === 'ECC_SECG_P256K1') return { SigningAlgorithms: ['ECDSA_SHA_256'] };
      if (spec === 'ECC_NIST_EDWARDS25519') return { SigningAlgorithms: ['ED25519_SHA_512', 'ED25519_PH_SHA_512'] };
      if (spec.startsWith('ML_DSA_')) return { SigningAlgorithms: ['ML_DSA_SHAKE_256'] };
      return { SigningAlgorithms: ['SM2DSA'] };
  }
}
