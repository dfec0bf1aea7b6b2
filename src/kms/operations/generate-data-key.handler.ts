import { randomBytes } from 'node:crypto';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { encryptSymmetric } from '../crypto/symmetric-cipher';
import { checkCryptoKey, dryRunPassed } from '../domain/crypto-key-checks';
import type { EncryptionContext } from '../domain/encryption-context';
import { keyArn } from '../domain/identifiers';
import { validation } from '../domain/kms-error';
import type { KmsRequest } from '../kms-request';
import { KeyMaterials } from '../store/key-materials';
import { KmsReader } from '../store/kms-reader';
import { cryptoKeyOf, resolveUsableKey } from './crypto-key';
import type { KmsAnswer } from './kms-answer';

export interface GenerateDataKeyInput {
  readonly KeyId: string;
  readonly KeySpec?: 'AES_256' | 'AES_128';
  readonly NumberOfBytes?: number;
  readonly EncryptionContext?: EncryptionContext;
  readonly DryRun?: boolean;
}

export class GenerateDataKeyQuery extends Query<KmsAnswer> {
  constructor(
    readonly request: KmsRequest,
    readonly input: GenerateDataKeyInput,
    /** GenerateDataKeyWithoutPlaintext: the same, without the plaintext in the answer. */
    readonly withoutPlaintext = false,
  ) {
    super();
  }
}

const KEY_SPEC_BYTES = { AES_128: 16, AES_256: 32 } as const;

/**
 * GenerateDataKey and GenerateDataKeyWithoutPlaintext (docs/kms-behaviour.md#cryptographic-operations):
 * fresh random bytes, and their ciphertext under the key, an ordinary symmetric ciphertext that Decrypt
 * opens with the same encryption context. What envelope encryption (the AWS Encryption SDK) calls
 * first.
 */
@QueryHandler(GenerateDataKeyQuery)
export class GenerateDataKeyHandler implements IQueryHandler<GenerateDataKeyQuery> {
  constructor(
    private readonly reader: KmsReader,
    private readonly materials: KeyMaterials,
  ) {}

  async execute({ request, input, withoutPlaintext }: GenerateDataKeyQuery): Promise<KmsAnswer> {
    const { scope } = request;
    // One of the two, checked with the rest of the request's validation, before the key is looked up.
    if ((input.KeySpec === undefined) === (input.NumberOfBytes === undefined))
      throw validation('Please specify either number of bytes or key spec.');
    const key = await resolveUsableKey(this.reader, this.materials, request, input.KeyId);
    // Data keys are always wrapped with SYMMETRIC_DEFAULT: an RSA key's usage fits, its spec does not
    // (docs/kms-behaviour.md#decisions-where-aws-is-ambiguous).
    checkCryptoKey(scope, cryptoKeyOf(key), {
      operation: request.operation,
      usage: 'ENCRYPT_DECRYPT',
      encryptionAlgorithm: 'SYMMETRIC_DEFAULT',
    });
    if (input.DryRun === true) throw dryRunPassed();
    const { version, material } = await this.materials.current(scope, key);
    const plaintext = randomBytes(input.KeySpec === undefined ? input.NumberOfBytes! : KEY_SPEC_BYTES[input.KeySpec]);
    const blob = encryptSymmetric(material, key.key_id, version, plaintext, input.EncryptionContext);
    const output: Record<string, unknown> = {
      CiphertextBlob: blob.toString('base64'),
      KeyId: keyArn(scope, key.key_id),
    };
    if (!withoutPlaintext) output.Plaintext = plaintext.toString('base64');
    plaintext.fill(0);
    return { output };
  }
}
