import { type Scope, parseKeyOnly } from '../domain/identifiers';
import { KmsError } from '../domain/kms-error';

/** KeyId of the operations that take a key id or key ARN only (spec §2.4, §8.5–§8.7). */
export function keyIdOnly(value: string, scope: Scope): string {
  return parseKeyOnly(
    value,
    scope,
    () => new KmsError('InvalidArnException', 'Key Aliases are not supported for this operation.'),
  );
}
