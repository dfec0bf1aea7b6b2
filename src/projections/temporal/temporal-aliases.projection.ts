import { Injectable } from '@nestjs/common';
import { type Transaction, sql } from 'kysely';
import type { Database } from '../../database/database.types';
import type { StoredEvent } from '../../event-store/event.types';
import type { AliasCreated, AliasDeleted, AliasRetargeted } from '../../kms/kms-events';
import type { Projection } from '../projection';

/** The projection's checkpoint name. */
export const TEMPORAL = 'temporal';

/** Who began or ended a version: the event and its CloudTrail-style metadata (design §4). */
function causeOf(event: StoredEvent): string {
  const m = event.metadata;
  return JSON.stringify({
    eventType: event.type,
    eventId: event.eventId,
    position: event.position.toString(),
    eventName: m.eventName ?? null,
    requestId: m.requestId ?? null,
    userIdentity: m.userIdentity ?? null,
    invokedBy: m.invokedBy ?? null,
    sourceIPAddress: m.sourceIPAddress ?? null,
    userAgent: m.userAgent ?? null,
  });
}

/**
 * The `temporal` projection (db/migrations/0005_temporal_aliases.sql): each alias event ends the
 * alias's open version and/or begins the next one. An event that finds the alias in another state
 * than the log implies throws, which stops the projection on that event rather than diverge.
 */
@Injectable()
export class TemporalAliasesProjection implements Projection {
  readonly name = TEMPORAL;

  async apply(trx: Transaction<Database>, events: readonly StoredEvent[]): Promise<void> {
    for (const event of events) {
      if (event.type === 'AliasCreated') await this.begin(trx, event, event.data as AliasCreated);
      else if (event.type === 'AliasRetargeted') {
        const data = event.data as AliasRetargeted;
        await this.end(trx, event, data.aliasName, 'retargeted');
        await this.begin(trx, event, { ...data, keyId: data.toKeyId });
      } else if (event.type === 'AliasDeleted') {
        const data = event.data as AliasDeleted;
        await this.end(trx, event, data.aliasName, data.reason === 'key-deleted' ? 'key-deleted' : 'deleted');
      }
    }
  }

  private async begin(trx: Transaction<Database>, event: StoredEvent, data: AliasCreated): Promise<void> {
    // The no-op update makes RETURNING answer the existing id too (an alias name can come back).
    await sql`
      WITH id AS (
        INSERT INTO temporal_alias_ids (account_id, region, alias_name)
        VALUES (${data.accountId}, ${data.region}, ${data.aliasName})
        ON CONFLICT ON CONSTRAINT temporal_alias_ids_name_key DO UPDATE SET alias_name = EXCLUDED.alias_name
        RETURNING alias_id)
      INSERT INTO temporal_alias_versions (alias_id, version, key_id, valid_from, from_position, started_by)
      SELECT id.alias_id,
             coalesce((SELECT max(version) FROM temporal_alias_versions v WHERE v.alias_id = id.alias_id), 0) + 1,
             ${data.keyId}, ${event.occurredAt}, ${event.position.toString()}::bigint, ${causeOf(event)}::jsonb
        FROM id`.execute(trx);
  }

  private async end(trx: Transaction<Database>, event: StoredEvent, aliasName: string, reason: string): Promise<void> {
    const data = event.data as { accountId: string; region: string };
    const result = await sql`
      UPDATE temporal_alias_versions v
         SET valid_to = ${event.occurredAt}, to_position = ${event.position.toString()}::bigint,
             ended_by = ${causeOf(event)}::jsonb, ended_reason = ${reason}
        FROM temporal_alias_ids i
       WHERE i.alias_id = v.alias_id AND v.valid_to IS NULL
         AND (i.account_id, i.region, i.alias_name) = (${data.accountId}, ${data.region}, ${aliasName})`.execute(trx);
    if (result.numAffectedRows !== 1n)
      throw new Error(`${event.type} of ${aliasName} found ${result.numAffectedRows ?? 0} open versions, not 1`);
  }
}
