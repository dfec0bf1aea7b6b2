import {
  checkKeySpecServed,
  checkNoEncryptionContext,
  checkRsaPlaintextSize,
  oaepPlaintextLimit,
} from './asymmetric-checks';
import { checkSigningMessage } from './signing-checks';

const failure = (check: () => void) => {
  try {
    check();
    return 'passed';
  } catch (error) {
    return `${(error as Error).name}: ${(error as Error).message}`;
  }
};

describe('signing and asymmetric checks', () => {
  it('checks digest lengths and message types', () => {
    expect(failure(() => checkSigningMessage('ECDSA_SHA_384', 'DIGEST', 48))).toBe('passed');
    expect(failure(() => checkSigningMessage('RSASSA_PSS_SHA_512', 'DIGEST', 32))).toBe(
      'ValidationException: Digest is invalid length for algorithm RSASSA_PSS_SHA_512.',
    );
    expect(failure(() => checkSigningMessage('ECDSA_SHA_256', 'RAW', 4096))).toBe('passed');
    expect(failure(() => checkSigningMessage('ED25519_SHA_512', 'DIGEST', 64))).toBe(
      'ValidationException: Message type DIGEST is incompatible with signing algorithm ED25519_SHA_512.',
    );
    expect(failure(() => checkSigningMessage('ED25519_PH_SHA_512', 'RAW', 10))).toBe(
      'ValidationException: Message type RAW is incompatible with signing algorithm ED25519_PH_SHA_512.',
    );
    expect(failure(() => checkSigningMessage('ECDSA_SHA_256', 'EXTERNAL_MU', 64))).toMatch(/^ValidationException/);
  });

  it('knows the OAEP limits of every RSA spec', () => {
    const limits = ['RSA_2048', 'RSA_3072', 'RSA_4096'].map((spec) => [
      oaepPlaintextLimit(spec, 'RSAES_OAEP_SHA_1'),
      oaepPlaintextLimit(spec, 'RSAES_OAEP_SHA_256'),
    ]);
    expect(limits).toEqual([
      [214, 190],
      [342, 318],
      [470, 446],
    ]);
    expect(failure(() => checkRsaPlaintextSize('RSA_4096', 'RSAES_OAEP_SHA_256', 447))).toBe(
      'ValidationException: Algorithm RSAES_OAEP_SHA_256 and key spec RSA_4096 cannot encrypt data larger than 446 bytes.',
    );
    expect(failure(() => checkRsaPlaintextSize('RSA_4096', 'RSAES_OAEP_SHA_256', 446))).toBe('passed');
  });

  it('refuses the specs without crypto and encryption contexts for asymmetric keys', () => {
    expect(failure(() => checkKeySpecServed('ML_DSA_65'))).toBe(
      'UnsupportedOperationException: KeySpec ML_DSA_65 is not supported.',
    );
    expect(failure(() => checkKeySpecServed('SM2'))).toMatch(/^UnsupportedOperationException/);
    expect(failure(() => checkKeySpecServed('ECC_NIST_EDWARDS25519'))).toBe('passed');
    expect(failure(() => checkNoEncryptionContext({}))).toBe('passed');
    expect(failure(() => checkNoEncryptionContext({ a: '' }))).toMatch(/^ValidationException/);
  });
});
