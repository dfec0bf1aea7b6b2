import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { privateKeyOf, publicKeyDerOf } from '../crypto/key-pairs';
import { checkHasPublicKey } from '../domain/asymmetric-checks';
import { checkKeyState } from '../domain/crypto-key-checks';
import { keyArn } from '../domain/identifiers';
import { type KeySpec, type KeyUsage, algorithmsOf } from '../domain/key-spec';
import type { KmsRequest } from '../kms-request';
import { KeyMaterials } from '../store/key-materials';
import { KmsReader } from '../store/kms-reader';
import { cryptoKeyOf, resolveUsableKey } from './crypto-key';
import type { KmsAnswer } from './kms-answer';

export class GetPublicKeyQuery extends Query<KmsAnswer> {
  constructor(
    readonly request: KmsRequest,
    readonly input: { readonly KeyId: string },
  ) {
    super();
  }
}

/**
 * GetPublicKey: the DER SubjectPublicKeyInfo of an asymmetric key of any usage, with the one algorithm
 * list its usage has. A symmetric or HMAC key has none
 * (docs/kms-behaviour.md#decisions-where-aws-is-ambiguous).
 */
@QueryHandler(GetPublicKeyQuery)
export class GetPublicKeyHandler implements IQueryHandler<GetPublicKeyQuery> {
  constructor(
    private readonly reader: KmsReader,
    private readonly materials: KeyMaterials,
  ) {}

  async execute({ request, input }: GetPublicKeyQuery): Promise<KmsAnswer> {
    const { scope } = request;
    const key = await resolveUsableKey(this.reader, this.materials, request, input.KeyId);
    checkKeyState(scope, cryptoKeyOf(key));
    checkHasPublicKey(cryptoKeyOf(key));
    const { material } = await this.materials.current(scope, key);
    return {
      output: {
        KeyId: keyArn(scope, key.key_id),
        PublicKey: publicKeyDerOf(privateKeyOf(material)).toString('base64'),
        CustomerMasterKeySpec: key.key_spec,
        KeySpec: key.key_spec,
        KeyUsage: key.key_usage,
        ...algorithmsOf(key.key_spec as KeySpec, key.key_usage as KeyUsage),
      },
    };
  }
}
