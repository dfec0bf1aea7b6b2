import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { Clock } from '../../clock/clock';
import { rotationStatus } from '../domain/rotation-status';
import type { KmsRequest } from '../kms-request';
import { KmsReader } from '../store/kms-reader';
import type { KmsAnswer } from './kms-answer';
import { readKeyOnly } from './key-read';
import { epochSeconds } from './wire-format';

export class GetKeyRotationStatusQuery extends Query<KmsAnswer> {
  constructor(
    readonly request: KmsRequest,
    readonly input: { readonly KeyId: string },
  ) {
    super();
  }
}

/** GetKeyRotationStatus (docs/kms-behaviour.md#rotation), from the key's row of the current model. */
@QueryHandler(GetKeyRotationStatusQuery)
export class GetKeyRotationStatusHandler implements IQueryHandler<GetKeyRotationStatusQuery> {
  constructor(
    private readonly reader: KmsReader,
    private readonly clock: Clock,
  ) {}

  async execute({ request, input }: GetKeyRotationStatusQuery): Promise<KmsAnswer> {
    const row = await readKeyOnly(this.reader, request, input.KeyId);
    const status = rotationStatus(
      request.scope,
      {
        keyId: row.key_id,
        keySpec: row.key_spec,
        origin: row.origin,
        keyManager: row.key_manager,
        keyState: row.key_state,
        creationDate: row.creation_date,
        rotationPeriodInDays: row.rotation_period_in_days ?? undefined,
        nextRotationDate: row.next_rotation_date ?? undefined,
      },
      this.clock.now(),
    );
    const next = status.NextRotationDate;
    return { output: { ...status, ...(next instanceof Date ? { NextRotationDate: epochSeconds(next) } : {}) } };
  }
}
