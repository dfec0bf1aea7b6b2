import { type Transaction, sql } from 'kysely';
import type { Database } from '../../database/database.types';
import type { Checkpoint } from '../event.types';

/**
 * Builds the `current` tables (kms_keys, kms_aliases) from every event at or before `through` in
 * log order, inside the database, for a rebuild (RebuildTarget.load): the rows kms_current_apply
 * (db/migrations/0002) leaves after applying those events one by one, in three statements.
 *
 * Each KMS event sets what it touches outright, so the fold of a key or alias is its last events:
 * - a key is the last KeyCreated of its id, in the state its last key event after that set
 *   (KeyDeleted: gone), with the deletion date of its last DeletionScheduled unless a
 *   DeletionCanceled came after it; events of a key before its creation changed nothing;
 * - an alias exists when its last AliasCreated comes after its last AliasDeleted; it points where
 *   its last event (that create or a later retarget) points, created when that create happened and
 *   updated when that last event happened.
 * - a key's last_event_at is the latest time of the events that name it (its own, and alias events
 *   by keyId, fromKeyId or toKeyId) from its creation on;
 * "Last" is the log order (transaction id, position), made one number so that a hash aggregate
 * finds it (positions < 10^15): sorting a million events by alias name takes several times longer.
 * Returns the events the load covered. It lives in the event store, which owns every statement
 * on `events`; the current model's rebuild target (projections/rebuild) calls it.
 */
export async function loadCurrent(trx: Transaction<Database>, through: Checkpoint): Promise<number> {
  const upTo = sql`(${through.transactionId.toString()}::xid8, ${through.position.toString()}::bigint)`;
  // The planner cannot estimate the GROUP BY over jsonb fields (it guesses 200 keys) and joined
  // every event naming a key to every key in a nested loop: hours at a million events. Hash joins.
  await sql`SET LOCAL enable_nestloop = off`.execute(trx);
  await sql`
    WITH marks AS (
      SELECT e.data->>'accountId' AS account_id, e.data->>'region' AS region, e.data->>'keyId' AS key_id,
             max(e.transaction_id::text::numeric * 1e15 + e.position) FILTER (WHERE e.type = 'KeyCreated') AS created,
             max(e.transaction_id::text::numeric * 1e15 + e.position) AS last,
             max(e.transaction_id::text::numeric * 1e15 + e.position)
               FILTER (WHERE e.type IN ('KeyDeletionScheduled', 'KeyDeletionCanceled')) AS deletion
        FROM events e
       WHERE e.type IN ('KeyCreated', 'KeyEnabled', 'KeyDisabled', 'KeyDeletionScheduled', 'KeyDeletionCanceled',
                        'KeyDeleted')
         AND (e.transaction_id, e.position) <= ${upTo}
       GROUP BY 1, 2, 3
    ),
    named AS (
      SELECT e.data->>'accountId' AS account_id, e.data->>'region' AS region, k.key_id,
             e.transaction_id::text::numeric * 1e15 + e.position AS ord, e.occurred_at
        FROM events e, unnest(ARRAY[e.data->>'keyId', e.data->>'fromKeyId', e.data->>'toKeyId']) AS k(key_id)
       WHERE e.type IN ('KeyCreated', 'KeyEnabled', 'KeyDisabled', 'KeyDeletionScheduled', 'KeyDeletionCanceled',
                        'KeyDeleted', 'AliasCreated', 'AliasRetargeted', 'AliasDeleted')
         AND k.key_id IS NOT NULL AND (e.transaction_id, e.position) <= ${upTo}
    ),
    latest AS (
      SELECT n.account_id, n.region, n.key_id, max(n.occurred_at) AS last_event_at
        FROM named n JOIN marks m USING (account_id, region, key_id)
       WHERE n.ord >= m.created
       GROUP BY 1, 2, 3
    )
    INSERT INTO kms_keys (account_id, region, key_id, key_spec, key_usage, key_manager, origin, description,
                          key_state, creation_date, deletion_date, pending_window_in_days, last_event_at)
    SELECT m.account_id, m.region, m.key_id, c.data->>'keySpec', c.data->>'keyUsage', c.data->>'keyManager',
           c.data->>'origin', c.data->>'description',
           CASE l.type
             WHEN 'KeyEnabled' THEN 'Enabled'
             WHEN 'KeyDisabled' THEN 'Disabled'
             WHEN 'KeyDeletionScheduled' THEN 'PendingDeletion'
             WHEN 'KeyDeletionCanceled' THEN 'Disabled'
             ELSE CASE WHEN c.data->>'origin' = 'EXTERNAL' THEN 'PendingImport' ELSE 'Enabled' END
           END,
           c.occurred_at, (d.data->>'deletionDate')::timestamptz, (d.data->>'pendingWindowInDays')::int,
           latest.last_event_at
      FROM marks m
      JOIN latest USING (account_id, region, key_id)
      JOIN events c ON c.position = (m.created % 1e15)::bigint
      JOIN events l ON l.position = (m.last % 1e15)::bigint
      LEFT JOIN events d ON d.position = (m.deletion % 1e15)::bigint AND m.deletion > m.created
                        AND d.type = 'KeyDeletionScheduled'
     WHERE l.type <> 'KeyDeleted'`.execute(trx);
  await sql`SET LOCAL enable_nestloop = on`.execute(trx);
  await sql`
    WITH lasts AS (
      SELECT e.data->>'accountId' AS account_id, e.data->>'region' AS region, e.data->>'aliasName' AS alias_name,
             max(e.transaction_id::text::numeric * 1e15 + e.position) AS last,
             max(e.transaction_id::text::numeric * 1e15 + e.position) FILTER (WHERE e.type = 'AliasCreated') AS created,
             max(e.transaction_id::text::numeric * 1e15 + e.position) FILTER (WHERE e.type = 'AliasDeleted') AS deleted
        FROM events e
       WHERE e.type IN ('AliasCreated', 'AliasRetargeted', 'AliasDeleted') AND (e.transaction_id, e.position) <= ${upTo}
       GROUP BY 1, 2, 3
    )
    INSERT INTO kms_aliases (account_id, region, alias_name, key_id, creation_date, last_updated_date)
    SELECT l.account_id, l.region, l.alias_name,
           CASE last.type WHEN 'AliasCreated' THEN last.data->>'keyId' ELSE last.data->>'toKeyId' END,
           created.occurred_at, last.occurred_at
      FROM lasts l
      JOIN events last ON last.position = (l.last % 1e15)::bigint
      JOIN events created ON created.position = (l.created % 1e15)::bigint
     WHERE l.created > coalesce(l.deleted, -1)`.execute(trx);
  const { rows } = await sql<{ events: string }>`
    SELECT count(*) AS events FROM events WHERE (transaction_id, position) <= ${upTo}`.execute(trx);
  return Number(rows[0]!.events);
}
