import { type Scope, partitionOf } from './identifiers';
import { KmsError, limitExceeded, notFound } from './kms-error';

/** The one policy name a key has (docs/kms-behaviour.md#tags-description-and-key-policy). */
export const DEFAULT_POLICY_NAME = 'default';

/**
 * The effective quota on a key policy's size (docs/kms-behaviour.md#tags-description-and-key-policy);
 * the model allows more.
 */
export const MAX_POLICY_BYTES = 32 * 1024;

/**
 * A key policy name other than `default` names no policy
 * (docs/kms-behaviour.md#decisions-where-aws-is-ambiguous).
 */
export function checkPolicyName(name: string | undefined): void {
  if (name !== undefined && name !== DEFAULT_POLICY_NAME) throw notFound('No such policy exists');
}

/**
 * A policy as sent to CreateKey or PutKeyPolicy, checked as
 * docs/kms-behaviour.md#tags-description-and-key-policy says (size, then shape: a JSON object with a
 * Statement), and returned as it is stored and read back: the same document, member order kept,
 * pretty-printed the way AWS re-serialises it.
 */
export function policyDocument(text: string): string {
  if (Buffer.byteLength(text, 'utf8') > MAX_POLICY_BYTES)
    throw limitExceeded(`The key policy exceeds the maximum size of ${MAX_POLICY_BYTES} bytes.`);
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw malformedPolicy();
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document) || !('Statement' in document))
    throw malformedPolicy();
  return prettyJson(document);
}

/**
 * The policy of a key created without one, for the caller's account and partition
 * (docs/kms-behaviour.md#tags-description-and-key-policy).
 */
export function defaultKeyPolicy(scope: Scope): string {
  return prettyJson({
    Version: '2012-10-17',
    Id: 'key-default-1',
    Statement: [
      {
        Sid: 'Enable IAM User Permissions',
        Effect: 'Allow',
        Principal: { AWS: `arn:${partitionOf(scope.region)}:iam::${scope.accountId}:root` },
        Action: 'kms:*',
        Resource: '*',
      },
    ],
  });
}

const malformedPolicy = () => new KmsError('MalformedPolicyDocumentException', undefined);

/**
 * JSON in the style of Jackson's default pretty printer, which AWS's policies come back in: objects
 * one member a line, indented two spaces a level, `" : "` between name and value; arrays on the
 * line they open (`[ {`, `}, {`, `} ]`, `[ "a", "b" ]`), adding no level; `{ }` and `[ ]` when empty.
 *
 * @example prettyJson({ a: [1, { b: 2 }] }) === '{\n  "a" : [ 1, {\n    "b" : 2\n  } ]\n}'
 */
export function prettyJson(value: unknown, level = 0): string {
  if (Array.isArray(value))
    return value.length === 0 ? '[ ]' : `[ ${value.map((item) => prettyJson(item, level)).join(', ')} ]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value);
    if (entries.length === 0) return '{ }';
    const inner = '  '.repeat(level + 1);
    const members = entries.map(([name, item]) => `${inner}${JSON.stringify(name)} : ${prettyJson(item, level + 1)}`);
    return `{\n${members.join(',\n')}\n${'  '.repeat(level)}}`;
  }
  return JSON.stringify(value);
}
