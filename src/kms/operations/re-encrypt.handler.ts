import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { dryRunPassed } from '../domain/crypto-key-checks';
import type { EncryptionContext } from '../domain/encryption-context';
import { keyArn } from '../domain/identifiers';
import { validation } from '../domain/kms-error';
import type { KmsRequest } from '../kms-request';
import { KeyMaterials } from '../store/key-materials';
import { KmsReader } from '../store/kms-reader';
import { openCiphertext } from './ciphertext-opener';
import { resolveCryptoKey } from './crypto-key';
import type { KmsAnswer } from './kms-answer';
import { checkSeal, checkSealSize, seal } from './plaintext-sealer';

export interface ReEncryptInput {
  readonly CiphertextBlob?: Buffer;
  readonly SourceKeyId?: string;
  readonly SourceEncryptionContext?: EncryptionContext;
  readonly SourceEncryptionAlgorithm?: string;
  readonly DestinationKeyId: string;
  readonly DestinationEncryptionContext?: EncryptionContext;
  readonly DestinationEncryptionAlgorithm?: string;
  readonly DryRun?: boolean;
}

export class ReEncryptQuery extends Query<KmsAnswer> {
  constructor(
    readonly request: KmsRequest,
    readonly input: ReEncryptInput,
  ) {
    super();
  }
}

/**
 * ReEncrypt (kms-crypto §4.3): Decrypt's checks and opening on the source side (kms:ReEncryptFrom),
 * Encrypt's on the destination (kms:ReEncryptTo; a wrong usage names the operation ReEncrypt), the
 * plaintext never leaving the call. The destination's size limit needs the plaintext, so it and
 * DryRun come once the source is open.
 */
@QueryHandler(ReEncryptQuery)
export class ReEncryptHandler implements IQueryHandler<ReEncryptQuery> {
  constructor(
    private readonly reader: KmsReader,
    private readonly materials: KeyMaterials,
  ) {}

  async execute({ request, input }: ReEncryptQuery): Promise<KmsAnswer> {
    const { scope } = request;
    if (input.CiphertextBlob === undefined)
      throw validation(
        "1 validation error detected: Value null at 'ciphertextBlob' failed to satisfy constraint: Member must not be null",
      );
    const sourceAlgorithm = input.SourceEncryptionAlgorithm ?? 'SYMMETRIC_DEFAULT';
    const source = await openCiphertext(this.reader, this.materials, request, {
      blob: input.CiphertextBlob,
      keyId: input.SourceKeyId,
      algorithm: sourceAlgorithm,
      context: input.SourceEncryptionContext,
      action: 'kms:ReEncryptFrom',
    });
    try {
      const destination = await resolveCryptoKey(this.reader, request, input.DestinationKeyId, 'kms:ReEncryptTo');
      this.materials.forgetUnlessEnabled(scope, destination);
      const call = {
        operation: 'ReEncrypt',
        key: destination,
        algorithm: input.DestinationEncryptionAlgorithm ?? 'SYMMETRIC_DEFAULT',
        context: input.DestinationEncryptionContext,
      };
      checkSeal(scope, call);
      checkSealSize(call, source.plaintext);
      if (input.DryRun === true) throw dryRunPassed();
      const blob = await seal(this.materials, scope, call, source.plaintext);
      return {
        output: {
          CiphertextBlob: blob.toString('base64'),
          SourceKeyId: keyArn(scope, source.key.key_id),
          KeyId: keyArn(scope, destination.key_id),
          SourceEncryptionAlgorithm: sourceAlgorithm,
          DestinationEncryptionAlgorithm: call.algorithm,
        },
      };
    } finally {
      source.plaintext.fill(0);
    }
  }
}
