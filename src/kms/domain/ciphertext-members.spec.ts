import { checkCiphertextKeyId, ignoresCiphertext } from './ciphertext-members';

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
  it('skip the ciphertext only for a DryRun with IGNORE_CIPHERTEXT, whatever JSON came', () => {
    expect(ignoresCiphertext({ DryRun: true, DryRunModifiers: ['IGNORE_CIPHERTEXT'] })).toBe(true);
    expect(ignoresCiphertext({ DryRunModifiers: ['IGNORE_CIPHERTEXT'] })).toBe(false);
    expect(ignoresCiphertext({ DryRun: false, DryRunModifiers: ['IGNORE_CIPHERTEXT'] })).toBe(false);
    expect(ignoresCiphertext({ DryRun: 'true', DryRunModifiers: ['IGNORE_CIPHERTEXT'] })).toBe(false);
    expect(ignoresCiphertext({ DryRun: true, DryRunModifiers: 'IGNORE_CIPHERTEXT' })).toBe(false);
    expect(ignoresCiphertext({ DryRun: true, DryRunModifiers: 7 })).toBe(false);
    expect(ignoresCiphertext({ DryRun: true, DryRunModifiers: [] })).toBe(false);
    expect(ignoresCiphertext({ DryRun: true })).toBe(false);
  });

  it('require the key id when the ciphertext is skipped', () => {
    const ignoring = { DryRun: true, DryRunModifiers: ['IGNORE_CIPHERTEXT'] };
    expect(failure(() => checkCiphertextKeyId(ignoring, 'k', 'SourceKeyId'))).toBe('passed');
    expect(failure(() => checkCiphertextKeyId({}, undefined, 'KeyId'))).toBe('passed');
    expect(failure(() => checkCiphertextKeyId(ignoring, undefined, 'SourceKeyId'))).toBe(
      'ValidationException: SourceKeyId is required when DryRunModifiers contains IGNORE_CIPHERTEXT.',
    );
  });
});
