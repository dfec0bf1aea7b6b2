-- Key metadata and rotation as events (kms-crypto §6, §7.1–§7.3): KeyDescriptionUpdated, KeyTagged,
-- KeyUntagged, KeyPolicyPut, KeyRotationEnabled, KeyRotationDisabled and KeyMaterialRotated join the
-- key events (src/kms/domain/kms-events.ts). The `current` model keeps what the reads need of them,
-- in kms_keys itself (no new table: a rebuild swaps the same two tables): the key's tags, its policy,
-- its automatic rotation, the version of its material Encrypt uses now, and its rotations.
-- kms_current_apply (db/functions/kms_current.sql) keeps the columns; this file backfills what the
-- existing events say (tags and policies of KeyCreated; none of the new events exists yet).

-- No event may commit between the backfill and the new function bodies (an instance of the previous
-- version may still be appending during a rolling upgrade). ACCESS EXCLUSIVE from the start, not
-- SHARE: the index swap at the end needs it, and taking it there, after a unit of work of a running
-- instance had read `events` and waited on kms_keys (which the ALTER holds), deadlocked. It holds
-- readers of `events` too, for the seconds the partial index takes to build.
LOCK TABLE events IN ACCESS EXCLUSIVE MODE;

ALTER TABLE kms_keys
  -- [{"TagKey", "TagValue"}] in ascending TagKey, byte order (kms-crypto §10 #14).
  ADD COLUMN tags jsonb NOT NULL DEFAULT '[]',
  -- As stored and returned (pretty-printed); NULL while the default policy of kms-crypto §7.3 applies.
  ADD COLUMN policy text,
  -- Both set while automatic rotation is enabled, both NULL otherwise.
  ADD COLUMN rotation_period_in_days integer,
  ADD COLUMN next_rotation_date timestamptz,
  -- Encrypt and GenerateDataKey learn the current version from the key read they already make.
  ADD COLUMN material_version integer NOT NULL DEFAULT 1,
  -- [{"KeyMaterialId", "RotationDate" (epoch seconds), "RotationType"}], oldest first (ListKeyRotations).
  ADD COLUMN rotations jsonb NOT NULL DEFAULT '[]';

UPDATE kms_keys k
   SET tags = (SELECT coalesce(jsonb_agg(jsonb_build_object('TagKey', t->>'TagKey', 'TagValue', t->>'TagValue')
                                         ORDER BY (t->>'TagKey') COLLATE "C"), '[]')
                 FROM jsonb_array_elements(e.data->'tags') AS t),
       policy = e.data->>'policy'
  FROM events e
 WHERE e.type = 'KeyCreated' AND jsonb_array_length(e.data->'tags') > 0
   AND (k.account_id, k.region, k.key_id) = (e.data->>'accountId', e.data->>'region', e.data->>'keyId');

-- No default from here on: kms_current_apply of the previous version (live until the migrator applies
-- db/functions/kms_current.sql, in a later transaction) inserts keys without their tags, and such an
-- INSERT must fail (the previous instance's CreateKey answers an error, and its client retries)
-- rather than store a key whose tags the log has and the model lacks. Every writer of this version
-- names the column.
ALTER TABLE kms_keys ALTER COLUMN tags DROP DEFAULT;

-- The rotation scheduler's sweep (src/kms/key-rotation.scheduler.ts).
CREATE INDEX kms_keys_rotation_due_idx ON kms_keys (next_rotation_date) WHERE next_rotation_date IS NOT NULL;

-- The key events are read in full by every unit on a key (kms_lock_and_read, db/functions/kms_unit_read.sql),
-- so the partial index of them names the new ones too; its predicate must match the unit read's list.
DROP INDEX events_key_event_tags_idx;
CREATE INDEX events_key_event_tags_idx ON events USING gin (tags)
  WHERE type IN ('KeyCreated', 'KeyEnabled', 'KeyDisabled', 'KeyDeletionScheduled', 'KeyDeletionCanceled',
                 'KeyDeleted', 'KeyDescriptionUpdated', 'KeyTagged', 'KeyUntagged', 'KeyPolicyPut',
                 'KeyRotationEnabled', 'KeyRotationDisabled', 'KeyMaterialRotated');
