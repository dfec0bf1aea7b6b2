-- What an observed account's evidence covers moves into the `temporal` projection (issue 16): kept
-- by the same transactions that fold the records, an answer's `observed` range and its versions come
-- from one state of the model, rather than the range running ahead of the model after an import
-- (0021 kept it at import). Per account and Region, the event times of the earliest and latest
-- imported records the projection has applied; both only widen, so batches may fall anywhere.
DROP TABLE observed_evidence;

CREATE TABLE temporal_observed_evidence (
  account_id   text NOT NULL,
  region       text NOT NULL,
  first_event  timestamptz NOT NULL,
  last_event   timestamptz NOT NULL,
  PRIMARY KEY (account_id, region),
  CONSTRAINT temporal_observed_evidence_range CHECK (last_event >= first_event)
);
