import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Database } from '../../database/database.types';

/** The event an imported CloudTrail record becomes (design §11): its data keeps the record's text. */
export const IMPORTED_RECORD_TYPE = 'CloudTrailRecordImported';

/** The consistency tag of an observed account's records in a Region. */
export const observedTag = (accountId: string, region: string) => `observed:${accountId}:${region}`;

/**
 * Appends the records staged in the session's temporary table `staging` (cloudtrail-import's
 * import-staging.ts) as events: one per eventID, whose id it takes, so that a record imported again
 * (the same file twice, overlapping exports, a duplicate delivery) adds nothing. Answers how many
 * were new. Runs inside the caller's transaction, on the connection that holds the staging table.
 */
export async function appendStagedRecords(trx: Kysely<Database>, staging: string): Promise<number> {
  if (!/^[a-z_]+$/.test(staging)) throw new Error('a staging table is a plain name');
  const { rows } = await sql<{ added: number }>`
    WITH added AS (
      INSERT INTO events (event_id, type, tags, data, metadata, occurred_at)
      SELECT DISTINCT ON (s.event_id) s.event_id, ${IMPORTED_RECORD_TYPE},
             -- A record that changed aliases or keys is also under their tags, as the KMS API's events
             -- are: the observed models find an alias's records by them (observedChangesOf).
             ARRAY['observed:' || s.account_id || ':' || s.region] || string_to_array(nullif(s.tags, ''), E'\n'),
             jsonb_build_object('accountId', s.account_id, 'region', s.region, 'eventName', s.event_name,
                                'record', s.record),
             -- Who made a change, where causes are read (log-positions.ts eventCauseSql); '{}' for the rest.
             s.cause::jsonb,
             s.event_time
        FROM ${sql.table(staging)} s
       ORDER BY s.event_id
      ON CONFLICT (event_id) DO NOTHING
      RETURNING 1)
    SELECT count(*)::int AS added FROM added`.execute(trx);
  return rows[0]!.added;
}

/**
 * Whether the KMS API has written to an account: any key or alias event of it (the partial index of
 * those events, 0019, leads with the account). A first call in a Region provisions its AWS managed
 * keys, so an account the API served has such events.
 */
export async function servedByKmsApi(db: Kysely<Database>, accountId: string): Promise<boolean> {
  const { rows } = await sql<{ served: boolean }>`
    SELECT EXISTS (
      SELECT 1 FROM events
       WHERE type IN ('KeyCreated', 'KeyEnabled', 'KeyDisabled', 'KeyDeletionScheduled', 'KeyDeletionCanceled',
                      'KeyDeleted', 'KeyDescriptionUpdated', 'KeyTagged', 'KeyUntagged', 'KeyPolicyPut',
                      'KeyRotationEnabled', 'KeyRotationDisabled', 'KeyMaterialRotated',
                      'AliasCreated', 'AliasRetargeted', 'AliasDeleted')
         AND data->>'accountId' = ${accountId}) AS served`.execute(db);
  return rows[0]!.served;
}

/** An imported record that changed an alias or a key, as the observed models fold it. */
export interface ChangeRecordRow {
  readonly position: string;
  readonly occurred_at: Date;
  readonly tags: string[];
  readonly record: string;
}

/**
 * The imported records under any of `tags` (alias and key tags, appendStagedRecords), committed at
 * or before `through` in log order, so that a model built from them reflects exactly the log up to
 * its checkpoint, whatever was imported since. `eventName`: only records of that name.
 */
export async function importedRecordsTagged(
  db: Kysely<Database>,
  tags: readonly string[],
  through: { readonly transactionId: bigint; readonly position: bigint },
  eventName?: string,
): Promise<ChangeRecordRow[]> {
  if (tags.length === 0) return [];
  const { rows } = await sql<ChangeRecordRow>`
    SELECT position::text AS position, occurred_at, tags, data->>'record' AS record FROM events
     WHERE tags && ${tags}::text[] AND type = ${IMPORTED_RECORD_TYPE}
       ${eventName === undefined ? sql`` : sql`AND data->>'eventName' = ${eventName}`}
       AND (transaction_id, position) <= (${through.transactionId.toString()}::xid8, ${through.position.toString()}::bigint)
     ORDER BY transaction_id, position`.execute(db);
  return rows;
}

/** The alias tags of every imported record that changed an alias, through a checkpoint (a rebuild's load). */
export async function importedAliasTags(
  db: Kysely<Database>,
  through: { readonly transactionId: bigint; readonly position: bigint },
): Promise<string[]> {
  const { rows } = await sql<{ tag: string }>`
    SELECT DISTINCT tag FROM events, unnest(tags) AS tag
     WHERE type = ${IMPORTED_RECORD_TYPE} AND tag LIKE 'alias:%'
       AND (transaction_id, position) <= (${through.transactionId.toString()}::xid8, ${through.position.toString()}::bigint)`.execute(
    db,
  );
  return rows.map((r) => r.tag);
}
