import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { DEFAULT_POLICY_NAME, checkPolicyName, defaultKeyPolicy } from '../domain/key-policy';
import type { KmsRequest } from '../kms-request';
import { KmsReader } from '../store/kms-reader';
import type { KmsAnswer } from './kms-answer';
import { readKeyOnly } from './key-read';

export interface GetKeyPolicyInput {
  readonly KeyId: string;
  readonly PolicyName?: string;
}

export class GetKeyPolicyQuery extends Query<KmsAnswer> {
  constructor(
    readonly request: KmsRequest,
    readonly input: GetKeyPolicyInput,
  ) {
    super();
  }
}

/**
 * GetKeyPolicy (docs/kms-behaviour.md#tags-description-and-key-policy): the stored policy, or the
 * default one of the caller's account and partition.
 */
@QueryHandler(GetKeyPolicyQuery)
export class GetKeyPolicyHandler implements IQueryHandler<GetKeyPolicyQuery> {
  constructor(private readonly reader: KmsReader) {}

  async execute({ request, input }: GetKeyPolicyQuery): Promise<KmsAnswer> {
    const key = await readKeyOnly(this.reader, request, input.KeyId);
    checkPolicyName(input.PolicyName);
    const stored = (await this.reader.keyMetadata(request.scope, key.key_id))?.policy ?? null;
    return { output: { Policy: stored ?? defaultKeyPolicy(request.scope), PolicyName: DEFAULT_POLICY_NAME } };
  }
}
