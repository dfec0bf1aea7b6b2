-- Bearer tokens issued while the service runs (issue 17): `npm run cli -- token create` or
-- POST /admin/tokens makes one for a principal that exists already, and the query APIs look a bearer
-- token up here when the principals file does not have it, so a new token works at once, on every
-- instance, without a restart. Each creation and revocation is also an event (BearerTokenCreated,
-- BearerTokenRevoked) appended in the transaction that writes the row, so the ledger holds who did
-- it. Only the token's SHA-256 is stored: a copy of this table (a backup, a replica) authenticates
-- nobody. The principal is kept by access key id and looked up in the configured principals on every
-- use, so its current policies apply and a principal removed from the configuration has no token left.
CREATE TABLE bearer_tokens (
  token_id       uuid PRIMARY KEY,
  token_sha256   bytea NOT NULL CHECK (length(token_sha256) = 32),
  -- An access key id, never a `Bearer …` lookup key (src/auth/bearer-tokens.ts).
  access_key_id  text NOT NULL CHECK (access_key_id ~ '^[A-Za-z0-9]{1,128}$'),
  description    text NOT NULL DEFAULT '' CHECK (length(description) <= 256),
  created_at     timestamptz NOT NULL,
  -- The principal ARN of an admin call, or `cli:<user>` for the CLI.
  created_by     text NOT NULL,
  -- NULL: the token does not expire (it works until revoked).
  expires_at     timestamptz CHECK (expires_at > created_at),
  revoked_at     timestamptz,
  revoked_by     text,
  -- Every use looks the token up by its digest.
  CONSTRAINT bearer_tokens_digest_key UNIQUE (token_sha256),
  CONSTRAINT bearer_tokens_revoked_by CHECK ((revoked_at IS NULL) = (revoked_by IS NULL))
);
-- A principal's tokens, oldest first (token list --access-key-id, GET /admin/tokens).
CREATE INDEX bearer_tokens_access_key_idx ON bearer_tokens (access_key_id, created_at);
