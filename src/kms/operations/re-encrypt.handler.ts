import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { checkCiphertextKeyId, ignoresCiphertext } from '../domain/ciphertext-members';
import { dryRunPassed } from '../domain/crypto-key-checks';
import type { EncryptionContext } from '../domain/encryption-context';
import { keyArn } from '../domain/identifiers';
import type { KmsRequest } from '../kms-request';
import { KeyMaterials } from '../store/key-materials';
import { KmsReader } from '../store/kms-reader';
import { checkCiphertext, checkCiphertextKey } from './ciphertext-opener';
import { resolveUsableKey } from './crypto-key';
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
  readonly DryRunModifiers?: readonly string[];
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
 * ReEncrypt (docs/kms-behaviour.md#cryptographic-operations): Decrypt's checks on the source side
 * (kms:ReEncryptFrom), Encrypt's on the destination (kms:ReEncryptTo; a wrong usage names the operation
 * ReEncrypt), both before the source ciphertext is authenticated with material
 * (docs/kms-behaviour.md#order-of-checks); the plaintext never leaves the call. The destination's size
 * limit needs the plaintext, so it and DryRun come once the source is open.
 */
@QueryHandler(ReEncryptQuery)
export class ReEncryptHandler implements IQueryHandler<ReEncryptQuery> {
  constructor(
    private readonly reader: KmsReader,
    private readonly materials: KeyMaterials,
  ) {}

  async execute({ request, input }: ReEncryptQuery): Promise<KmsAnswer> {
    const { scope } = request;
    checkCiphertextKeyId(input, input.SourceKeyId, 'SourceKeyId');
    const sourceAlgorithm = input.SourceEncryptionAlgorithm ?? 'SYMMETRIC_DEFAULT';
    const from = {
      keyId: input.SourceKeyId,
      algorithm: sourceAlgorithm,
      context: input.SourceEncryptionContext,
      action: 'kms:ReEncryptFrom',
    };
    // With IGNORE_CIPHERTEXT there is no ciphertext to check: the source key is the one SourceKeyId names.
    const checked = ignoresCiphertext(input)
      ? undefined
      : await checkCiphertext(this.reader, this.materials, request, { ...from, blob: input.CiphertextBlob! });
    if (!checked)
      await checkCiphertextKey(this.reader, this.materials, request, { ...from, keyId: input.SourceKeyId! });
    const destination = await resolveUsableKey(
      this.reader,
      this.materials,
      request,
      input.DestinationKeyId,
      'kms:ReEncryptTo',
    );
    const call = {
      operation: 'ReEncrypt',
      key: destination,
      algorithm: input.DestinationEncryptionAlgorithm ?? 'SYMMETRIC_DEFAULT',
      context: input.DestinationEncryptionContext,
    };
    checkSeal(scope, call);
    // The size check needs the plaintext IGNORE_CIPHERTEXT does without: that DryRun ends here.
    if (!checked) throw dryRunPassed();
    const source = await checked.open();
    try {
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
