-- The `audit` projection (design §6, spec §12): one CloudTrail-format record per API call, failed and
-- read-only calls included (they are stored as KmsCallRecorded events). Built asynchronously by
-- ProjectionRunner from the events; derived data only.
CREATE TABLE audit_events (
  -- The log position of the call's first event: the store's order, which breaks event-time ties
  -- the same way on every page and after every rebuild.
  seq             bigint PRIMARY KEY,
  -- Groups the events of one call (the request id; a generated id for service units).
  call_id         text NOT NULL,
  event_id        uuid NOT NULL,
  account_id      text NOT NULL,
  region          text NOT NULL,
  event_time      timestamptz NOT NULL,
  event_name      text NOT NULL,
  read_only       boolean NOT NULL,
  username        text,
  access_key_id   text,
  source_ip       text,
  error_code      text,
  -- Everything a search by resource matches: ARNs, alias names and key ids.
  resource_names  text[] NOT NULL,
  -- The record without `resources`, as built (json keeps the field order of spec §12).
  record          json NOT NULL,
  resources       jsonb NOT NULL,
  CONSTRAINT audit_events_call_key UNIQUE (call_id),
  CONSTRAINT audit_events_event_id_key UNIQUE (event_id)
);
-- Newest first within an account and Region, optionally by principal or by operation.
CREATE INDEX audit_events_time_idx ON audit_events (account_id, region, event_time DESC, seq DESC);
CREATE INDEX audit_events_user_idx ON audit_events (account_id, region, username, event_time DESC, seq DESC);
CREATE INDEX audit_events_name_idx ON audit_events (account_id, region, event_name, event_time DESC, seq DESC);
CREATE INDEX audit_events_resources_idx ON audit_events USING gin (resource_names);
