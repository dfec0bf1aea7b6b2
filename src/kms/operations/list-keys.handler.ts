import { authorizeKms } from '../../authz/authorize';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { keyArn } from '../domain/identifiers';
import type { KmsRequest } from '../kms-request';
import { listPage, markerUse } from './pagination';
import { KmsReader } from '../store/kms-reader';
import { PageTokens } from '../../page-tokens/page-tokens.service';
import type { KmsAnswer } from './kms-answer';

export interface ListKeysInput {
  readonly Limit?: number;
  readonly Marker?: string;
}

export class ListKeysQuery extends Query<KmsAnswer> {
  constructor(
    readonly request: KmsRequest,
    readonly input: ListKeysInput,
  ) {
    super();
  }
}

/**
 * ListKeys (docs/kms-behaviour.md#keys-and-their-lifecycle): every key of the account and Region,
 * 1–1000 a page (default 100).
 */
@QueryHandler(ListKeysQuery)
export class ListKeysHandler implements IQueryHandler<ListKeysQuery> {
  constructor(
    private readonly reader: KmsReader,
    private readonly tokens: PageTokens,
  ) {}

  async execute({ request, input }: ListKeysQuery): Promise<KmsAnswer> {
    const { scope } = request;
    authorizeKms(request.principal, 'kms:ListKeys', ['*']);
    const limit = input.Limit ?? 100;
    const { rows, paging } = await listPage(
      markerUse(this.tokens, 'ListKeys', scope),
      input.Marker,
      limit,
      (after, n) => this.reader.keys(scope, { after, limit: n }),
      (row) => row.key_id,
    );
    return {
      output: { Keys: rows.map((row) => ({ KeyId: row.key_id, KeyArn: keyArn(scope, row.key_id) })), ...paging },
    };
  }
}
