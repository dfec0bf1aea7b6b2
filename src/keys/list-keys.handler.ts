import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { keyArn } from '../kms/identifiers';
import type { KmsRequest } from '../kms-api/kms-request';
import { decodeMarker, encodeMarker } from '../kms-api/wire-format';
import { KmsReader } from '../kms-store/kms-reader';

export class ListKeysQuery extends Query<Record<string, unknown>> {
  constructor(readonly request: KmsRequest) {
    super();
  }
}

/** ListKeys (spec §8.4): every key of the account and Region, 1–1000 a page (default 100). */
@QueryHandler(ListKeysQuery)
export class ListKeysHandler implements IQueryHandler<ListKeysQuery> {
  constructor(private readonly reader: KmsReader) {}

  async execute({ request }: ListKeysQuery): Promise<Record<string, unknown>> {
    const { scope, params } = request;
    const limit = (params.Limit as number | undefined) ?? 100;
    const after = params.Marker === undefined ? undefined : decodeMarker(params.Marker as string);
    const rows = await this.reader.keys(scope, { after, limit: limit + 1 });
    const page = rows.slice(0, limit);
    const truncated = rows.length > limit;
    return {
      Keys: page.map((row) => ({ KeyId: row.key_id, KeyArn: keyArn(scope, row.key_id) })),
      ...(truncated ? { NextMarker: encodeMarker(page[page.length - 1]!.key_id) } : {}),
      Truncated: truncated,
    };
  }
}
