import { KmsError, validation } from './kms-error';

/**
 * The digest bytes a DIGEST message of each algorithm family has
 * (docs/kms-behaviour.md#cryptographic-operations).
 */
const DIGEST_BYTES: Readonly<Record<string, number>> = { '256': 32, '384': 48, '512': 64 };

/**
 * The message type and digest length checks of Sign and Verify
 * (docs/kms-behaviour.md#cryptographic-operations, #decisions-where-aws-is-ambiguous), after the
 * algorithm was found to fit the key: ED25519_SHA_512 signs RAW messages only, ED25519_PH_SHA_512
 * digests only, EXTERNAL_MU is for ML-DSA only; a DIGEST must be as long as the algorithm's hash.
 */
export function checkSigningMessage(algorithm: string, messageType: string, messageLength: number): void {
  const incompatible =
    (algorithm === 'ED25519_SHA_512' && messageType !== 'RAW') ||
    (algorithm === 'ED25519_PH_SHA_512' && messageType !== 'DIGEST') ||
    (messageType === 'EXTERNAL_MU' && algorithm !== 'ML_DSA_SHAKE_256');
  if (incompatible)
    throw validation(`Message type ${messageType} is incompatible with signing algorithm ${algorithm}.`);
  if (messageType === 'DIGEST' && messageLength !== DIGEST_BYTES[algorithm.slice(-3)])
    throw validation(`Digest is invalid length for algorithm ${algorithm}.`);
}

/**
 * Verify found no match: KMS answers with an empty message, never SignatureValid: false
 * (docs/kms-behaviour.md#cryptographic-operations).
 */
export const invalidSignature = () => new KmsError('KMSInvalidSignatureException', undefined);

/**
 * VerifyMac found no match: an empty message, never MacValid: false
 * (docs/kms-behaviour.md#cryptographic-operations).
 */
export const invalidMac = () => new KmsError('KMSInvalidMacException', undefined);
