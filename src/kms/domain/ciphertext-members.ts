import { validation } from './kms-error';

/**
 * The members of Decrypt and ReEncrypt that say how to treat the ciphertext
 * (docs/kms-behaviour.md#cryptographic-operations, #dryrun).
 */
export interface CiphertextMembers {
  readonly DryRun?: unknown;
  readonly DryRunModifiers?: unknown;
}

/**
 * Whether the call skips its ciphertext: a DryRun with IGNORE_CIPHERTEXT; without DryRun the modifier
 * does nothing. Coral validation asks before it checked the members' types, so any JSON may come.
 */
export const ignoresCiphertext = (input: CiphertextMembers): boolean =>
  input.DryRun === true && Array.isArray(input.DryRunModifiers) && input.DryRunModifiers.includes('IGNORE_CIPHERTEXT');

/**
 * The key id a call that skips its ciphertext must name, since no ciphertext names it
 * (docs/kms-behaviour.md#dryrun, chosen text); checked before any check after coral validation. The
 * ciphertext itself is required otherwise, by coral validation (operations.ts), with the other
 * violations.
 */
export function checkCiphertextKeyId(
  input: CiphertextMembers,
  keyId: string | undefined,
  keyMember: 'KeyId' | 'SourceKeyId',
): void {
  if (ignoresCiphertext(input) && keyId === undefined)
    throw validation(`${keyMember} is required when DryRunModifiers contains IGNORE_CIPHERTEXT.`);
}
