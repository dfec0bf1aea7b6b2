import { authorizeKms } from '../../authz/authorize';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { keyArn } from '../identifiers';
import type { KmsRequest } from '../kms-request';
import { listPage, markerUse } from './pagination';
import { KmsReader } from '../store/kms-reader';
import { PageTokens } from '../../page-tokens/page-tokens.service';

export class ListKeysQuery extends Query<Record<string, unknown>> {
  constructor(readonly request: KmsRequest) {
    super();
  }
}

/** ListKeys (spec §8.4): every key of the account and Region, 1–1000 a page (default 100). */
@QueryHandler(ListKeysQuery)
export class ListKeysHandler implements IQueryHandler<ListKeysQuery> {
  constructor(
    private readonly reader: KmsReader,
    private readonly tokens: PageTokens,
  ) {}

  async execute({ request }: ListKeysQuery): Promise<Record<string, unknown>> {
    const { scope, params } = request;
    authorizeKms(request.principal, 'kms:ListKeys', ['*']);
    const limit = (params.Limit as number | undefined) ?? 100;
    const { rows, paging } = await listPage(
      markerUse(this.tokens, 'ListKeys', scope),
      params,
      limit,
      (after, n) => this.reader.keys(scope, { after, limit: n }),
      (row) => row.key_id,
    );
    return { Keys: rows.map((row) => ({ KeyId: row.key_id, KeyArn: keyArn(scope, row.key_id) })), ...paging };
  }
}
