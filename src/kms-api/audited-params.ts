import { OPERATIONS, isOperation } from './operations';

/**
 * Members that carry secrets or the bytes they protect (docs/kms-behaviour.md#cloudtrail-records):
 * plaintexts, ciphertexts, messages, signatures, MACs and grant tokens are never written to a record,
 * whatever the call did.
 */
const SECRET_MEMBERS: ReadonlySet<string> = new Set([
  'Plaintext',
  'CiphertextBlob',
  'Message',
  'Signature',
  'Mac',
  'GrantTokens',
  'GrantToken',
  'Recipient',
]);

/** What CloudTrail fills in when the caller left it out (docs/kms-behaviour.md#cloudtrail-records). */
const DEFAULTS: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  Encrypt: { EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' },
  Decrypt: { EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' },
  ReEncrypt: { SourceEncryptionAlgorithm: 'SYMMETRIC_DEFAULT', DestinationEncryptionAlgorithm: 'SYMMETRIC_DEFAULT' },
  Sign: { MessageType: 'RAW' },
  Verify: { MessageType: 'RAW' },
  PutKeyPolicy: { BypassPolicyLockoutSafetyCheck: false },
};

/**
 * A call's members as its audit record keeps them: without its secrets, with the defaults CloudTrail
 * shows. Applied to whatever the controller knows of the body, parsed or validated, failed or not.
 */
export function auditedParams(operation: string, params: Readonly<Record<string, unknown>>): Record<string, unknown> {
  // Every blob member of the operation's shape too: a new one is secret until someone says otherwise.
  const shape: Readonly<Record<string, { kind: string }>> = isOperation(operation) ? OPERATIONS[operation] : {};
  const kept = Object.entries(params).filter(([name]) => !SECRET_MEMBERS.has(name) && shape[name]?.kind !== 'blob');
  return { ...DEFAULTS[operation], ...Object.fromEntries(kept) };
}
