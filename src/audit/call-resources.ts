import { aliasArn, keyArn, parseKeyReference, type Scope } from '../kms/domain/identifiers';
import { hasAliasNameShape } from '../kms/domain/alias-name';

/** The calls that use a key's material: their records name the key, never the alias (CloudTrail's rule). */
const CRYPTO_OPERATIONS: ReadonlySet<string> = new Set([
  'Encrypt',
  'Decrypt',
  'ReEncrypt',
  'GenerateDataKey',
  'GenerateDataKeyWithoutPlaintext',
  'GenerateDataKeyPair',
  'GenerateDataKeyPairWithoutPlaintext',
  'Sign',
  'Verify',
  'GenerateMac',
  'VerifyMac',
  'GetPublicKey',
]);

/**
 * The ARNs of the keys and aliases a call that changed nothing named or resolved
 * (docs/kms-behaviour.md#cloudtrail-records): its alias name, its key reference when well-formed, and
 * the keys a DescribeKey or a cryptographic call resolved (a ReEncrypt's source, then its destination).
 */
export function callResources(
  operation: string,
  scope: Scope,
  params: Readonly<Record<string, unknown>>,
  output: Readonly<Record<string, unknown>> | undefined,
  /** The keys a cryptographic call resolved, in order, whether it then succeeded or not. */
  resolvedKeyArns: readonly string[] = [],
): string[] {
  const arns: string[] = [...resolvedKeyArns];
  // The key a DescribeKey resolved, or the key ARN a cryptographic call answers with as KeyId.
  const resolved = (output?.KeyMetadata as { Arn?: unknown } | undefined)?.Arn ?? output?.KeyId ?? resolvedKeyArns[0];
  if (typeof resolved === 'string') arns.push(resolved);
  for (const member of ['KeyId', 'TargetKeyId']) {
    const value = params[member];
    if (typeof value !== 'string' || value.length > 2048) continue;
    try {
      const reference = parseKeyReference(value, scope);
      // An alias used as KeyId shows as the key it resolved to, when the call got that far.
      if (reference.kind === 'key') arns.push(keyArn(scope, reference.keyId));
      // A cryptographic call lists keys only, never the alias it came through (CloudTrail does so).
      else if (typeof resolved !== 'string' && !CRYPTO_OPERATIONS.has(operation))
        arns.push(aliasArn(scope, reference.aliasName));
    } catch {
      // A malformed reference names no resource.
    }
  }
  const aliasName = params.AliasName;
  if (typeof aliasName === 'string' && hasAliasNameShape(aliasName)) {
    arns.unshift(aliasArn(scope, aliasName));
  }
  return [...new Set(arns)];
}
