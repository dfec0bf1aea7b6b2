import { Inject, Injectable, Optional } from '@nestjs/common';
import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Pool } from 'pg';
import { GENERIC_PLAN_POOL, KYSELY } from '../../database/database.tokens';
import type { Database } from '../../database/database.types';
import { START } from '../../event-store/checkpoint';
import type { Checkpoint } from '../../event-store/event.types';
import { type PositionLookup, eventCauseSql, headPosition, lookUpPosition } from '../../event-store/log-positions';
import type { Scope } from '../../kms/domain/identifiers';
import { CheckpointWaiter, type WaitOutcome } from '../checkpoint-waiter';
import { SnapshotMoments, finalBefore } from './stable-horizon';
import { TEMPORAL } from './temporal-aliases.projection';
import { type ObservedEvidence, runSnapshotStatement } from './temporal-snapshot-statement';
import { type Cut, begunWithin, cutOf, endedWithin, latestBegunWithin } from './temporal-cut';

/**
 * One version of an alias: where it pointed during [validFrom, validTo), and who began and ended it.
 * An observed account's evidence may begin after the alias did (observed-alias-fold.ts): then
 * `keyId` is null where no record shows the target (unknown, not absent), and `validFrom` null
 * where no record shows the start (it held from before the alias's first record), with no `startedBy`.
 */
export interface AliasVersion {
  readonly aliasName: string;
  readonly version: number;
  readonly keyId: string | null;
  readonly validFrom: Date | null;
  /** Undefined while the version still holds. */
  readonly validTo: Date | undefined;
  readonly startedBy: Record<string, unknown> | undefined;
  readonly endedBy: Record<string, unknown> | undefined;
  readonly endedReason: string | undefined;
}

/** Where an alias pointed at a cut: a key id, absent (null), or existing with a target no record shows. */
export type AliasTarget = string | null | typeof UNKNOWN_TARGET;
export const UNKNOWN_TARGET = 'unknown' as const;

/** One alias whose target differs between two times. */
export interface AliasChange {
  readonly aliasName: string;
  readonly before: AliasTarget;
  readonly after: AliasTarget;
}

/** What a snapshot reflects, besides its log position. */
export interface SnapshotView {
  /**
   * Answers about a time before this are final: nothing committed later can change them
   * (stable-horizon.ts). Undefined when no answer is final yet (or the time cap is off).
   */
  readonly finalBefore: Date | undefined;
}

/**
 * An answer, the log position it reflects, what that snapshot says about finality, and what the
 * scope's imported records cover in it (null: none applied, as for every served account).
 */
export interface Snapshot<T> {
  readonly answer: T;
  readonly position: Checkpoint;
  readonly view: SnapshotView;
  readonly evidence: ObservedEvidence | null;
}

/** A version, with who began and ended it read from the events it references (not copied into it). */
const VERSION_COLUMNS = sql`i.alias_name, v.version, v.key_id, v.valid_from, v.valid_to, v.ended_reason,
  ${eventCauseSql(sql.ref('v.from_position'))} AS started_by, ${eventCauseSql(sql.ref('v.to_position'))} AS ended_by`;

interface VersionRow {
  alias_name: string;
  version: number;
  key_id: string | null;
  /** -infinity (node-postgres: a number) for a version that held from before its alias's first record. */
  valid_from: Date | number;
  valid_to: Date | null;
  started_by: Record<string, unknown> | null;
  ended_by: Record<string, unknown> | null;
  ended_reason: string | null;
}

const toVersion = (row: VersionRow): AliasVersion => ({
  aliasName: row.alias_name,
  version: row.version,
  keyId: row.key_id,
  validFrom: row.valid_from instanceof Date ? row.valid_from : null,
  validTo: row.valid_to ?? undefined,
  startedBy: row.started_by ?? undefined,
  endedBy: row.ended_by ?? undefined,
  endedReason: row.ended_reason ?? undefined,
});

/**
 * Point-in-time questions to the `temporal` projection. "At T" (a Date) means after every event
 * whose time is <= T; a `Cut` may instead name a log position (temporal-cut.ts).
 */
@Injectable()
export class TemporalAliasesReader {
  private readonly moments = new SnapshotMoments();
  private readonly waiter = new CheckpointWaiter(() => this.checkpoint());

