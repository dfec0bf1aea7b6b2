import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { authorizeKms } from '../../authz/authorize';
import { PageTokens } from '../../page-tokens/page-tokens.service';
import { keyArn } from '../domain/identifiers';
import { notFound } from '../domain/kms-error';
import type { KmsRequest } from '../kms-request';
import { GrantsReader } from '../store/grants-reader';
import { KmsReader } from '../store/kms-reader';
import { checkGrantId, grantListEntry } from './grant-list-entry';
import { keyIdOnly } from './key-reference';
import type { KmsAnswer } from './kms-answer';
import { listPage, markerUse } from './pagination';

export interface ListGrantsInput {
  readonly KeyId: string;
  readonly Limit?: number;
  readonly Marker?: string;
  readonly GrantId?: string;
  readonly GranteePrincipal?: string;
}

export class ListGrantsQuery extends Query<KmsAnswer> {
  constructor(
    readonly request: KmsRequest,
    readonly input: ListGrantsInput,
  ) {
    super();
  }
}

/**
 * ListGrants (docs/kms-behaviour.md#grants): a key's grants in creation order, at most 100 a page
 * (default 50).
 */
@QueryHandler(ListGrantsQuery)
export class ListGrantsHandler implements IQueryHandler<ListGrantsQuery> {
  constructor(
    private readonly keys: KmsReader,
    private readonly grants: GrantsReader,
    private readonly tokens: PageTokens,
  ) {}

  async execute({ request, input }: ListGrantsQuery): Promise<KmsAnswer> {
    const { scope } = request;
    const keyId = keyIdOnly(input.KeyId, scope);
    authorizeKms(request.principal, 'kms:ListGrants', [keyArn(scope, keyId)]);
    const grantId = input.GrantId === undefined ? undefined : checkGrantId(input.GrantId);
    if (!(await this.keys.key(scope, keyId))) throw notFound(`Key '${keyArn(scope, keyId)}' does not exist`);
    const filter = { keyId, grantId, granteePrincipal: input.GranteePrincipal };
    // A marker pages the listing it came from: the same key and filters (null for absent ones).
    const binding = { keyId, grantId: grantId ?? null, granteePrincipal: input.GranteePrincipal ?? null };
    const { rows, paging } = await listPage(
      markerUse(this.tokens, 'ListGrants', scope, binding),
      input.Marker,
      Math.min(input.Limit ?? 50, 100),
      (after, limit) => this.grants.grants(scope, filter, { after, limit }),
      (row) => row.seq,
    );
    return { output: { Grants: rows.map((row) => grantListEntry(scope, row)), ...paging } };
  }
}
