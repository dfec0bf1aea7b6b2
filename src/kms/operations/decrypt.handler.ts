import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { checkCiphertextKeyId, ignoresCiphertext } from '../domain/ciphertext-members';
import { dryRunPassed } from '../domain/crypto-key-checks';
import type { EncryptionContext } from '../domain/encryption-context';
import { keyArn } from '../domain/identifiers';
import type { KmsRequest } from '../kms-request';
import { KeyMaterials, keyMaterialIdOf } from '../store/key-materials';
import { KmsReader } from '../store/kms-reader';
import { checkCiphertext, checkCiphertextKey } from './ciphertext-opener';
import type { KmsAnswer } from './kms-answer';

export interface DecryptInput {
  readonly CiphertextBlob?: Buffer;
  readonly KeyId?: string;
  readonly EncryptionContext?: EncryptionContext;
  readonly EncryptionAlgorithm?: string;
  readonly DryRun?: boolean;
  readonly DryRunModifiers?: readonly string[];
}

export class DecryptQuery extends Query<KmsAnswer> {
  constructor(
    readonly request: KmsRequest,
    readonly input: DecryptInput,
  ) {
    super();
  }
}

/**
 * Decrypt (docs/kms-behaviour.md#ciphertexts): ciphertext-opener.ts does the checks in AWS's order and
 * the opening; DryRun comes after all of them (docs/kms-behaviour.md#order-of-checks). With
 * IGNORE_CIPHERTEXT a DryRun checks the KeyId's key only.
 */
@QueryHandler(DecryptQuery)
export class DecryptHandler implements IQueryHandler<DecryptQuery> {
  constructor(
    private readonly reader: KmsReader,
    private readonly materials: KeyMaterials,
  ) {}

  async execute({ request, input }: DecryptQuery): Promise<KmsAnswer> {
    const { scope } = request;
    checkCiphertextKeyId(input, input.KeyId, 'KeyId');
    const algorithm = input.EncryptionAlgorithm ?? 'SYMMETRIC_DEFAULT';
    const call = { keyId: input.KeyId, algorithm, context: input.EncryptionContext, action: 'kms:Decrypt' };
    if (ignoresCiphertext(input)) {
      await checkCiphertextKey(this.reader, this.materials, request, { ...call, keyId: input.KeyId! });
      throw dryRunPassed();
    }
    const checked = await checkCiphertext(this.reader, this.materials, request, {
      ...call,
      blob: input.CiphertextBlob!,
    });
    const { key, plaintext, version } = await checked.open();
    if (input.DryRun === true) throw dryRunPassed();
    const arn = keyArn(scope, key.key_id);
    return {
      output: {
        KeyId: arn,
        Plaintext: plaintext.toString('base64'),
        EncryptionAlgorithm: algorithm,
        // Symmetric ciphertexts only: an RSA key has one material, and AWS names none for it.
        ...(version === undefined ? {} : { KeyMaterialId: keyMaterialIdOf(arn, version) }),
      },
    };
  }
}
