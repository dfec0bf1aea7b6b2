import { KmsError } from '../kms/domain/kms-error';
import { type RequiredWhen, validateInput } from './coral-validation';
import { OPERATIONS } from './operations';

/** What validateInput makes of a body: its output, or the error's message. */
function outcome(input: Record<string, unknown>, shape: (typeof OPERATIONS)[keyof typeof OPERATIONS]) {
  try {
    return validateInput(input, shape);
  } catch (error) {
    return (error as KmsError).detail;
  }
}

describe('validateInput', () => {
  it('reads an optional member sent as null as absent, for every operation (a null Marker was a 500)', () => {
    for (const [operation, shape] of Object.entries(OPERATIONS)) {
      for (const [name, member] of Object.entries(shape as Record<string, { required?: boolean | RequiredWhen }>)) {
        const result = outcome({ [name]: null }, shape);
        const path = `'${name[0]!.toLowerCase()}${name.slice(1)}'`;
        const required = typeof member.required === 'function' ? member.required({}) : member.required === true;
        // Either accepted without the member, or refused for other (required) members only.
        if (typeof result === 'string')
          expect([operation, name, result.includes(path)]).toEqual([operation, name, required]);
        else expect([operation, name, name in (result ?? {})]).toEqual([operation, name, false]);
      }
    }
    expect(outcome({ Marker: null, Limit: 5 }, OPERATIONS.ListKeys)).toEqual({ Limit: 5 });
  });

  it('requires the ciphertext of Decrypt and ReEncrypt with the other violations, unless a DryRun ignores it', () => {
    expect(outcome({ EncryptionAlgorithm: 'AES' }, OPERATIONS.Decrypt)).toBe(
      "2 validation errors detected: Value null at 'ciphertextBlob' failed to satisfy constraint: Member must not be null; " +
        "Value 'AES' at 'encryptionAlgorithm' failed to satisfy constraint: Member must satisfy enum value set: " +
        '[SYMMETRIC_DEFAULT, RSAES_OAEP_SHA_1, RSAES_OAEP_SHA_256, SM2PKE]',
    );
    expect(outcome({}, OPERATIONS.ReEncrypt)).toBe(
      "2 validation errors detected: Value null at 'ciphertextBlob' failed to satisfy constraint: Member must not be null; " +
        "Value null at 'destinationKeyId' failed to satisfy constraint: Member must not be null",
    );
    const ignoring = { DryRun: true, DryRunModifiers: ['IGNORE_CIPHERTEXT'] };
    expect(outcome(ignoring, OPERATIONS.Decrypt)).toEqual(ignoring);
    expect(outcome({ DryRunModifiers: ['IGNORE_CIPHERTEXT'] }, OPERATIONS.Decrypt)).toMatch(/'ciphertextBlob'/);
    expect(() => validateInput({ DryRun: true, DryRunModifiers: 'IGNORE_CIPHERTEXT' }, OPERATIONS.Decrypt)).toThrow(
      expect.objectContaining({ code: 'SerializationException' }),
    );
  });

  it('takes canonical base64 only: whole groups of four, at most two = at the end', () => {
    const blob = (Plaintext: string) => outcome({ KeyId: 'alias/x', Plaintext }, OPERATIONS.Encrypt);
    const refused = 'Unexpected value type for member Plaintext: expected base64-encoded bytes.';
    for (const good of ['YQ==', 'YWI=', 'YWJj', 'YWJjZA==', 'YWJjZGU=', '+/+/'])
      expect([good, (blob(good) as { Plaintext: Buffer }).Plaintext]).toEqual([good, Buffer.from(good, 'base64')]);
    for (const bad of ['YQ', 'YWJ', 'Y===', 'YQ=a', '=YWJ', 'YW=J', 'YWJj=', 'YWJjZ', '====', 'YW J', 'YWJ-', 'YWJ_'])
      expect([bad, blob(bad)]).toEqual([bad, refused]);
  });

  it('drops members the shape does not know, as AWS ignores them', () => {
    expect(validateInput({ Limit: 5, Other: null, Mac: 'AAAA', 7: 1 }, OPERATIONS.ListKeys)).toEqual({ Limit: 5 });
  });
});
