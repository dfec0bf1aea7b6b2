/**
 * The event that records a KMS API call which changed nothing: a failed call, a read-only call, or a
 * mutation that had nothing to do. Calls that changed something are recorded by their own domain
 * events, whose metadata carries the same facts; together they make the audit trail rebuildable from
 * the log alone (docs/history-model.md#projections). One call's change is KMS's own, with a record of
 * its own: RotateKeyOnDemand's material switch (the RotateKey service event), so that call is recorded
 * by this event too, written with the switch in its transaction (KmsWriter's onCall).
 */
export const KMS_CALL_RECORDED = 'KmsCallRecorded';

export interface KmsCallRecorded {
  readonly accountId: string;
  readonly region: string;
  readonly eventName: string;
  readonly readOnly: boolean;
  /** The exception name and message, when the call failed. */
  readonly errorCode?: string;
  readonly errorMessage?: string;
  /** ARNs of the keys and aliases the call named or resolved. */
  readonly resources: readonly string[];
  /** CloudTrail's responseElements (lowerCamelCase), or null. */
  readonly responseElements: Readonly<Record<string, unknown>> | null;
}

/** The operations CloudTrail marks readOnly. */
export const READ_ONLY_OPERATIONS: ReadonlySet<string> = new Set([
  'ListAliases',
  'DescribeKey',
  'ListKeys',
  'ListGrants',
  'ListRetirableGrants',
  // Every cryptographic call (docs/kms-behaviour.md#cloudtrail-records): its responseElements are null.
  'Encrypt',
  'Decrypt',
  'GenerateDataKey',
  'GenerateDataKeyWithoutPlaintext',
  'ReEncrypt',
  'GenerateDataKeyPair',
  'GenerateDataKeyPairWithoutPlaintext',
  'GenerateRandom',
  'GetPublicKey',
  'Sign',
  'Verify',
  'GenerateMac',
  'VerifyMac',
  // Reads of key metadata and rotation (docs/kms-behaviour.md#cloudtrail-records).
  'ListResourceTags',
  'GetKeyPolicy',
  'ListKeyPolicies',
  'GetKeyRotationStatus',
  'ListKeyRotations',
]);
