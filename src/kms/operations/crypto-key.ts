import { authorizeKms } from '../../authz/authorize';
import { aliasArn, keyArn, parseKeyReference } from '../domain/identifiers';
import { type CryptoKey } from '../domain/crypto-key-checks';
import { KmsError, notFound } from '../domain/kms-error';
import type { KmsRequest } from '../kms-request';
import type { KeyMaterials } from '../store/key-materials';
import type { KeyRow, KmsReader } from '../store/kms-reader';

/** A key row as the domain's crypto checks take it. */
export const cryptoKeyOf = (row: KeyRow): CryptoKey => ({
  keyId: row.key_id,
  keySpec: row.key_spec,
  keyUsage: row.key_usage,
  keyState: row.key_state,
});

/**
 * The key a cryptographic call names by key id, key ARN, alias name or alias ARN
 * (docs/kms-behaviour.md#accounts-regions-and-identifiers), resolved now (an alias is followed at every
 * call, never remembered), and the call authorised as `kms:<operation>` on that key, as AWS authorises
 * a call through an alias.
 */
export async function resolveCryptoKey(
  reader: KmsReader,
  request: KmsRequest,
  keyId: string,
  /** The IAM action, when it is not the operation's name (ReEncrypt: kms:ReEncryptFrom / kms:ReEncryptTo). */
  action = `kms:${request.operation}`,
): Promise<KeyRow> {
  const { scope } = request;
  const reference = parseKeyReference(keyId, scope);
  const key =
    reference.kind === 'alias'
      ? await reader.keyOfAlias(scope, reference.aliasName)
      : await reader.key(scope, reference.keyId);
  if (reference.kind === 'alias' && !key) throw notFound(`Alias ${aliasArn(scope, reference.aliasName)} is not found.`);
  const resolved = key?.key_id ?? (reference.kind === 'key' ? reference.keyId : '');
  if (key) request.resolvedKeyArns?.push(keyArn(scope, key.key_id));
  authorizeKms(request.principal, action, [keyArn(scope, resolved)]);
  if (!key) throw notFound(`Key '${keyArn(scope, resolved)}' does not exist`);
  return key;
}

/**
 * resolveCryptoKey for a call that may go on to use the key's material: what this instance caches
 * of it goes when the key is unusable (disabled, pending deletion) or gone (NotFound), so that
 * unwrapped material does not outlive its key here.
 */
export async function resolveUsableKey(
  reader: KmsReader,
  materials: Pick<KeyMaterials, 'forget' | 'forgetUnlessEnabled'>,
  request: KmsRequest,
  keyId: string,
  action?: string,
): Promise<KeyRow> {
  let key: KeyRow;
  try {
    key = await resolveCryptoKey(reader, request, keyId, action);
  } catch (error) {
    const reference = parseKeyReference(keyId, request.scope);
    if (error instanceof KmsError && error.code === 'NotFoundException' && reference.kind === 'key')
      materials.forget(request.scope, reference.keyId);
    throw error;
  }
  materials.forgetUnlessEnabled(request.scope, key);
  return key;
}
