import { type Transaction, sql } from 'kysely';
import type { Database } from '../../database/database.types';
import type { Checkpoint } from '../event.types';

/*
 * The KMS event types come from kms_event_types() (db/functions/kms_current.sql, the one SQL list;
 * IMMUTABLE, so the plan holds it as a constant). Key events are the ones named Key*, alias events
 * Alias* (test/kms/kms-event-types.int-spec.ts checks the list).
 */
const KEY_EVENT = sql`type LIKE 'Key%'`;
const ALIAS_EVENT = sql`type LIKE 'Alias%'`;

/**
 * Builds the `current` tables (kms_keys, kms_aliases) from every event at or before `through` in
 * log order, inside the database, for a rebuild (RebuildTarget.load): the rows kms_current_apply
 * (db/functions/kms_current.sql) leaves after applying those events one by one.
 *
 * Each KMS event sets what it touches outright, so the fold of a key or alias is its last events:
 * - a key is the last KeyCreated of its id, in the state its last key event after that set
 *   (KeyDeleted: gone), with the deletion date of its last DeletionScheduled unless a
 *   DeletionCanceled came after it; events of a key before its creation changed nothing;
 * - an alias exists when its last AliasCreated comes after its last AliasDeleted; it points where
 *   its last event (that create or a later retarget) points, created when that create happened and
 *   updated when that last event happened.
 * - a key's metadata (description, tags, policy, rotation) is its metadata events folded in order
 *   (loadKeyMetadata), on top of what its KeyCreated set;
 * - a key's last_event_at is the latest time of the events that name it (its own, and alias events
 *   by keyId, fromKeyId or toKeyId) from its creation on;
 * "Last" is the log order (transaction id, position), made one number (`ord`) so that a hash
 * aggregate finds it (positions < 10^15).
 *
 * How, and why so: the events are read ONCE, into a narrow temporary table of the fields the fold
 * needs (their JSON parsed once, `ord` computed once), which is then analysed, so that the planner
 * knows its sizes. Reading the events table once per statement, parsing each event's JSON in each,
 * and joining back to it by position were most of the 30 s this took on a million events; the
 * planner, guessing the sizes of GROUP BYs over jsonb fields, also sorted 1.8M rows by key (text,
 * in the database's collation) to merge-join them with 10,000 keys. The text fields are COLLATE "C"
 * so that any sort left compares bytes, and the key statement is told to hash.
 * Returns the events the load covered. It lives in the event store, which owns every statement
 * on `events`; the current model's rebuild target (projections/rebuild) calls it.
 */
export async function loadCurrent(trx: Transaction<Database>, through: Checkpoint): Promise<number> {
  const upTo = sql`(${through.transactionId.toString()}::xid8, ${through.position.toString()}::bigint)`;
  await sql`
    CREATE TEMPORARY TABLE current_load_events ON COMMIT DROP AS
    SELECT e.type, (e.data->>'accountId') COLLATE "C" AS account_id, (e.data->>'region') COLLATE "C" AS region,
           (e.data->>'keyId') COLLATE "C" AS key_id, (e.data->>'fromKeyId') COLLATE "C" AS from_key_id,
           (e.data->>'toKeyId') COLLATE "C" AS to_key_id, (e.data->>'aliasName') COLLATE "C" AS alias_name,
           e.transaction_id, e.position, e.transaction_id::text::numeric * 1e15 + e.position AS ord, e.occurred_at,
           -- The fields of a key's creation, deletion schedule and metadata, and of nothing else (they are few).
           CASE WHEN e.type IN ('KeyCreated', 'KeyDeletionScheduled') OR e.type = ANY (kms_key_metadata_types())
                THEN e.data END AS key_data
      FROM events e
     WHERE e.type = ANY (kms_event_types()) AND (e.transaction_id, e.position) <= ${upTo}`.execute(trx);
  await sql`ANALYZE current_load_events`.execute(trx);
  await loadKeys(trx);
  await loadKeyMetadata(trx);
  await loadAliases(trx);
  const { rows } = await sql<{ events: string }>`
    SELECT count(*) AS events FROM events WHERE (transaction_id, position) <= ${upTo}`.execute(trx);
  return Number(rows[0]!.events);
}

