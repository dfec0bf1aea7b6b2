import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { dryRunPassed } from '../domain/crypto-key-checks';
import type { EncryptionContext } from '../domain/encryption-context';
import { keyArn } from '../domain/identifiers';
import { validation } from '../domain/kms-error';
import type { KmsRequest } from '../kms-request';
import { KeyMaterials, keyMaterialIdOf } from '../store/key-materials';
import { KmsReader } from '../store/kms-reader';
import { openCiphertext } from './ciphertext-opener';
import type { KmsAnswer } from './kms-answer';

export interface DecryptInput {
  readonly CiphertextBlob?: Buffer;
  readonly KeyId?: string;
  readonly EncryptionContext?: EncryptionContext;
  readonly EncryptionAlgorithm?: string;
  readonly DryRun?: boolean;
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
 * Decrypt (kms-crypto §4.2): ciphertext-opener.ts does the checks in AWS's order and the opening;
 * DryRun comes after all of them (§10 #4).
 */
@QueryHandler(DecryptQuery)
export class DecryptHandler implements IQueryHandler<DecryptQuery> {
  constructor(
    private readonly reader: KmsReader,
    private readonly materials: KeyMaterials,
  ) {}

  async execute({ request, input }: DecryptQuery): Promise<KmsAnswer> {
    const { scope } = request;
    // Optional in the model only because of DryRunModifiers; the service requires it.
    if (input.CiphertextBlob === undefined)
      throw validation(
        "1 validation error detected: Value null at 'ciphertextBlob' failed to satisfy constraint: Member must not be null",
      );
    const algorithm = input.EncryptionAlgorithm ?? 'SYMMETRIC_DEFAULT';
    const { key, plaintext, version } = await openCiphertext(this.reader, this.materials, request, {
      blob: input.CiphertextBlob,
      keyId: input.KeyId,
      algorithm,
      context: input.EncryptionContext,
      action: 'kms:Decrypt',
    });
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
