-- Observed accounts' models (design §11, issue 16). Their alias versions live in the `temporal`
-- projection beside the served accounts' (an account is one or the other), folded from imported
-- CloudTrail records in event time. Evidence may begin after an alias did: a version whose target
-- no record shows has no key_id (unknown, not absent), and one whose start no record shows begins at
-- -infinity with no from_position (it held from before the alias's first record).
ALTER TABLE temporal_alias_versions ALTER COLUMN key_id DROP NOT NULL, ALTER COLUMN from_position DROP NOT NULL;

-- What an observed account's evidence covers, per Region: the event times of its earliest and latest
-- imported records, kept by the import in the transaction that appends them. Before first_event
-- nothing is known; every answer about the Region says this range.
CREATE TABLE observed_evidence (
  account_id   text NOT NULL REFERENCES observed_accounts (account_id),
  region       text NOT NULL,
  first_event  timestamptz NOT NULL,
  last_event   timestamptz NOT NULL,
  PRIMARY KEY (account_id, region),
  CONSTRAINT observed_evidence_range CHECK (last_event >= first_event)
);
