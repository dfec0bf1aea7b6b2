import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { dryRunPassed } from '../domain/crypto-key-checks';
import type { EncryptionContext } from '../domain/encryption-context';
import { keyArn } from '../domain/identifiers';
import type { KmsRequest } from '../kms-request';
import { KeyMaterials } from '../store/key-materials';
import { KmsReader } from '../store/kms-reader';
import { resolveUsableKey } from './crypto-key';
import { checkSeal, checkSealSize, seal } from './plaintext-sealer';
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
 * Encrypt (docs/kms-behaviour.md#cryptographic-operations, #encryption-context): through whatever the
 * KeyId names now, under that key's current material: a symmetric ciphertext, or raw RSAES-OAEP under
 * an RSA key's public key. No event: the call is recorded by the audit recorder, off the caller's path.
 */
@QueryHandler(EncryptQuery)
export class EncryptHandler implements IQueryHandler<EncryptQuery> {
  constructor(
    private readonly reader: KmsReader,
    private readonly materials: KeyMaterials,
  ) {}

  async execute({ request, input }: EncryptQuery): Promise<KmsAnswer> {
    const { scope } = request;
    const key = await resolveUsableKey(this.reader, this.materials, request, input.KeyId);
    const call = {
      operation: 'Encrypt',
      key,
      algorithm: input.EncryptionAlgorithm ?? 'SYMMETRIC_DEFAULT',
      context: input.EncryptionContext,
    };
    checkSeal(scope, call);
    checkSealSize(call, input.Plaintext);
    if (input.DryRun === true) throw dryRunPassed();
    const blob = await seal(this.materials, scope, call, input.Plaintext);
    return {
      output: {
        CiphertextBlob: blob.toString('base64'),
        KeyId: keyArn(scope, key.key_id),
        EncryptionAlgorithm: call.algorithm,
      },
    };
  }
}
