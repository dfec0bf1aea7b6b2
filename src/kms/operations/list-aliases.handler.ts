import { authorizeKms } from '../../authz/authorize';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { aliasArn, keyArn, parseKeyReference } from '../domain/identifiers';
import { KmsError, notFound } from '../domain/kms-error';
import { listPage, markerUse } from './pagination';
import { epochSeconds } from './wire-format';
import type { KmsRequest } from '../kms-request';
import { KmsReader } from '../store/kms-reader';
import { PageTokens } from '../../page-tokens/page-tokens.service';
import type { KmsAnswer } from './kms-answer';

export interface ListAliasesInput {
  readonly KeyId?: string;
  readonly Limit?: number;
  readonly Marker?: string;
}

export class ListAliasesQuery extends Query<KmsAnswer> {
  constructor(
    readonly request: KmsRequest,
    readonly input: ListAliasesInput,
  ) {
    super();
  }
}

/**
 * ListAliases (docs/kms-behaviour.md#aliases): name order, at most 100 a page (default 50), opaque
 * markers, KeyId filter.
 */
@QueryHandler(ListAliasesQuery)
export class ListAliasesHandler implements IQueryHandler<ListAliasesQuery> {
  constructor(
    private readonly reader: KmsReader,
    private readonly tokens: PageTokens,
  ) {}

  async execute({ request, input }: ListAliasesQuery): Promise<KmsAnswer> {
    const { scope } = request;
    authorizeKms(request.principal, 'kms:ListAliases', ['*']);
    let keyId: string | undefined;
    // A member sent as null arrives absent (validateInput leaves it out, as AWS reads it).
    if (input.KeyId !== undefined) {
      const reference = parseKeyReference(input.KeyId, scope);
      if (reference.kind === 'alias')
        throw new KmsError('InvalidArnException', 'Key Aliases are not supported for this operation.');
      if (!(await this.reader.key(scope, reference.keyId)))
        throw notFound(`Key '${keyArn(scope, reference.keyId)}' does not exist`);
      keyId = reference.keyId;
    }
    const limit = Math.min(input.Limit ?? 50, 100);
    const { rows, paging } = await listPage(
      markerUse(this.tokens, 'ListAliases', scope, { keyId: keyId ?? null }),
      input.Marker,
      limit,
      (after, n) => this.reader.aliases(scope, { keyId, after, limit: n }),
      (row) => row.alias_name,
    );
    const output = {
      Aliases: rows.map((row) => ({
        AliasName: row.alias_name,
        AliasArn: aliasArn(scope, row.alias_name),
        TargetKeyId: row.key_id,
        CreationDate: epochSeconds(row.creation_date),
        LastUpdatedDate: epochSeconds(row.last_updated_date),
      })),
      ...paging,
    };
    return { output };
  }
}
