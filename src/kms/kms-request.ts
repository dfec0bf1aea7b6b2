import type { Principal } from '../auth/principal';
import type { Scope } from './domain/identifiers';

/**
 * One KMS API call's context: who, where, from where, and what was sent (stored in every event's
 * metadata as sent). What the operation acts on comes typed in its command's input.
 */
export interface KmsRequest {
  readonly requestId: string;
  readonly operation: string;
  readonly principal: Principal;
  readonly scope: Scope;
  readonly sourceIp: string;
  readonly userAgent: string;
  /** The request members as sent, for the audit trail. */
  readonly params: Readonly<Record<string, unknown>>;
  /**
   * Why `params` are not recorded (then empty): a call to an operation aliastrail does not implement
   * may carry secrets (an Encrypt's plaintext) in members it cannot tell apart.
   */
  readonly paramsWithheld?: string;
  /**
   * The ARNs of the keys the call resolved so far, in order (a ReEncrypt's source, then its
   * destination): filled in by the handlers as they resolve them, so that the call's record lists
   * them even when it fails afterwards (docs/kms-behaviour.md#cloudtrail-records).
   */
  readonly resolvedKeyArns?: string[];
  /**
   * Set when the call came from the console (issue 15): the principal acted through a console
   * session that began at `sessionCreatedAt`, and its record says so as CloudTrail's do.
   */
  readonly console?: { readonly sessionCreatedAt: Date };
}
