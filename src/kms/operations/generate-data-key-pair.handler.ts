import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { generateDerKeyPair } from '../crypto/key-pairs';
import { encryptSymmetric } from '../crypto/symmetric-cipher';
import { checkKeyPairSpecServed } from '../domain/asymmetric-checks';
import { checkCryptoKey, dryRunPassed } from '../domain/crypto-key-checks';
import type { EncryptionContext } from '../domain/encryption-context';
import { keyArn } from '../domain/identifiers';
import type { KmsRequest } from '../kms-request';
import { KeyMaterials } from '../store/key-materials';
import { KmsReader } from '../store/kms-reader';
import { cryptoKeyOf, resolveUsableKey } from './crypto-key';
import type { KmsAnswer } from './kms-answer';

export interface GenerateDataKeyPairInput {
  readonly KeyId: string;
  readonly KeyPairSpec: string;
  readonly EncryptionContext?: EncryptionContext;
  readonly DryRun?: boolean;
}

export class GenerateDataKeyPairQuery extends Query<KmsAnswer> {
  constructor(
    readonly request: KmsRequest,
    readonly input: GenerateDataKeyPairInput,
    /** GenerateDataKeyPairWithoutPlaintext: the same, without the private key in the clear. */
    readonly withoutPlaintext = false,
  ) {
    super();
  }
}

/**
 * GenerateDataKeyPair(WithoutPlaintext) (docs/kms-behaviour.md#cryptographic-operations): a fresh key
 * pair; its private key (PKCS#8 DER) as an ordinary symmetric ciphertext under the KMS key with the
 * encryption context, which Decrypt opens; its public key as DER SubjectPublicKeyInfo. Like data keys,
 * only a symmetric key wraps them: an RSA key's usage fits, its spec does not
 * (docs/kms-behaviour.md#decisions-where-aws-is-ambiguous).
 */
@QueryHandler(GenerateDataKeyPairQuery)
export class GenerateDataKeyPairHandler implements IQueryHandler<GenerateDataKeyPairQuery> {
  constructor(
    private readonly reader: KmsReader,
    private readonly materials: KeyMaterials,
  ) {}

  async execute({ request, input, withoutPlaintext }: GenerateDataKeyPairQuery): Promise<KmsAnswer> {
    const { scope } = request;
    const key = await resolveUsableKey(this.reader, this.materials, request, input.KeyId);
    checkCryptoKey(scope, cryptoKeyOf(key), {
      operation: request.operation,
      usage: 'ENCRYPT_DECRYPT',
      encryptionAlgorithm: 'SYMMETRIC_DEFAULT',
    });
    checkKeyPairSpecServed(input.KeyPairSpec);
    if (input.DryRun === true) throw dryRunPassed();
    const { version, material } = await this.materials.current(scope, key);
    const pair = await generateDerKeyPair(input.KeyPairSpec);
    try {
      const blob = encryptSymmetric(material, key.key_id, version, pair.privateKey, input.EncryptionContext);
      return {
        output: {
          PrivateKeyCiphertextBlob: blob.toString('base64'),
          ...(withoutPlaintext ? {} : { PrivateKeyPlaintext: pair.privateKey.toString('base64') }),
          PublicKey: pair.publicKey.toString('base64'),
          KeyId: keyArn(scope, key.key_id),
          KeyPairSpec: input.KeyPairSpec,
        },
      };
    } finally {
      pair.privateKey.fill(0);
    }
  }
}
