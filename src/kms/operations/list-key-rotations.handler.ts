import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { keyArn } from '../domain/identifiers';
import type { KmsRequest } from '../kms-request';
import { KmsReader } from '../store/kms-reader';
import { PageTokens } from '../../page-tokens/page-tokens.service';
import type { KmsAnswer } from './kms-answer';
import { readKeyOnly } from './key-read';
import { listPage, markerUse } from './pagination';

export interface ListKeyRotationsInput {
  readonly KeyId: string;
  readonly Limit?: number;
  readonly Marker?: string;
  /** ALL_KEY_MATERIAL is answered as ROTATIONS_ONLY: aliastrail has no imported material to list. */
  readonly IncludeKeyMaterial?: string;
}

export class ListKeyRotationsQuery extends Query<KmsAnswer> {
  constructor(
    readonly request: KmsRequest,
    readonly input: ListKeyRotationsInput,
  ) {
    super();
  }
}

/** Rotation indexes as markers name them: fixed width, so that their text order is their order. */
const indexKey = (index: number) => String(index).padStart(10, '0');

/**
 * ListKeyRotations (docs/kms-behaviour.md#rotation): completed rotations, oldest first, KeyId the key
 * ARN, 1–1000 a page.
 */
@QueryHandler(ListKeyRotationsQuery)
export class ListKeyRotationsHandler implements IQueryHandler<ListKeyRotationsQuery> {
  constructor(
    private readonly reader: KmsReader,
    private readonly tokens: PageTokens,
  ) {}

  async execute({ request, input }: ListKeyRotationsQuery): Promise<KmsAnswer> {
    const { scope } = request;
    const key = await readKeyOnly(this.reader, request, input.KeyId);
    const arn = keyArn(scope, key.key_id);
    const rotations = ((await this.reader.keyMetadata(scope, key.key_id))?.rotations ?? []).map((rotation, index) => ({
      index: indexKey(index),
      entry: { KeyId: arn, ...rotation, RotationDate: Number(rotation.RotationDate) },
    }));
    const { rows, paging } = await listPage(
      markerUse(this.tokens, 'ListKeyRotations', scope, { keyId: key.key_id }),
      input.Marker,
      input.Limit ?? 100,
      async (after, n) => rotations.filter((r) => after === undefined || r.index > after).slice(0, n),
      (r) => r.index,
    );
    return { output: { Rotations: rows.map((r) => r.entry), ...paging } };
  }
}
