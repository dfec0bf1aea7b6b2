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
      INSERT INTO events (event_id, type, tags, data, occurred_at)
      SELECT DISTINCT ON (s.event_id) s.event_id, ${IMPORTED_RECORD_TYPE},
             ARRAY['observed:' || s.account_id || ':' || s.region],
             jsonb_build_object('accountId', s.account_id, 'region', s.region, 'eventName', s.event_name,
                                'record', s.record),
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
