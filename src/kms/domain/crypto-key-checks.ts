import { keyArn, type Scope } from './identifiers';
import { KmsError, invalidState } from './kms-error';
import { type KeySpec, type KeyUsage, algorithmsOf } from './key-spec';

/** What the checks of a cryptographic call need of its key (a row of the current model). */
export interface CryptoKey {
  readonly keyId: string;
  readonly keySpec: string;
  readonly keyUsage: string;
  readonly keyState: string;
}

/**
 * The checks every cryptographic call makes on the key it resolved, in AWS's order
 * (docs/kms-behaviour.md#order-of-checks): its state, then its usage, then whether the algorithm
 * fits its spec. Messages name the key's ARN even when the call named an alias.
 */
export function checkCryptoKey(
  scope: Scope,
  key: CryptoKey,
  call: {
    readonly operation: string;
    readonly usage: KeyUsage;
    /** The algorithm the call names (encryption, signing or MAC): it must be in the key's list. */
    readonly encryptionAlgorithm?: string;
    readonly signingAlgorithm?: string;
    readonly macAlgorithm?: string;
  },
): void {
  const arn = keyArn(scope, key.keyId);
  checkKeyState(scope, key);
  if (key.keyUsage !== call.usage)
    throw new KmsError(
      'InvalidKeyUsageException',
      `${arn} key usage is ${key.keyUsage} which is not valid for ${call.operation}.`,
    );
  const algorithm = call.encryptionAlgorithm ?? call.signingAlgorithm ?? call.macAlgorithm;
  if (algorithm === undefined) return;
  // The usage matched, so the key's one algorithm list is of the call's kind.
  const allowed = Object.values(algorithmsOf(key.keySpec as KeySpec, key.keyUsage as KeyUsage)).flat();
  if (!allowed.includes(algorithm))
    throw new KmsError(
      'InvalidKeyUsageException',
      `Algorithm ${algorithm} is incompatible with key spec ${key.keySpec}.`,
    );
}

/**
 * A key's state errors for the calls that use its material (docs/kms-behaviour.md#key-states), naming
 * its ARN.
 */
export function checkKeyState(scope: Scope, key: CryptoKey): void {
  const arn = keyArn(scope, key.keyId);
  if (key.keyState === 'Disabled') throw new KmsError('DisabledException', `${arn} is disabled.`);
  if (key.keyState === 'PendingDeletion') throw invalidState(`${arn} is pending deletion.`);
  if (key.keyState === 'PendingImport') throw invalidState(`${arn} is pending import.`);
}

/** "The request would have succeeded": a DryRun that passed every check (docs/kms-behaviour.md#dryrun). */
export const dryRunPassed = () =>
  new KmsError('DryRunOperationException', 'The request would have succeeded, but the DryRun option is set.');

/** A blob that is no ciphertext of this service, or fails authentication: the body carries no message. */
export const invalidCiphertext = () => new KmsError('InvalidCiphertextException', undefined);

/** Decrypt named a key other than the ciphertext's (docs/kms-behaviour.md#ciphertexts). */
export const incorrectKey = () =>
  new KmsError(
    'IncorrectKeyException',
    'The key ID in the request does not identify a CMK that can perform this operation.',
  );

/**
 * A ciphertext whose key is gone, or is another account's or Region's
 * (docs/kms-behaviour.md#ciphertexts).
 */
export const ciphertextKeyUnreachable = () =>
  new KmsError(
    'AccessDeniedException',
    'The ciphertext refers to a customer master key that does not exist, does not exist in this region, or you are not allowed to access.',
  );
