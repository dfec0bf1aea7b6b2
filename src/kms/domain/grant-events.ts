import type { Scope } from './identifiers';

/*
 * The stored events of grants (docs/kms-behaviour.md#grants). They live on a stream of their own per key
 * (grantsTag), not on the key's: a key's stream is read summarised by every unit on the key
 * (kms-unit-read.ts), and grants are many and read only by the grant operations.
 */

/** A grant's encryption-context constraint, as sent (docs/kms-behaviour.md#grants). */
export interface GrantConstraints {
  readonly EncryptionContextSubset?: Readonly<Record<string, string>>;
  readonly EncryptionContextEquals?: Readonly<Record<string, string>>;
}

/**
 * What a grant is. Principals are kept exactly as given: Terraform compares them as sent
 * (docs/kms-behaviour.md#grants).
 */
export interface GrantCreated extends Scope {
  readonly keyId: string;
  readonly grantId: string;
  readonly name?: string;
  readonly granteePrincipal: string;
  readonly retiringPrincipal?: string;
  readonly operations: readonly string[];
  readonly constraints?: GrantConstraints;
}

/** A grant ended by RetireGrant or RevokeGrant. Its tokens are never stored anywhere. */
export interface GrantEnded extends Scope {
  readonly keyId: string;
  readonly grantId: string;
}

export type GrantEvent =
  | { readonly type: 'GrantCreated'; readonly data: GrantCreated }
  | { readonly type: 'GrantRetired'; readonly data: GrantEnded }
  | { readonly type: 'GrantRevoked'; readonly data: GrantEnded };

/** Every grant event type (SQL: the trigger's list in db/functions/kms_grants.sql, and the audit view). */
export const GRANT_EVENT_TYPES: readonly GrantEvent['type'][] = ['GrantCreated', 'GrantRetired', 'GrantRevoked'];

const KNOWN_TYPES: ReadonlySet<string> = new Set(GRANT_EVENT_TYPES);

/** A stored event as the grant event it is, or undefined for any other type. */
export function grantEventOf(stored: { readonly type: string; readonly data: unknown }): GrantEvent | undefined {
  return KNOWN_TYPES.has(stored.type) ? ({ type: stored.type, data: stored.data } as GrantEvent) : undefined;
}

/** The consistency tag of a key's grants: `grants:<account>:<region>:<key id>`. */
export const grantsTag = (scope: Scope, keyId: string) => `grants:${scope.accountId}:${scope.region}:${keyId}`;
