import { authorizeKms } from '../../authz/authorize';
import { keyArn } from '../domain/identifiers';
import { notFound } from '../domain/kms-error';
import type { KmsRequest } from '../kms-request';
import type { KeyRow, KmsReader } from '../store/kms-reader';
import { keyIdOnly } from './key-reference';

/**
 * The key a read of key metadata names by key id or key ARN only
 * (docs/kms-behaviour.md#accounts-regions-and-identifiers, #tags-description-and-key-policy), the call
 * authorised as `kms:<operation>` on it, from the current model; NotFoundException as AWS words it.
 */
export async function readKeyOnly(reader: KmsReader, request: KmsRequest, keyIdInput: string): Promise<KeyRow> {
  const { scope } = request;
  const keyId = keyIdOnly(keyIdInput, scope);
  authorizeKms(request.principal, `kms:${request.operation}`, [keyArn(scope, keyId)]);
  const key = await reader.key(scope, keyId);
  if (!key) throw notFound(`Key '${keyArn(scope, keyId)}' does not exist`);
  return key;
}