/** kms_keys from current_load_events. */
async function loadKeys(trx: Transaction<Database>): Promise<void> {
  // 1.8M (event, key it names) rows meet 10,000 keys: a hash join and a hash aggregate. Estimated
  // from CTEs, a merge join and a sort of the 1.8M rows looked cheaper: it took four times longer.
  await sql`SET LOCAL enable_mergejoin = off`.execute(trx);
  await sql`SET LOCAL enable_sort = off`.execute(trx);
  await sql`
    WITH key_events AS (
      SELECT * FROM current_load_events WHERE ${KEY_EVENT}
    ),
    marks AS (
      SELECT m.*, c.transaction_id AS created_tx, c.position AS created_position
        FROM (SELECT account_id, region, key_id, max(ord) FILTER (WHERE type = 'KeyCreated') AS created,
                     max(ord) FILTER (WHERE NOT type = ANY (kms_key_metadata_types())) AS last,
                     max(ord) FILTER (WHERE type IN ('KeyDeletionScheduled', 'KeyDeletionCanceled')) AS deletion
                FROM key_events
               GROUP BY 1, 2, 3) AS m
        JOIN key_events c ON c.ord = m.created
    ),
    latest AS (
      SELECT n.account_id, n.region, n.key_id, max(n.occurred_at) AS last_event_at
        FROM (SELECT account_id, region, key_id, transaction_id, position, occurred_at FROM current_load_events
              UNION ALL
              SELECT account_id, region, from_key_id, transaction_id, position, occurred_at FROM current_load_events
               WHERE from_key_id IS NOT NULL
              UNION ALL
              SELECT account_id, region, to_key_id, transaction_id, position, occurred_at FROM current_load_events
               WHERE to_key_id IS NOT NULL) AS n
        JOIN marks m ON (m.account_id, m.region, m.key_id) = (n.account_id, n.region, n.key_id)
       WHERE (n.transaction_id, n.position) >= (m.created_tx, m.created_position)
       GROUP BY 1, 2, 3
    )
    INSERT INTO kms_keys (account_id, region, key_id, key_spec, key_usage, key_manager, origin, description,
                          key_state, creation_date, deletion_date, pending_window_in_days, last_event_at, tags, policy)
    SELECT m.account_id, m.region, m.key_id, c.key_data->>'keySpec', c.key_data->>'keyUsage',
           c.key_data->>'keyManager', c.key_data->>'origin', c.key_data->>'description',
           CASE l.type
             WHEN 'KeyEnabled' THEN 'Enabled'
             WHEN 'KeyDisabled' THEN 'Disabled'
             WHEN 'KeyDeletionScheduled' THEN 'PendingDeletion'
             WHEN 'KeyDeletionCanceled' THEN 'Disabled'
             ELSE CASE WHEN c.key_data->>'origin' = 'EXTERNAL' THEN 'PendingImport' ELSE 'Enabled' END
           END,
           c.occurred_at, (d.key_data->>'deletionDate')::timestamptz, (d.key_data->>'pendingWindowInDays')::int,
           latest.last_event_at, kms_sorted_tags(coalesce(c.key_data->'tags', '[]')), c.key_data->>'policy'
      FROM marks m
      JOIN latest USING (account_id, region, key_id)
      JOIN key_events c ON c.ord = m.created
      JOIN key_events l ON l.ord = m.last
      LEFT JOIN key_events d ON d.ord = m.deletion AND m.deletion > m.created AND d.type = 'KeyDeletionScheduled'
     WHERE l.type <> 'KeyDeleted'`.execute(trx);
  await sql`SET LOCAL enable_mergejoin = on`.execute(trx);
  await sql`SET LOCAL enable_sort = on`.execute(trx);
}

/**
 * The metadata events (description, tags, policy, rotation: kms_key_metadata_types()) applied to the
 * keys just loaded, one by one in log order, by the function the live trigger applies them with.
 * They are few beside alias events, and a tag set or a rotation list is the fold of all of them, not
 * a last event, so the one function that folds them is the one place that says how. A deleted key's
 * events update no row; a key's events all come after its KeyCreated (key ids are never re-used).
 */
async function loadKeyMetadata(trx: Transaction<Database>): Promise<void> {
  // The keys just loaded have no index yet (shadowKeysSql adds them after the load): without one,
  // each event's UPDATE read the whole table (3.3 s for 2,000 events on 10,000 keys, 0.1 s with it).
  // Dropped again, so the shadow gets exactly the live table's indexes.
  await sql`CREATE INDEX current_load_keys_idx ON kms_keys (account_id, region, key_id)`.execute(trx);
  await sql`
    DO $$
    DECLARE
      r record;
    BEGIN
      FOR r IN SELECT type, key_data, occurred_at FROM current_load_events
                WHERE type = ANY (kms_key_metadata_types()) ORDER BY ord LOOP
        PERFORM kms_key_metadata_apply(r.type, r.key_data, r.occurred_at);
      END LOOP;
    END
    $$`.execute(trx);
  await sql`DROP INDEX current_load_keys_idx`.execute(trx);
}

/** kms_aliases from current_load_events. */
async function loadAliases(trx: Transaction<Database>): Promise<void> {
  await sql`
    WITH marks AS (
      SELECT account_id, region, alias_name, max(ord) AS last,
             max(ord) FILTER (WHERE type = 'AliasCreated') AS created,
             max(ord) FILTER (WHERE type = 'AliasDeleted') AS deleted
        FROM current_load_events
       WHERE ${ALIAS_EVENT}
       GROUP BY 1, 2, 3
    )
    INSERT INTO kms_aliases (account_id, region, alias_name, key_id, creation_date, last_updated_date)
    SELECT m.account_id, m.region, m.alias_name, CASE l.type WHEN 'AliasCreated' THEN l.key_id ELSE l.to_key_id END,
           c.occurred_at, l.occurred_at
      FROM marks m
      JOIN current_load_events l ON l.ord = m.last
      JOIN current_load_events c ON c.ord = m.created
     WHERE m.created > coalesce(m.deleted, -1)`.execute(trx);
}
