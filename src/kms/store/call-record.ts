/**
 * The record of an API call that KmsWriter appends beside a service's change (ServiceCause.onCall):
 * audit's KmsCallRecorded event (src/audit/kms-call-recorded.ts), named and shaped here because kms
 * cannot import audit, which builds on kms. call-record.spec.ts holds the two to the same name and shape.
 */
export const CALL_RECORDED_TYPE = 'KmsCallRecorded';

export interface CallRecord {
  readonly accountId: string;
  readonly region: string;
  readonly eventName: string;
  readonly readOnly: boolean;
  /** ARNs of the keys and aliases the call named or resolved. */
  readonly resources: readonly string[];
  /** CloudTrail's responseElements (lowerCamelCase), or null. */
  readonly responseElements: Readonly<Record<string, unknown>> | null;
}
