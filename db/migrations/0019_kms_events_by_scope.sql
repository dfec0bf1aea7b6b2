-- "Every key of a Region as it was at T" (the console's time travel, GET /api/regions/{r}/keys?at=)
-- folds the key and alias events of that account and Region up to T. Those events are a small part
-- of the log (every KMS call is an event too), so this index holds only them, found by scope and
-- event time: an Encrypt's record checks the predicate and adds nothing here, and a read walks the
-- Region's key and alias events, not the log.
--
-- The predicate names the types as literals, not kms_event_types(): the planner uses a partial index
-- only when it can prove the query's WHERE implies the predicate, and the reader writes the same list
-- out (KMS_EVENT_TYPES, src/event-store/queries/kms-history-reads.ts); a test checks the two agree.
CREATE INDEX events_kms_scope_time_idx ON events ((data->>'accountId'), (data->>'region'), occurred_at)
  WHERE type IN ('KeyCreated', 'KeyEnabled', 'KeyDisabled', 'KeyDeletionScheduled', 'KeyDeletionCanceled',
                 'KeyDeleted', 'KeyDescriptionUpdated', 'KeyTagged', 'KeyUntagged', 'KeyPolicyPut',
                 'KeyRotationEnabled', 'KeyRotationDisabled', 'KeyMaterialRotated',
                 'AliasCreated', 'AliasRetargeted', 'AliasDeleted');
