import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { encryptSymmetric } from '../crypto/symmetric-cipher';
import { checkCryptoKey, dryRunPassed } from '../domain/crypto-key-checks';
import type { EncryptionContext } from '../domain/encryption-context';
import { keyArn } from '../domain/identifiers';
import { KmsError } from '../domain/kms-error';
import type { KmsRequest } from '../kms-request';
import { KeyMaterials } from '../store/key-materials';
import { KmsReader } from '../store/kms-reader';
import { cryptoKeyOf, resolveCryptoKey } from './crypto-key';
import type { KmsAnswer } from './kms-answer';

export interface EncryptInput {
  readonly KeyId: string;
  readonly Plaintext: Buffer;
  readonly EncryptionContext?: EncryptionContext;
  readonly EncryptionAlgorithm?: string;
  readonly DryRun?: boolean;
}

export class EncryptQuery extends Query<KmsAnswer> {
  constructor(
    readonly request: KmsRequest,
    readonly input: EncryptInput,
  ) {
    super();
  }
}

/**
 * Encrypt (kms-crypto §1, §4.1): through whatever the KeyId names now, under that key's current
 * material. No event: the call is recorded by the audit recorder, off the caller's path.
 */
@QueryHandler(EncryptQuery)
export class EncryptHandler implements IQueryHandler<EncryptQuery> {
  constructor(
    private readonly reader: KmsReader,
    private readonly materials: KeyMaterials,
  ) {}

  async execute({ request, input }: EncryptQuery): Promise<KmsAnswer> {
    const { scope } = request;
    const key = await resolveCryptoKey(this.reader, request, input.KeyId);
    this.materials.forgetUnlessEnabled(scope, key);
    const algorithm = input.EncryptionAlgorithm ?? 'SYMMETRIC_DEFAULT';
    checkCryptoKey(scope, cryptoKeyOf(key), {
      operation: 'Encrypt',
      usage: 'ENCRYPT_DECRYPT',
      encryptionAlgorithm: algorithm,
    });
    if (key.key_spec !== 'SYMMETRIC_DEFAULT')
      throw new KmsError('UnsupportedOperationException', `aliastrail does not yet encrypt with ${key.key_spec} keys.`);
    if (input.DryRun === true) throw dryRunPassed();
    const { version, material } = await this.materials.current(scope, key);
    const blob = encryptSymmetric(material, key.key_id, version, input.Plaintext, input.EncryptionContext);
    return {
      output: {
        CiphertextBlob: blob.toString('base64'),
        KeyId: keyArn(scope, key.key_id),
        EncryptionAlgorithm: algorithm,
      },
    };
  }
}
