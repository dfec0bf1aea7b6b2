-- The console's sign-in sessions (issue 15, design §10). Operational state, not history: a session
-- is no event, and sign-ins are in the audit trail as ConsoleLogin records instead. Only the
-- SHA-256 of a session id is stored, so a copy of this table (a backup, a replica) signs nobody in.
-- The principal is kept by access key id and looked up again on every request, so a change to its
-- policies applies to open sessions at once, and a principal removed from the principals file has
-- no session left.
CREATE TABLE console_sessions (
  id_sha256     bytea PRIMARY KEY CHECK (length(id_sha256) = 32),
  access_key_id text NOT NULL,
  created_at    timestamptz NOT NULL,
  last_seen_at  timestamptz NOT NULL,
  source_ip     text NOT NULL,
  CHECK (last_seen_at >= created_at)
);
-- Expired sessions are swept by age.
CREATE INDEX console_sessions_last_seen_idx ON console_sessions (last_seen_at);