  /**
   * @param pool the pool behind `db`: with it, snapshot statements are prepared once per connection
   *   (temporal-snapshot-statement.ts); without it (some tests), planned each time.
   */
  constructor(
    @Inject(KYSELY) private readonly db: Kysely<Database>,
    @Optional() @Inject(GENERIC_PLAN_POOL) private readonly pool?: Pool,
  ) {}

  /**
   * The rows of `query` from one snapshot of the projection, with the log position the snapshot
   * reflects (the projection's checkpoint), so an answer and its position always agree, and with
   * the time before which its answers are final. The query runs as ONE statement together with
   * those facts (runSnapshotStatement): a single statement is its own snapshot, taken after its
   * table locks (so a rebuild's swap is seen whole or not at all), at one round trip.
   */
  private async read<R>(scope: Scope, query: RawBuilder<R>): Promise<Snapshot<R[]>> {
    const { rows, facts } = await runSnapshotStatement(this.db, scope, query, this.pool);
    // With no transaction running, this very moment is settled; else an earlier one may be.
    const settled = facts.moment.xmax <= facts.xmin ? facts.moment : this.moments.settledBy(facts.xmin);
    this.moments.record(facts.moment);
    return {
      answer: rows,
      position: facts.position,
      view: { finalBefore: finalBefore(facts, settled) },
      evidence: facts.evidence,
    };
  }

  /** Where the projection stands now. */
  async checkpoint(): Promise<Checkpoint> {
    const { rows } = await sql<{ transaction_id: string; position: string }>`
      SELECT transaction_id::text AS transaction_id, position::text AS position FROM projection_checkpoints
       WHERE name = ${TEMPORAL}`.execute(this.db);
    const row = rows[0];
    return row ? { transactionId: BigInt(row.transaction_id), position: BigInt(row.position) } : START;
  }

  /**
   * What an observed account's records cover in a Region (db/migrations/0022), or null before the
   * model has applied any: kept by the transactions that fold them, so it never runs ahead of the
   * versions an answer reads just after.
   */
  async observedEvidence(scope: Scope): Promise<ObservedEvidence | null> {
    const { rows } = await sql<{ first_event: Date; last_event: Date }>`
      SELECT first_event, last_event FROM temporal_observed_evidence
       WHERE account_id = ${scope.accountId} AND region = ${scope.region}`.execute(this.db);
    const row = rows[0];
    return row ? { evidenceFrom: row.first_event, evidenceTo: row.last_event } : null;
  }

  /** The log checkpoint of the event at `position`, or why there is none. */
  lookUpPosition(position: bigint): Promise<PositionLookup> {
    return lookUpPosition(this.db, position);
  }

  /** The newest committed event's position (0 when the log is empty). */
  headPosition(): Promise<bigint> {
    return headPosition(this.db);
  }

  /** Waits, up to `timeoutMs`, until the projection has applied everything up to `target`. */
  waitFor(target: Checkpoint, timeoutMs: number): Promise<WaitOutcome> {
    return this.waiter.waitFor(target, timeoutMs);
  }

  /** The version of one alias that held at `at`, if the alias existed then. */
  async aliasAt(scope: Scope, aliasName: string, at: Date | Cut): Promise<Snapshot<AliasVersion | undefined>> {
    const found = await this.at(scope, cutOf(at), { aliasName, limit: 1 });
    return { ...found, answer: found.answer[0] };
  }

  /** The aliases of an account and Region that existed at `at`, in name order, after `after`. */
  aliasesAt(scope: Scope, at: Date | Cut, page: { after?: string; limit: number }): Promise<Snapshot<AliasVersion[]>> {
    return this.at(scope, cutOf(at), page);
  }

  /** Every version of one alias, oldest first (across deletions and re-creations). */
  async history(scope: Scope, aliasName: string): Promise<Snapshot<AliasVersion[]>> {
    const read = await this.read(
      scope,
      sql<VersionRow>`
      SELECT ${VERSION_COLUMNS}
        FROM temporal_alias_ids i JOIN temporal_alias_versions v ON v.alias_id = i.alias_id
       WHERE (i.account_id, i.region, i.alias_name) = (${scope.accountId}, ${scope.region}, ${aliasName})
       ORDER BY v.version`,
    );
    return { ...read, answer: read.answer.map(toVersion) };
  }

