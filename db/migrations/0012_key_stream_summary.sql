-- A unit of work on a key read the key's whole stream: its own events, and every alias event that
-- ever named it (AliasCreated, AliasRetargeted from or to it, AliasDeleted). On a year of history
-- (the 1,000,000-event benchmark) an UpdateAlias read 874 events from 869 heap pages, 29 ms of the
-- database's time, to learn three things about its two keys: their own state, which aliases point
-- at them now, and the latest event time of their streams. The stream of a long-lived key grows
-- without bound, and so did the cost of every alias change on it.
--
-- Now a unit reads a key's own events in full (few: created, enabled, disabled, deletion scheduled
-- or canceled, deleted) and takes the other two from the `current` model, which the appending
-- transaction keeps (0002) and which the tag locks the unit holds keep still while it reads. Alias
-- streams are still read whole. The decision is the same as from the whole stream.

-- No event may commit between the backfill below and the new trigger (an instance of the previous
-- version may still be appending during a rolling upgrade): SHARE waits for the appends in flight
-- and holds new ones until this migration commits.
LOCK TABLE events IN SHARE MODE;

-- What a key's stream adds up to besides its own events: the latest event time of every event that
-- names the key (invariant 5: per entity, event times never decrease), kept by kms_current_apply.
ALTER TABLE kms_keys ADD COLUMN last_event_at timestamptz;

UPDATE kms_keys k SET last_event_at = named.latest
  FROM (SELECT e.data->>'accountId' AS account_id, e.data->>'region' AS region, key_id, max(e.occurred_at) AS latest
          FROM events e,
               unnest(ARRAY[e.data->>'keyId', e.data->>'fromKeyId', e.data->>'toKeyId']) AS key_id
         WHERE e.type IN ('KeyCreated', 'KeyEnabled', 'KeyDisabled', 'KeyDeletionScheduled', 'KeyDeletionCanceled',
                          'KeyDeleted', 'AliasCreated', 'AliasRetargeted', 'AliasDeleted')
           AND key_id IS NOT NULL
         GROUP BY 1, 2, 3) AS named
 WHERE (k.account_id, k.region, k.key_id) = (named.account_id, named.region, named.key_id);
-- Every key has its KeyCreated. NOT NULL also stops a rebuild by the previous version, which does
-- not fill the column, from swapping in a model without it.
ALTER TABLE kms_keys ALTER COLUMN last_event_at SET NOT NULL;

CREATE OR REPLACE FUNCTION kms_current_apply(e events) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  d jsonb := e.data;
  acct text := d->>'accountId';
  reg text := d->>'region';
BEGIN
  -- Every key the event names (a deleted key's row is gone, and with it its stream's end). First,
  -- so that an alias event locks kms_keys before kms_aliases, in the order a rebuild's swap does.
  -- One statement a key, each on the whole primary key: a plan made without statistics (a new
  -- database) still takes the index then (0003), where `key_id IN (…)` did not.
  IF e.type <> 'KeyCreated' AND d ? 'keyId' THEN
    UPDATE kms_keys SET last_event_at = greatest(last_event_at, e.occurred_at)
     WHERE (account_id, region, key_id) = (acct, reg, d->>'keyId');
  END IF;
  IF d ? 'fromKeyId' THEN
    UPDATE kms_keys SET last_event_at = greatest(last_event_at, e.occurred_at)
     WHERE (account_id, region, key_id) = (acct, reg, d->>'fromKeyId');
  END IF;
  IF d ? 'toKeyId' THEN
    UPDATE kms_keys SET last_event_at = greatest(last_event_at, e.occurred_at)
     WHERE (account_id, region, key_id) = (acct, reg, d->>'toKeyId');
  END IF;
  CASE e.type
    WHEN 'KeyCreated' THEN
      INSERT INTO kms_keys (account_id, region, key_id, key_spec, key_usage, key_manager, origin, description,
                            key_state, creation_date, last_event_at)
      VALUES (acct, reg, d->>'keyId', d->>'keySpec', d->>'keyUsage', d->>'keyManager', d->>'origin', d->>'description',
              CASE WHEN d->>'origin' = 'EXTERNAL' THEN 'PendingImport' ELSE 'Enabled' END, e.occurred_at, e.occurred_at);
    WHEN 'KeyEnabled' THEN
      UPDATE kms_keys SET key_state = 'Enabled' WHERE (account_id, region, key_id) = (acct, reg, d->>'keyId');
    WHEN 'KeyDisabled' THEN
      UPDATE kms_keys SET key_state = 'Disabled' WHERE (account_id, region, key_id) = (acct, reg, d->>'keyId');
    WHEN 'KeyDeletionScheduled' THEN
      UPDATE kms_keys SET key_state = 'PendingDeletion', deletion_date = (d->>'deletionDate')::timestamptz,
                          pending_window_in_days = (d->>'pendingWindowInDays')::int
       WHERE (account_id, region, key_id) = (acct, reg, d->>'keyId');
    WHEN 'KeyDeletionCanceled' THEN
      UPDATE kms_keys SET key_state = 'Disabled', deletion_date = NULL, pending_window_in_days = NULL
       WHERE (account_id, region, key_id) = (acct, reg, d->>'keyId');
    WHEN 'KeyDeleted' THEN
      DELETE FROM kms_keys WHERE (account_id, region, key_id) = (acct, reg, d->>'keyId');
    WHEN 'AliasCreated' THEN
      INSERT INTO kms_aliases (account_id, region, alias_name, key_id, creation_date, last_updated_date)
      VALUES (acct, reg, d->>'aliasName', d->>'keyId', e.occurred_at, e.occurred_at);
    WHEN 'AliasRetargeted' THEN
      UPDATE kms_aliases SET key_id = d->>'toKeyId', last_updated_date = e.occurred_at
       WHERE (account_id, region, alias_name) = (acct, reg, d->>'aliasName');
    WHEN 'AliasDeleted' THEN
      DELETE FROM kms_aliases WHERE (account_id, region, alias_name) = (acct, reg, d->>'aliasName');
    ELSE
      NULL;
  END CASE;
