import { type Scope, parseKeyOnly } from '../domain/identifiers';
import { KmsError } from '../domain/kms-error';

/**
 * KeyId of the operations that take a key id or key ARN only
 * (docs/kms-behaviour.md#accounts-regions-and-identifiers, #deleting-a-key).
 */
export function keyIdOnly(value: string, scope: Scope): string {
  return parseKeyOnly(
    value,
    scope,
    () => new KmsError('InvalidArnException', 'Key Aliases are not supported for this operation.'),
  );
}
