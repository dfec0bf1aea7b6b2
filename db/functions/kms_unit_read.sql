-- How a KMS unit of work reads its streams (src/kms/store/kms-unit-read.ts; first written in db/migrations/0012): an
-- alias's whole, and of a key its own events plus what the `current` model (kms_current.sql) says
-- of it. The live body: the migrator applies this file again whenever it changes (README "Database
-- functions"), and every instance, older ones too, runs the new body from that commit on.
--
-- Lock order: applying this file takes no table lock (a function is replaced without one). A call
-- takes its tags' advisory locks, in key order, before it reads events, kms_aliases and kms_keys.

-- Round trip 1 of a KMS unit of work: lock every tag (as events_lock_and_read does, in key order),
-- then read the whole streams of p_full and the key's own events of p_summarised, with what the
-- current model says of each summarised key: the aliases that point at it and its stream's latest
-- event time. One JSON document: {"history": [...], "summaries": {"<key tag>": {"aliases": [...], "lastEventAt": epoch seconds}}}.
-- A key tag is key:<account>:<region>:<key id> (src/kms/domain/kms-events.ts).
CREATE OR REPLACE FUNCTION kms_lock_and_read(p_full text[], p_summarised text[]) RETURNS text
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
                            'KeyDeleted', 'KeyDescriptionUpdated', 'KeyTagged', 'KeyUntagged', 'KeyPolicyPut',
                            'KeyRotationEnabled', 'KeyRotationDisabled', 'KeyMaterialRotated')) AS unit$q$
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
