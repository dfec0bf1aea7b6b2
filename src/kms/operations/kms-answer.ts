/** What a KMS operation returns: its output, and the log position its last event took. */
export interface KmsAnswer {
  /** The operation's output members; none for operations whose output is empty. */
  readonly output?: Record<string, unknown>;
  /** Unset when the call appended no event (a read, or a decision of nothing): then the audit recorder records it. */
  readonly position?: bigint;
}