  /** The aliases that pointed to `keyId` at `at`, in name order. */
  async keyAliasesAt(scope: Scope, keyId: string, at: Date | Cut): Promise<Snapshot<AliasVersion[]>> {
    const cut = cutOf(at);
    // Versions of one alias hold over disjoint ranges, so "holds at the cut" is the range test alone.
    const read = await this.read(
      scope,
      sql<VersionRow>`
      SELECT ${VERSION_COLUMNS}
        FROM temporal_alias_versions v JOIN temporal_alias_ids i ON i.alias_id = v.alias_id
       WHERE v.key_id = ${keyId} AND i.account_id = ${scope.accountId} AND i.region = ${scope.region}
         AND ${begunWithin(cut)} AND NOT ${endedWithin(cut)}
       ORDER BY i.alias_name`,
    );
    return { ...read, answer: read.answer.map(toVersion) };
  }

  /** Every version that pointed to `keyId`, in the order they began: the key's aliases over time. */
  async keyHistory(scope: Scope, keyId: string): Promise<Snapshot<AliasVersion[]>> {
    const read = await this.read(
      scope,
      sql<VersionRow>`
      SELECT ${VERSION_COLUMNS}
        FROM temporal_alias_versions v JOIN temporal_alias_ids i ON i.alias_id = v.alias_id
       WHERE v.key_id = ${keyId} AND i.account_id = ${scope.accountId} AND i.region = ${scope.region}
       ORDER BY v.valid_from, v.from_position`,
    );
    return { ...read, answer: read.answer.map(toVersion) };
  }

  /** The aliases whose target differs between `from` and `to` (null: absent then), in name order. */
  async diff(scope: Scope, from: Date | Cut, to: Date | Cut): Promise<Snapshot<AliasChange[]>> {
    const [early, late] = [cutOf(from), cutOf(to)];
    // The key alias i pointed to at the cut, 'unknown' when no record shows it, or null (absent).
    const keyAt = (cut: Cut) => sql`(
      SELECT CASE WHEN NOT ${endedWithin(cut, 'l')} THEN coalesce(l.key_id, ${UNKNOWN_TARGET}) END
        FROM (${latestBegunWithin(cut)}) l)`;
    const read = await this.read(
      scope,
      sql<{ alias_name: string; before: string | null; after: string | null }>`
      SELECT * FROM (
        SELECT i.alias_name, ${keyAt(early)} AS before, ${keyAt(late)} AS after
          FROM temporal_alias_ids i
         WHERE i.account_id = ${scope.accountId} AND i.region = ${scope.region}
           AND EXISTS (
             -- A version that began or ended in one cut but not in the other.
             SELECT 1 FROM temporal_alias_versions v
              WHERE v.alias_id = i.alias_id
                AND (${begunWithin(early)} <> ${begunWithin(late)} OR ${endedWithin(early)} <> ${endedWithin(late)}))
      ) AS d
      WHERE before IS DISTINCT FROM after
      ORDER BY alias_name`,
    );
    const changes = read.answer.map((r) => ({ aliasName: r.alias_name, before: r.before, after: r.after }));
    return { ...read, answer: changes };
  }

  private async at(
    scope: Scope,
    cut: Cut,
    filter: { aliasName?: string; after?: string; limit: number },
  ): Promise<Snapshot<AliasVersion[]>> {
    // By time, the prefilter (db/migrations/0009) skips names absent at T inside the index, before
    // their versions are looked at: names not begun yet, and names whose every version ended by T.
    const present = 'at' in cut ? sql`AND i.first_began <= ${cut.at} AND (i.open OR i.ended_max > ${cut.at})` : sql``;
    const read = await this.read(
      scope,
      sql<VersionRow>`
      SELECT ${VERSION_COLUMNS}
        FROM temporal_alias_ids i
        CROSS JOIN LATERAL (${latestBegunWithin(cut)}) v
       WHERE i.account_id = ${scope.accountId} AND i.region = ${scope.region}
         ${filter.aliasName === undefined ? sql`` : sql`AND i.alias_name = ${filter.aliasName}`}
         ${filter.after === undefined ? sql`` : sql`AND i.alias_name > ${filter.after}`}
         ${present}
         AND NOT ${endedWithin(cut)}
       ORDER BY i.alias_name
       LIMIT ${filter.limit}`,
    );
    return { ...read, answer: read.answer.map(toVersion) };
  }
}
