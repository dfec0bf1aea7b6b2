import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { KmsError } from '../domain/kms-error';
import { DEFAULT_POLICY_NAME } from '../domain/key-policy';
import type { KmsRequest } from '../kms-request';
import { KmsReader } from '../store/kms-reader';
import type { KmsAnswer } from './kms-answer';
import { readKeyOnly } from './key-read';

export interface ListKeyPoliciesInput {
  readonly KeyId: string;
  readonly Limit?: number;
  readonly Marker?: string;
}

export class ListKeyPoliciesQuery extends Query<KmsAnswer> {
  constructor(
    readonly request: KmsRequest,
    readonly input: ListKeyPoliciesInput,
  ) {
    super();
  }
}

/**
 * ListKeyPolicies (docs/kms-behaviour.md#tags-description-and-key-policy): a key has one policy,
 * `default`, so a listing is one page and never issues a marker; any marker sent is one it did not
 * issue.
 */
@QueryHandler(ListKeyPoliciesQuery)
export class ListKeyPoliciesHandler implements IQueryHandler<ListKeyPoliciesQuery> {
  constructor(private readonly reader: KmsReader) {}

  async execute({ request, input }: ListKeyPoliciesQuery): Promise<KmsAnswer> {
    await readKeyOnly(this.reader, request, input.KeyId);
    if (input.Marker !== undefined) throw new KmsError('InvalidMarkerException', 'Invalid marker');
    return { output: { PolicyNames: [DEFAULT_POLICY_NAME], Truncated: false } };
  }
}