END
$$;

-- A key's own events, found without visiting the alias events that share its tag.
CREATE INDEX events_key_event_tags_idx ON events USING gin (tags)
  WHERE type IN ('KeyCreated', 'KeyEnabled', 'KeyDisabled', 'KeyDeletionScheduled', 'KeyDeletionCanceled',
                 'KeyDeleted');

-- Round trip 1 of a KMS unit of work: lock every tag (as events_lock_and_read does, in key order),
-- then read the whole streams of p_full and the key's own events of p_summarised, with what the
-- current model says of each summarised key: the aliases that point at it and its stream's latest
-- event time. One JSON document: {"history": [...], "summaries": {"<key tag>": {"aliases": [...], "lastEventAt": epoch seconds}}}.
-- A key tag is key:<account>:<region>:<key id> (src/kms/kms-events.ts).
CREATE FUNCTION kms_lock_and_read(p_full text[], p_summarised text[]) RETURNS text
  LANGUAGE plpgsql VOLATILE
  SET max_parallel_workers_per_gather = 0 SET enable_seqscan = off AS $$
DECLARE
  history text;
  summaries text;
  key_ids text[];
BEGIN
  PERFORM count(pg_advisory_xact_lock(key))
     FROM (SELECT DISTINCT hashtextextended(tag, 0) AS key FROM unnest(p_full || p_summarised) AS tag ORDER BY key) AS k;
  -- Planned for each call (EXECUTE), as events_lock_and_read is. Two scans, one an index each (the
  -- partial one matched by the type list written out); an event both would find is taken once.
  EXECUTE $q$
    SELECT coalesce(json_agg(json_build_array(position::text, event_id, type, schema_version, tags, data,
                                              extract(epoch FROM occurred_at)) ORDER BY position), '[]')::text
      FROM (SELECT * FROM events WHERE tags && $1
            UNION ALL
            SELECT * FROM events
             WHERE tags && $2 AND NOT tags && $1
               AND type IN ('KeyCreated', 'KeyEnabled', 'KeyDisabled', 'KeyDeletionScheduled', 'KeyDeletionCanceled',
                            'KeyDeleted')) AS unit$q$
    INTO history USING p_full, p_summarised;
  -- The aliases of all the keys at once, by the index that leads with key_id: looked up one key at a
  -- time, a plan made without statistics walked every alias of the Region by the primary key.
  key_ids := ARRAY(SELECT DISTINCT split_part(tag, ':', 4) FROM unnest(p_summarised) AS tag);
  SELECT coalesce(json_object_agg(s.tag, json_build_object('aliases', coalesce(al.names, '[]'),
                                                           'lastEventAt', extract(epoch FROM k.last_event_at))), '{}')::text
    INTO summaries
    FROM (SELECT tag, split_part(tag, ':', 2) AS account_id, split_part(tag, ':', 3) AS region,
                 split_part(tag, ':', 4) AS key_id
            FROM unnest(p_summarised) AS tag) AS s
    LEFT JOIN (SELECT a.key_id, a.account_id, a.region, json_agg(a.alias_name ORDER BY a.alias_name) AS names
                 FROM kms_aliases a WHERE a.key_id = ANY(key_ids)
                GROUP BY 1, 2, 3) AS al
      ON (al.key_id, al.account_id, al.region) = (s.key_id, s.account_id, s.region)
    LEFT JOIN kms_keys k ON (k.account_id, k.region, k.key_id) = (s.account_id, s.region, s.key_id);
  RETURN json_build_object('history', history::json, 'summaries', summaries::json)::text;
END
$$;
