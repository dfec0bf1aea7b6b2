-- An observed account's keys at a moment (GET /api/regions/{r}/keys for an observed account) and the
-- reconciliation of a snapshot read the records that changed something and the snapshots of one
-- account and Region: a small part of its records (most are Encrypt and Decrypt), found here by
-- scope and event time rather than by walking every record of the Region. A change record is one
-- with a cause in its metadata (appendImportedRecords); the predicate is written out as the reads in
-- src/event-store/queries/imported-records.ts write it, so the planner can prove they imply it.
CREATE INDEX events_observed_changes_idx ON events ((data->>'accountId'), (data->>'region'), occurred_at)
  WHERE type = 'KmsSnapshotTaken' OR (type = 'CloudTrailRecordImported' AND metadata <> '{}'::jsonb);
