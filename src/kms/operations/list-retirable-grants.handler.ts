import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { authorizeKms } from '../../authz/authorize';
import { PageTokens } from '../../page-tokens/page-tokens.service';
import type { KmsRequest } from '../kms-request';
import { GrantsReader } from '../store/grants-reader';
import { grantListEntry } from './grant-list-entry';
import type { KmsAnswer } from './kms-answer';
import { listPage, markerUse } from './pagination';

export interface ListRetirableGrantsInput {
  readonly RetiringPrincipal: string;
  readonly Limit?: number;
  readonly Marker?: string;
}

export class ListRetirableGrantsQuery extends Query<KmsAnswer> {
  constructor(
    readonly request: KmsRequest,
    readonly input: ListRetirableGrantsInput,
  ) {
    super();
  }
}

/**
 * ListRetirableGrants (docs/kms-behaviour.md#grants): the grants of the caller's account and Region whose
 * RetiringPrincipal is exactly the one given, in creation order.
 */
@QueryHandler(ListRetirableGrantsQuery)
export class ListRetirableGrantsHandler implements IQueryHandler<ListRetirableGrantsQuery> {
  constructor(
    private readonly grants: GrantsReader,
    private readonly tokens: PageTokens,
  ) {}

  async execute({ request, input }: ListRetirableGrantsQuery): Promise<KmsAnswer> {
    const { scope } = request;
    authorizeKms(request.principal, 'kms:ListRetirableGrants', ['*']);
    const filter = { retiringPrincipal: input.RetiringPrincipal };
    const { rows, paging } = await listPage(
      markerUse(this.tokens, 'ListRetirableGrants', scope, filter),
      input.Marker,
      Math.min(input.Limit ?? 50, 100),
      (after, limit) => this.grants.grants(scope, filter, { after, limit }),
      (row) => row.seq,
    );
    return { output: { Grants: rows.map((row) => grantListEntry(scope, row)), ...paging } };
  }
}
