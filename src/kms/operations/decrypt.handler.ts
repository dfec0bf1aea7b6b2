import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { authorizeKms } from '../../authz/authorize';
import { decryptSymmetric } from '../crypto/symmetric-cipher';
import { parseCiphertextBlob } from '../domain/ciphertext-blob';
import {
  checkCryptoKey,
  ciphertextKeyUnreachable,
  dryRunPassed,
  incorrectKey,
  invalidCiphertext,
} from '../domain/crypto-key-checks';
import type { EncryptionContext } from '../domain/encryption-context';
import { keyArn } from '../domain/identifiers';
import { KmsError, validation } from '../domain/kms-error';
import type { KmsRequest } from '../kms-request';
import { KeyMaterials, keyMaterialIdOf } from '../store/key-materials';
import { KmsReader } from '../store/kms-reader';
import { cryptoKeyOf, resolveCryptoKey } from './crypto-key';
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
 * Decrypt (kms-crypto §4.2): the ciphertext names its key and material version, so a ciphertext
 * made through an alias still decrypts after the alias moved; a KeyId, when given, must name that
 * same key. Checks in AWS's order (§10 #4): the blob, the key it names, its state, usage and
 * algorithm, the authentication of the ciphertext under its material, DryRun last.
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
    const named = input.KeyId === undefined ? undefined : await resolveCryptoKey(this.reader, request, input.KeyId);
    if (named && named.key_usage === 'ENCRYPT_DECRYPT' && named.key_spec !== 'SYMMETRIC_DEFAULT') {
      // An asymmetric encryption key: the algorithm is checked before the blob is read, since the key
      // spec says how to read it (E2). Any other key is compared with the blob's first (§4.2).
      checkCryptoKey(scope, cryptoKeyOf(named), {
        operation: 'Decrypt',
        usage: 'ENCRYPT_DECRYPT',
        encryptionAlgorithm: algorithm,
      });
      throw new KmsError(
        'UnsupportedOperationException',
        `aliastrail does not yet decrypt with ${named.key_spec} keys.`,
      );
    }
    const parsed = parseCiphertextBlob(input.CiphertextBlob);
    if (!parsed) throw invalidCiphertext();
    if (named && named.key_id !== parsed.keyId) throw incorrectKey();
    const key = named ?? (await this.reader.key(scope, parsed.keyId));
    if (!key) throw ciphertextKeyUnreachable();
    this.materials.forgetUnlessEnabled(scope, key);
    if (!named) authorizeKms(request.principal, 'kms:Decrypt', [keyArn(scope, key.key_id)]);
    checkCryptoKey(scope, cryptoKeyOf(key), {
      operation: 'Decrypt',
      usage: 'ENCRYPT_DECRYPT',
      encryptionAlgorithm: algorithm,
    });
    const material = await this.materials.material(scope, key.key_id, parsed.version);
    const plaintext = material && decryptSymmetric(material, parsed, input.EncryptionContext);
    if (!plaintext) throw invalidCiphertext();
    if (input.DryRun === true) throw dryRunPassed();
    const arn = keyArn(scope, key.key_id);
    return {
      output: {
        KeyId: arn,
        Plaintext: plaintext.toString('base64'),
        EncryptionAlgorithm: algorithm,
        KeyMaterialId: keyMaterialIdOf(arn, parsed.version),
      },
    };
  }
}
