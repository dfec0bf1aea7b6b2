import type { Principal } from '../auth/principal';
import { KmsError } from '../kms/domain/kms-error';
import { type Decision, evaluate } from './policy-evaluation';

/** A denial: who, which action, on what, and whether a Deny said so or no Allow did. */
export interface Denial {
  readonly principalArn: string;
  readonly action: string;
  readonly resource: string;
  readonly decision: Exclude<Decision, 'Allow'>;
}

/**
 * The first resource `principal` may not act on with `action`, or undefined when it may act on all.
 * A principal configured without `policies` has full access within its account (the principals
 * file's behaviour before policies existed); one with `policies`, even none, has what they allow.
 */
export function denialOf(principal: Principal, action: string, resources: readonly string[]): Denial | undefined {
  if (principal.policies === undefined) return undefined;
  for (const resource of resources) {
    const decision = evaluate(principal.policies, action, resource);
    if (decision !== 'Allow') return { principalArn: principal.arn, action, resource, decision };
  }
  return undefined;
}

/** IAM's message, in the form AWS gives it for identity-based policies. */
export function denialMessage({ principalArn, action, resource, decision }: Denial): string {
  const why =
    decision === 'ExplicitDeny'
      ? 'with an explicit deny in an identity-based policy'
      : `because no identity-based policy allows the ${action} action`;
  return `User: ${principalArn} is not authorized to perform: ${action} on resource: ${resource} ${why}`;
}

/** Throws KMS's AccessDeniedException unless `principal` may do `action` on every resource. */
export function authorizeKms(principal: Principal, action: string, resources: readonly string[]): void {
  const denial = denialOf(principal, action, resources);
  if (denial) throw new KmsError('AccessDeniedException', denialMessage(denial));
}
