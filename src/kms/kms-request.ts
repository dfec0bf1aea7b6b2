import type { Principal } from '../auth/principal';
import type { Scope } from './identifiers';

/** What became of a call in the store: set by the writer, read by the controller. */
export interface CallOutcome {
  /** The position of the last event the call appended; unset when it appended none. */
  appendedThrough?: bigint;
}

/** One KMS API call as the handlers see it: who, where, from where, and what was sent. */
export interface KmsRequest {
  readonly requestId: string;
  readonly operation: string;
  readonly principal: Principal;
  readonly scope: Scope;
  readonly sourceIp: string;
  readonly userAgent: string;
  /** The request members as sent. */
  readonly params: Readonly<Record<string, unknown>>;
  readonly outcome: CallOutcome;
}
