-- The grants of KMS keys now (kms-crypto §7.4–§7.5): what ListGrants, ListRetirableGrants and
-- RetireGrant by token read. Like the `current` model (0002) it is an inline projection, kept in the
-- appending transaction by its own trigger (db/functions/kms_grants.sql): GrantCreated adds a row,
-- GrantRetired and GrantRevoked remove it, and KeyDeleted removes every grant of its key, so grants
-- vanish with their key in the transaction that deletes it. Derived data only: the `grants` rebuild
-- replays it from the events. Grant tokens are in no table and no event.
CREATE TABLE kms_grants (
  account_id         text NOT NULL,
  region             text NOT NULL,
  grant_id           text COLLATE "C" NOT NULL,
  key_id             text NOT NULL,
  -- The log position of its GrantCreated: listings go in creation order and page by it.
  seq                bigint NOT NULL,
  name               text,
  -- Exactly as given (Terraform compares them as sent).
  grantee_principal  text NOT NULL,
  retiring_principal text,
  operations         jsonb NOT NULL,
  constraints        jsonb,
  creation_date      timestamptz NOT NULL,
  PRIMARY KEY (account_id, region, grant_id)
);
-- ListGrants pages a key's grants; KeyDeleted deletes them.
CREATE INDEX kms_grants_key_idx ON kms_grants (account_id, region, key_id, seq);
-- ListRetirableGrants pages a principal's.
CREATE INDEX kms_grants_retiring_idx ON kms_grants (account_id, region, retiring_principal, seq)
  WHERE retiring_principal IS NOT NULL;
