import { checkCiphertextMembers, ignoresCiphertext } from './ciphertext-members';

const failure = (check: () => void) => {
  try {
    check();
    return 'passed';
  } catch (error) {
    const { name, message } = error as Error;
    return `${name}: ${message}`;
  }
};

describe('ciphertext members of Decrypt and ReEncrypt', () => {
  const blob = Buffer.from('x');

  it('skip the ciphertext only for a DryRun with IGNORE_CIPHERTEXT', () => {
    expect(ignoresCiphertext({ DryRun: true, DryRunModifiers: ['IGNORE_CIPHERTEXT'] })).toBe(true);
    expect(ignoresCiphertext({ DryRunModifiers: ['IGNORE_CIPHERTEXT'] })).toBe(false);
    expect(ignoresCiphertext({ DryRun: false, DryRunModifiers: ['IGNORE_CIPHERTEXT'] })).toBe(false);
    expect(ignoresCiphertext({ DryRun: true, DryRunModifiers: [] })).toBe(false);
    expect(ignoresCiphertext({ DryRun: true })).toBe(false);
  });

  it('require the ciphertext, or with IGNORE_CIPHERTEXT the key id instead', () => {
    expect(failure(() => checkCiphertextMembers({}, 'k', 'KeyId'))).toBe(
      "ValidationException: 1 validation error detected: Value null at 'ciphertextBlob' failed to satisfy constraint: Member must not be null",
    );
    expect(failure(() => checkCiphertextMembers({ CiphertextBlob: blob }, undefined, 'KeyId'))).toBe('passed');
    const ignoring = { DryRun: true, DryRunModifiers: ['IGNORE_CIPHERTEXT'] };
    expect(failure(() => checkCiphertextMembers(ignoring, 'k', 'SourceKeyId'))).toBe('passed');
    expect(failure(() => checkCiphertextMembers({ ...ignoring, CiphertextBlob: blob }, undefined, 'SourceKeyId'))).toBe(
      'ValidationException: SourceKeyId is required when DryRunModifiers contains IGNORE_CIPHERTEXT.',
    );
  });
});
