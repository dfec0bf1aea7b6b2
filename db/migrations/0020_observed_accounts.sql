-- Observed accounts (design §11, issue 16): accounts whose events come from imported CloudTrail
-- records, not from the KMS API. An account is one or the other, never both: `npm run cli -- import
-- cloudtrail` registers an account here in the transaction that appends its first records (and
-- refuses one the KMS API has written to), and the KMS API refuses writes to an account listed here.
CREATE TABLE observed_accounts (
  account_id         text PRIMARY KEY CHECK (account_id ~ '^\d{12}$'),
  first_imported_at  timestamptz NOT NULL DEFAULT now()
);
