import { type Transaction, sql } from 'kysely';
import type { Database } from '../../database/database.types';
import type { Checkpoint } from '../event.types';

/**
 * Builds the `temporal` tables from every alias event at or before `through` in log order, inside
 * the database, for a rebuild (Projection.load): the rows TemporalAliasesProjection.apply writes
 * batch after batch, in one statement instead of a round trip per few thousand events.
 *
 * - Alias ids number the names in the order of their first event in the log, as `apply` gives them.
 *   The first event is found by a hash aggregate (names sort slowly, as text; an id sorts fast).
 * - Each event that begins a version (a create or a retarget) becomes one, numbered by the count of
 *   such events so far; the alias's next event, whatever it is, ends it (window `lead`).
 * - The page prefilter (first start, latest end, whether one is open) is aggregated from the versions.
 * - It counts the alias events that do not chain (a create on an open alias, a retarget or delete of
 *   none); the projection fails the load on any, as `apply` would (TemporalMismatch).
 *
 * Merge joins are off for it: the planner would sort 1M rows by name to join them with the ids,
 * where hashing the 100,000 names is several times cheaper. Returns the events the load covered.
 * It lives in the event store, which owns every statement on `events`.
 */
export async function loadTemporal(
  trx: Transaction<Database>,
  through: Checkpoint,
): Promise<{ readonly events: number; readonly mismatches: number }> {
  await sql`SET LOCAL enable_mergejoin = off`.execute(trx);
  const { rows } = await sql<{ events: string; mismatches: string }>`
    WITH covered AS MATERIALIZED (
      -- The fields the model needs, pulled out of the JSON once: the sorts below then move narrow rows.
      SELECT e.transaction_id, e.position, e.type, e.occurred_at,
             e.data->>'accountId' AS account_id, e.data->>'region' AS region, e.data->>'aliasName' AS alias_name,
             CASE e.type WHEN 'AliasCreated' THEN e.data->>'keyId' WHEN 'AliasRetargeted' THEN e.data->>'toKeyId' END AS key_id,
             e.data->>'reason' AS reason
        FROM events e
       WHERE (e.transaction_id, e.position) <= (${through.transactionId.toString()}::xid8, ${through.position.toString()}::bigint)
    ), alias_events AS (
      SELECT * FROM covered WHERE type = ANY (kms_event_types()) AND type LIKE 'Alias%'
    ), names AS MATERIALIZED (
      -- (transaction id, position) as one number, which min() orders the same way (positions < 10^15).
      SELECT row_number() OVER (ORDER BY first) AS alias_id, account_id, region, alias_name
        FROM (SELECT account_id, region, alias_name, min(transaction_id::text::numeric * 1e15 + position) AS first
                FROM alias_events GROUP BY account_id, region, alias_name) AS firsts
    ), steps AS MATERIALIZED (
      SELECT n.alias_id, a.position, a.type, a.occurred_at, a.key_id,
             lead(a.type) OVER w AS next_type, lead(a.occurred_at) OVER w AS next_at,
             lead(a.position) OVER w AS next_position, lead(a.reason) OVER w AS next_reason,
             lag(a.type) OVER w AS previous_type,
             count(*) FILTER (WHERE a.type <> 'AliasDeleted') OVER w AS version
        FROM alias_events a
        JOIN names n ON (n.account_id, n.region, n.alias_name) = (a.account_id, a.region, a.alias_name)
      WINDOW w AS (PARTITION BY n.alias_id ORDER BY a.transaction_id, a.position)
    ), versions AS (
      INSERT INTO temporal_alias_versions (alias_id, version, key_id, valid_from, valid_to, from_position, to_position,
                                           ended_reason)
      SELECT alias_id, version, key_id, occurred_at, next_at, position, next_position,
             CASE next_type
               WHEN 'AliasRetargeted' THEN 'retargeted'
               WHEN 'AliasDeleted' THEN CASE WHEN next_reason = 'key-deleted' THEN 'key-deleted' ELSE 'deleted' END
             END
        FROM steps WHERE type <> 'AliasDeleted'
    ), ids AS (
      INSERT INTO temporal_alias_ids (alias_id, account_id, region, alias_name, first_began, ended_max, open)
      OVERRIDING SYSTEM VALUE
      SELECT n.alias_id, n.account_id, n.region, n.alias_name, s.first_began, s.ended_max, s.open
        FROM names n
        JOIN (SELECT alias_id, min(occurred_at) AS first_began, max(next_at) AS ended_max,
                     bool_or(next_type IS NULL) AS open
                FROM steps WHERE type <> 'AliasDeleted' GROUP BY alias_id) AS s USING (alias_id)
    )
    -- Data-modifying CTEs run to completion whether or not they are read.
    SELECT (SELECT count(*) FROM covered) AS events,
           (SELECT count(*) FROM steps
             WHERE (type = 'AliasCreated') <> (previous_type IS NULL OR previous_type = 'AliasDeleted')) AS mismatches`.execute(
    trx,
  );
  const row = rows[0]!;
  return { events: Number(row.events), mismatches: Number(row.mismatches) };
}
