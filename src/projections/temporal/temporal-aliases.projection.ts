import { Injectable } from '@nestjs/common';
import { type Transaction, sql } from 'kysely';
import type { Database } from '../../database/database.types';
import type { Checkpoint, StoredEvent } from '../../event-store/event.types';
import { type AliasName, aliasRowsOf, insertVersions } from './temporal-alias-ids';
import { ALIAS_EVENT_TYPES, TemporalMismatch, aliasKeyOf, isAliasEvent, planTemporalBatch } from './temporal-plan';
import type { Projection } from '../projection';
import { loadTemporal } from '../../event-store/queries/temporal-load';
import { EVIDENCE_TYPES, importedAliasTags, importedEvidence } from '../../event-store/queries/imported-records';
import { checkpointOf } from '../../event-store/checkpoint';
import { evidenceOf, observedWork, refoldObservedAliases, widenObservedEvidence } from './observed-aliases-refold';

/** The projection's checkpoint name. */
export const TEMPORAL = 'temporal';

/** Its tables (referenced first); readers lock them first (lockProjectionForRead). */
export const TEMPORAL_TABLES = ['temporal_alias_ids', 'temporal_alias_versions', 'temporal_observed_evidence'] as const;

/**
 * The `temporal` projection (db/migrations/0005_temporal_aliases.sql, 0009_temporal_slim.sql). A
 * batch costs five statements whatever its size: where each alias stands, alias ids for new names,
 * the ends of versions open before the batch, the versions the batch begins (planTemporalBatch), and
 * the aliases' page prefilter. A batch
 * that does not fit the model throws, which stops the projection on the event rather than diverge.
 */
@Injectable()
export class TemporalAliasesProjection implements Projection {
  readonly name = TEMPORAL;
  readonly tables = TEMPORAL_TABLES;
  /**
   * Alias events and imported CloudTrail records whole (an observed account's versions are folded
   * from its records, observed-aliases-refold.ts); the rest (audit records above all) only move the
   * checkpoint.
   */
  readonly reads = [...ALIAS_EVENT_TYPES, ...EVIDENCE_TYPES];

  async apply(trx: Transaction<Database>, events: readonly StoredEvent[]): Promise<void> {
    // An account is served or observed, never both: the two folds never touch the same alias.
    await this.applyServed(trx, events);
    if (events.length === 0) return;
    await refoldObservedAliases(trx, observedWork(events), checkpointOf(events.at(-1)!));
    await widenObservedEvidence(trx, evidenceOf(events));
  }

  private async applyServed(trx: Transaction<Database>, events: readonly StoredEvent[]): Promise<void> {
    const aliasEvents = events.filter(isAliasEvent);
    if (aliasEvents.length === 0) return;
    const names = new Map(aliasEvents.map((e) => [aliasKeyOf(e), e.data as AliasName]));
    const before = await aliasRowsOf(trx, names);
    const { closes, inserts, spans } = planTemporalBatch(aliasEvents, before);
    if (closes.length > 0) {
      const closed = await sql`
        UPDATE temporal_alias_versions v
           SET valid_to = c.valid_to, to_position = c.to_position, ended_reason = c.ended_reason
          FROM jsonb_to_recordset(${JSON.stringify(closes)}::jsonb)
               AS c(alias_id int, valid_to timestamptz, to_position bigint, ended_reason text)
         WHERE v.alias_id = c.alias_id AND v.valid_to IS NULL`.execute(trx);
      if (closed.numAffectedRows !== BigInt(closes.length))
        throw new TemporalMismatch(`ended ${closed.numAffectedRows} open versions, expected ${closes.length}`);
    }
    await insertVersions(trx, inserts);
    // Only aliases whose prefilter moves are written: a retarget leaves it as it was, and an
    // unchanged row is not rewritten (nor its index entries).
    await sql`
      UPDATE temporal_alias_ids i
         SET first_began = least(i.first_began, s.first_began), ended_max = greatest(i.ended_max, s.ended_max),
             open = s.open
        FROM jsonb_to_recordset(${JSON.stringify(spans)}::jsonb)
             AS s(alias_id int, first_began timestamptz, ended_max timestamptz, open boolean)
       WHERE i.alias_id = s.alias_id
         AND (i.first_began, i.ended_max, i.open) IS DISTINCT FROM
             (least(i.first_began, s.first_began), greatest(i.ended_max, s.ended_max), s.open)`.execute(trx);
  }

  /**
   * The rebuild's set-based load (event-store/queries/temporal-load.ts): the rows `apply` would have
   * written. An alias whose events do not chain fails it, as in `apply`, rather than build a model
   * the log contradicts.
   */
  async load(trx: Transaction<Database>, through: Checkpoint): Promise<number> {
    const { events, mismatches } = await loadTemporal(trx, through);
    if (mismatches > 0)
      throw new TemporalMismatch(`${mismatches} alias events do not follow from the ones before them`);
    const aliasTags = new Set(await importedAliasTags(trx, through));
    await refoldObservedAliases(trx, { aliasTags, deletedKeyTags: new Set() }, through);
    await widenObservedEvidence(trx, await importedEvidence(trx, through), 'empty load');
    return events;
  }
}
