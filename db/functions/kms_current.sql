-- The `current` model of keys and aliases (tables: db/migrations/0002, 0012): the events it applies,
-- how it applies one, the trigger that applies each in the transaction that appends it, and replays.
-- The live bodies: the migrator applies this file again whenever it changes (README "Database
-- functions"), and every instance, older ones too, runs the new bodies from that commit on.
--
-- Lock order: applying this file takes SHARE ROW EXCLUSIVE on events (CREATE OR REPLACE TRIGGER),
-- which waits for appends in flight and holds new ones until it commits, and no other table lock.
-- An append locks events, then kms_keys before kms_aliases (kms_current_apply), as a rebuild's swap
-- locks kms_keys before kms_aliases; a statement added here that writes these tables must take its
-- locks in that order too.

-- The KMS event types, once for SQL (TypeScript: KMS_EVENT_TYPES in src/kms/domain/kms-events.ts; a
-- test checks they agree). IMMUTABLE, so a plan folds it to a constant list. Written out again only
-- where a function cannot stand or a plan needs the literal list, each checked by the same test: the
-- partial index events_key_event_tags_idx (0012, rebuilt with the metadata events in 0015) and the unit read that uses it (kms_unit_read.sql),
-- and the audit view (audit_events.sql).
CREATE OR REPLACE FUNCTION kms_event_types() RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT ARRAY['KeyCreated', 'KeyEnabled', 'KeyDisabled', 'KeyDeletionScheduled', 'KeyDeletionCanceled',
               'KeyDeleted', 'KeyDescriptionUpdated', 'KeyTagged', 'KeyUntagged', 'KeyPolicyPut',
               'KeyRotationEnabled', 'KeyRotationDisabled', 'KeyMaterialRotated',
               'AliasCreated', 'AliasRetargeted', 'AliasDeleted']
$$;

-- The key events that change a key's metadata, not its state (0015): kms_key_metadata_apply applies
-- them, the live trigger and a rebuild's load alike (src/event-store/queries/current-load.ts).
CREATE OR REPLACE FUNCTION kms_key_metadata_types() RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT ARRAY['KeyDescriptionUpdated', 'KeyTagged', 'KeyUntagged', 'KeyPolicyPut', 'KeyRotationEnabled',
               'KeyRotationDisabled', 'KeyMaterialRotated']
$$;

-- Tags as kms_keys.tags holds them: only TagKey and TagValue, in ascending TagKey, byte order.
CREATE OR REPLACE FUNCTION kms_sorted_tags(tags jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(jsonb_agg(jsonb_build_object('TagKey', t->>'TagKey', 'TagValue', t->>'TagValue')
                            ORDER BY (t->>'TagKey') COLLATE "C"), '[]')
    FROM jsonb_array_elements(tags) AS t
$$;

-- Applies one metadata event (kms_key_metadata_types()) of the key d names to kms_keys, as the
-- search_path finds it. Each sets what it touches from its data and the row, nothing else.
CREATE OR REPLACE FUNCTION kms_key_metadata_apply(p_type text, d jsonb, p_occurred_at timestamptz) RETURNS void
  LANGUAGE plpgsql AS $$
BEGIN
  CASE p_type
    WHEN 'KeyDescriptionUpdated' THEN
      UPDATE kms_keys SET description = d->>'description'
       WHERE (account_id, region, key_id) = (d->>'accountId', d->>'region', d->>'keyId');
    WHEN 'KeyTagged' THEN
      -- A key tagged again takes the new value (kms-crypto §7.1).
      UPDATE kms_keys
         SET tags = kms_sorted_tags((SELECT coalesce(jsonb_agg(t), '[]') FROM jsonb_array_elements(tags) AS t
                                      WHERE NOT EXISTS (SELECT 1 FROM jsonb_array_elements(d->'tags') AS n
                                                         WHERE n->>'TagKey' = t->>'TagKey')) || (d->'tags'))
       WHERE (account_id, region, key_id) = (d->>'accountId', d->>'region', d->>'keyId');
    WHEN 'KeyUntagged' THEN
      UPDATE kms_keys
         SET tags = (SELECT coalesce(jsonb_agg(t ORDER BY i), '[]') FROM jsonb_array_elements(tags) WITH ORDINALITY AS x(t, i)
                      WHERE NOT (d->'tagKeys') ? (t->>'TagKey'))
       WHERE (account_id, region, key_id) = (d->>'accountId', d->>'region', d->>'keyId');
    WHEN 'KeyPolicyPut' THEN
      UPDATE kms_keys SET policy = d->>'policy'
       WHERE (account_id, region, key_id) = (d->>'accountId', d->>'region', d->>'keyId');
    WHEN 'KeyRotationEnabled' THEN
      UPDATE kms_keys SET rotation_period_in_days = (d->>'rotationPeriodInDays')::int,
                          next_rotation_date = (d->>'nextRotationDate')::timestamptz
       WHERE (account_id, region, key_id) = (d->>'accountId', d->>'region', d->>'keyId');
    WHEN 'KeyRotationDisabled' THEN
      UPDATE kms_keys SET rotation_period_in_days = NULL, next_rotation_date = NULL
       WHERE (account_id, region, key_id) = (d->>'accountId', d->>'region', d->>'keyId');
    WHEN 'KeyMaterialRotated' THEN
      -- The date to the millisecond, as the wire shows dates (epoch seconds).
      UPDATE kms_keys
         SET material_version = (d->>'version')::int,
             next_rotation_date = coalesce((d->>'nextRotationDate')::timestamptz, next_rotation_date),
             rotations = rotations || jsonb_build_array(jsonb_build_object(
                           'KeyMaterialId', d->>'keyMaterialId',
                           'RotationDate', round(extract(epoch FROM p_occurred_at), 3),
                           'RotationType', d->>'rotationType'))
       WHERE (account_id, region, key_id) = (d->>'accountId', d->>'region', d->>'keyId');
    ELSE
      NULL;
  END CASE;
END
$$;

-- Applies one event to the tables of the `current` model the search_path finds first (a rebuild's
-- shadow, or the live ones).
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
                            key_state, creation_date, last_event_at, tags, policy)
      VALUES (acct, reg, d->>'keyId', d->>'keySpec', d->>'keyUsage', d->>'keyManager', d->>'origin', d->>'description',
              CASE WHEN d->>'origin' = 'EXTERNAL' THEN 'PendingImport' ELSE 'Enabled' END, e.occurred_at, e.occurred_at,
              kms_sorted_tags(coalesce(d->'tags', '[]')), d->>'policy');
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
      PERFORM kms_key_metadata_apply(e.type, d, e.occurred_at);
  END CASE;
END
$$;

CREATE OR REPLACE FUNCTION kms_current_on_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM kms_current_apply(NEW);
  RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER kms_current_apply AFTER INSERT ON events FOR EACH ROW
  WHEN (NEW.type = ANY (kms_event_types()))
  EXECUTE FUNCTION kms_current_on_event();

-- Rebuilds the model from the events, in the order they were appended.
CREATE OR REPLACE FUNCTION kms_current_rebuild() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  e events;
BEGIN
  LOCK TABLE kms_keys, kms_aliases IN EXCLUSIVE MODE;
  DELETE FROM kms_aliases;
  DELETE FROM kms_keys;
  FOR e IN SELECT * FROM events WHERE type = ANY (kms_event_types()) ORDER BY transaction_id, position LOOP
    PERFORM kms_current_apply(e);
  END LOOP;
END
$$;

-- Replays events into the `current` model that the session's search_path finds first: a rebuild
-- sets it to its shadow schema, and kms_current_apply resolves kms_keys and kms_aliases by name
-- (PL/pgSQL plans again when the search_path differs). Applies up to p_limit events after the
-- checkpoint (p_after_tx, p_after_pos) in log order. With p_below_barrier, it reads only below the
-- snapshot barrier, as every catch-up reader does; without it, every event committed now, which is
-- safe only while the live model's tables are locked against writers (see the rebuild's swap).
-- Returns how many events it passed (other types included) and the checkpoint after the last one.
CREATE OR REPLACE FUNCTION kms_current_replay(p_after_tx xid8, p_after_pos bigint, p_limit integer, p_below_barrier boolean,
                                   OUT events_read integer, OUT last_tx xid8, OUT last_pos bigint)
  LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  e events;
BEGIN
  events_read := 0;
  last_tx := p_after_tx;
  last_pos := p_after_pos;
  FOR e IN SELECT * FROM events
            WHERE (transaction_id, position) > (p_after_tx, p_after_pos)
              AND (NOT p_below_barrier OR transaction_id < pg_snapshot_xmin(pg_current_snapshot()))
            ORDER BY transaction_id, position
            LIMIT p_limit LOOP
    IF e.type = ANY (kms_event_types()) THEN
      PERFORM kms_current_apply(e);
    END IF;
    events_read := events_read + 1;
    last_tx := e.transaction_id;
    last_pos := e.position;
  END LOOP;
END
$$;
