import type { PolicyDocument, PolicyStatement } from '../auth/policy-document';

/** IAM's answer for one action on one resource (identity-based policies only). */
export type Decision = 'Allow' | 'ExplicitDeny' | 'ImplicitDeny';

/** IAM's wildcards: `*` any run of characters (none included), `?` any one character. */
export function wildcardMatches(pattern: string, value: string, ignoreCase: boolean): boolean {
  return compiled(pattern, ignoreCase).test(value);
}

/** Patterns come from the principals file, a bounded set: each is compiled once. */
const patterns = new Map<string, RegExp>();

function compiled(pattern: string, ignoreCase: boolean): RegExp {
  const key = `${ignoreCase ? 'i' : 's'}${pattern}`;
  let regexp = patterns.get(key);
  if (!regexp) {
    const source = pattern
      .split('')
      .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
      .join('');
    regexp = new RegExp(`^${source}$`, ignoreCase ? 'is' : 's');
    patterns.set(key, regexp);
  }
  return regexp;
}

// Action names are case-insensitive in IAM ("kms:createalias" is kms:CreateAlias); ARNs are not.
const actionIn = (patterns: readonly string[], action: string) =>
  patterns.some((p) => wildcardMatches(p, action, true));
const resourceIn = (patterns: readonly string[], resource: string) =>
  patterns.some((p) => wildcardMatches(p, resource, false));

function applies(statement: PolicyStatement, action: string, resource: string): boolean {
  const actionMatches = statement.Action ? actionIn(statement.Action, action) : !actionIn(statement.NotAction!, action);
  if (!actionMatches) return false;
  return statement.Resource ? resourceIn(statement.Resource, resource) : !resourceIn(statement.NotResource!, resource);
}

/**
 * IAM's evaluation for identity-based policies: an explicit Deny in any statement wins; otherwise an
 * Allow allows; otherwise the request is denied by default.
 *
 * @example evaluate([{ Statement: [{ Effect: 'Allow', Action: ['kms:*Alias'], Resource: ['*'] }] }],
 *   'kms:CreateAlias', 'arn:aws:kms:us-east-1:111122223333:alias/x') // 'Allow'
 */
export function evaluate(policies: readonly PolicyDocument[], action: string, resource: string): Decision {
  let allowed = false;
  for (const policy of policies)
    for (const statement of policy.Statement) {
      if (!applies(statement, action, resource)) continue;
      if (statement.Effect === 'Deny') return 'ExplicitDeny';
      allowed = true;
    }
  return allowed ? 'Allow' : 'ImplicitDeny';
}
