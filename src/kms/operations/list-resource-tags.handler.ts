import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { KmsRequest } from '../kms-request';
import { KmsReader } from '../store/kms-reader';
import { PageTokens } from '../../page-tokens/page-tokens.service';
import type { KmsAnswer } from './kms-answer';
import { readKeyOnly } from './key-read';
import { listPage, markerUse } from './pagination';

export interface ListResourceTagsInput {
  readonly KeyId: string;
  readonly Limit?: number;
  readonly Marker?: string;
}

export class ListResourceTagsQuery extends Query<KmsAnswer> {
  constructor(
    readonly request: KmsRequest,
    readonly input: ListResourceTagsInput,
  ) {
    super();
  }
}

const utf8 = (text: string) => Buffer.from(text, 'utf8');

/**
 * ListResourceTags (docs/kms-behaviour.md#tags-description-and-key-policy): ascending TagKey (byte
 * order), 1–50 a page (default 50), any key state.
 */
@QueryHandler(ListResourceTagsQuery)
export class ListResourceTagsHandler implements IQueryHandler<ListResourceTagsQuery> {
  constructor(
    private readonly reader: KmsReader,
    private readonly tokens: PageTokens,
  ) {}

  async execute({ request, input }: ListResourceTagsQuery): Promise<KmsAnswer> {
    const { scope } = request;
    const key = await readKeyOnly(this.reader, request, input.KeyId);
    const tags = (await this.reader.keyMetadata(scope, key.key_id))?.tags ?? [];
    const { rows, paging } = await listPage(
      markerUse(this.tokens, 'ListResourceTags', scope, { keyId: key.key_id }),
      input.Marker,
      input.Limit ?? 50,
      // Tags are few (≤ 50) and stored sorted: the page is cut from the key's row.
      async (after, n) =>
        tags.filter((tag) => after === undefined || Buffer.compare(utf8(tag.TagKey), utf8(after)) > 0).slice(0, n),
      (tag) => tag.TagKey,
    );
    return { output: { Tags: rows.map(({ TagKey, TagValue }) => ({ TagKey, TagValue })), ...paging } };
  }
}
