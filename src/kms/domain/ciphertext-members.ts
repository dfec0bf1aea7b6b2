import { validation } from './kms-error';

/** The members of Decrypt and ReEncrypt that say how to treat the ciphertext (kms-crypto §1.1, §4.6). */
export interface CiphertextMembers {
  readonly CiphertextBlob?: Uint8Array;
  readonly DryRun?: boolean;
  readonly DryRunModifiers?: readonly string[];
}

/** Whether the call skips its ciphertext: a DryRun with IGNORE_CIPHERTEXT; without DryRun the modifier does nothing. */
export const ignoresCiphertext = (input: CiphertextMembers): boolean =>
  input.DryRun === true && (input.DryRunModifiers ?? []).includes('IGNORE_CIPHERTEXT');

/**
 * The members the service requires beyond the model (kms-crypto §1.3, §4.6), checked before any other
 * check after coral validation: the ciphertext, optional in the model only because IGNORE_CIPHERTEXT
 * may skip it; and then the key id, which the skipped ciphertext can no longer name (chosen text).
 */
export function checkCiphertextMembers(
  input: CiphertextMembers,
  keyId: string | undefined,
  keyMember: 'KeyId' | 'SourceKeyId',
): void {
  if (!ignoresCiphertext(input)) {
    if (input.CiphertextBlob === undefined)
      throw validation(
        "1 validation error detected: Value null at 'ciphertextBlob' failed to satisfy constraint: Member must not be null",
      );
  } else if (keyId === undefined)
    throw validation(`${keyMember} is required when DryRunModifiers contains IGNORE_CIPHERTEXT.`);
}
