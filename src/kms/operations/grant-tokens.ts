import type { KeyObject } from 'node:crypto';
import { openGrantToken, sealGrantToken } from '../crypto/grant-token';
import { KmsError } from '../domain/kms-error';

/**
 * A token aliastrail did not issue: the body carries no message
 * (docs/kms-behaviour.md#decisions-where-aws-is-ambiguous).
 */
export const invalidGrantToken = () => new KmsError('InvalidGrantTokenException', undefined);

/**
 * Issues grant tokens and checks them (crypto/grant-token.ts), under the key the KMS module derives
 * from the root key. Grants are not enforced (docs/kms-behaviour.md#grants): a token of ours is
 * accepted whatever became of its grant, and anything else is refused.
 */
export class GrantTokens {
  readonly #key: KeyObject;

  constructor(key: KeyObject) {
    this.#key = key;
  }

  issue(grantId: string): string {
    return sealGrantToken(this.#key, grantId);
  }

  /** The grant id the token names, or InvalidGrantTokenException. */
  grantIdOf(token: string): string {
    const grantId = openGrantToken(this.#key, token);
    if (grantId === undefined) throw invalidGrantToken();
    return grantId;
  }

  /** The check of every operation's GrantTokens member (the controller runs it once, for all of them). */
  assertIssued(tokens: unknown): void {
    if (!Array.isArray(tokens)) return;
    for (const token of tokens) this.grantIdOf(String(token));
  }
}
