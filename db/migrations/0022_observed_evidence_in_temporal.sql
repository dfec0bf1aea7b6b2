-- What an observed account's evidence covers moves into the `temporal` projection (issue 16): kept
-- by the same transactions that fold the records, an answer's `observed` range and its versions come
-- from one state of the model, rather than the range running ahead of the model after an import
-- (0021 kept it at import). Per account and Region, the event times of the earliest and latest
-- imported records (and snapshots) the projection has applied; both only widen, so batches may fall
-- anywhere.
CREATE TABLE temporal_observed_evidence (
  account_id   text NOT NULL,
  region       text NOT NULL,
  first_event  timestamptz NOT NULL,
  last_event   timestamptz NOT NULL,
  PRIMARY KEY (account_id, region),
  CONSTRAINT temporal_observed_evidence_range CHECK (last_event >= first_event)
);

-- What the projection has applied already: the records up to its checkpoint (a database that
-- imported before this migration answers as it did, without a rebuild).
INSERT INTO temporal_observed_evidence (account_id, region, first_event, last_event)
SELECT e.data->>'accountId', e.data->>'region', min(e.occurred_at), max(e.occurred_at)
  FROM events e
  JOIN projection_checkpoints c ON c.name = 'temporal'
 WHERE e.type = 'CloudTrailRecordImported'
   AND (e.transaction_id, e.position) <= (c.transaction_id, c.position)
 GROUP BY 1, 2;

DROP TABLE observed_evidence;
