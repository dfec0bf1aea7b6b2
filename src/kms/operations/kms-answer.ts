/** What a KMS operation returns: its output, and the log position its last event took. */
export interface KmsAnswer {
  /** The operation's output members; none for operations whose output is empty. */
  readonly output?: Record<string, unknown>;
  /** Unset when the call appended no event (a read, or a decision of nothing): then the audit recorder records it. */
  readonly position?: bigint;
  /**
   * Set by the controller on a call that appended nothing itself but found the Region's AWS managed
   * keys missing and provisioned them first: their position, so that a client can read its first
   * look at a Region back from the query APIs (waitForPosition).
   */
  readonly provisionedPosition?: bigint;
}
