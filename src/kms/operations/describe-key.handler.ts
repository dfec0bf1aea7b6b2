import { authorizeKms } from '../../authz/authorize';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { aliasArn, keyArn, parseKeyReference } from '../domain/identifiers';
import { notFound } from '../domain/kms-error';
import type { KmsRequest } from '../kms-request';
import { currentKeyMaterial, keyMetadata } from './wire-format';
import { KmsReader } from '../store/kms-reader';
import type { KmsAnswer } from './kms-answer';

export interface DescribeKeyInput {
  readonly KeyId: string;
}

export class DescribeKeyQuery extends Query<KmsAnswer> {
  constructor(
    readonly request: KmsRequest,
    readonly input: DescribeKeyInput,
  ) {
    super();
  }
}

/**
 * DescribeKey by key id, key ARN, alias name or alias ARN; the output never names aliases
 * (docs/kms-behaviour.md#keys-and-their-lifecycle).
 */
@QueryHandler(DescribeKeyQuery)
export class DescribeKeyHandler implements IQueryHandler<DescribeKeyQuery> {
  constructor(private readonly reader: KmsReader) {}

  async execute({ request, input }: DescribeKeyQuery): Promise<KmsAnswer> {
    const { scope } = request;
    const reference = parseKeyReference(input.KeyId, scope);
    let keyId: string;
    if (reference.kind === 'alias') {
      const alias = await this.reader.alias(scope, reference.aliasName);
      if (!alias) throw notFound(`Alias ${aliasArn(scope, reference.aliasName)} is not found.`);
      keyId = alias.key_id;
    } else {
      keyId = reference.keyId;
    }
    // On the key an alias resolves to, as AWS does.
    authorizeKms(request.principal, 'kms:DescribeKey', [keyArn(scope, keyId)]);
    const key = await this.reader.key(scope, keyId);
    if (!key) throw notFound(`Key '${keyArn(scope, keyId)}' does not exist`);
    return { output: { KeyMetadata: { ...keyMetadata(scope, key), ...currentKeyMaterial(scope, key) } } };
  }
}
