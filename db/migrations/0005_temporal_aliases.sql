-- The `temporal` projection (design §6): every version of every alias with the event-time range in
-- which it held, [valid_from, valid_to), on an integer alias id. "Alias X at T" is the version of X
-- whose range holds T; a version ended by a later event of the same instant never holds at all, as
-- "at T" means "after every event whose time is <= T". Built asynchronously by ProjectionRunner
-- from the events; derived data only.
CREATE TABLE temporal_alias_ids (
  alias_id    integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id  text NOT NULL,
  region      text NOT NULL,
  alias_name  text COLLATE "C" NOT NULL,
  CONSTRAINT temporal_alias_ids_name_key UNIQUE (account_id, region, alias_name)
);

CREATE TABLE temporal_alias_versions (
  alias_id       integer NOT NULL REFERENCES temporal_alias_ids (alias_id),
  version        integer NOT NULL,
  key_id         text NOT NULL,
  valid_from     timestamptz NOT NULL,
  valid_to       timestamptz,
  from_position  bigint NOT NULL,
  to_position    bigint,
  -- Who began and who ended the version: the event's name, id and CloudTrail-style metadata.
  started_by     jsonb NOT NULL,
  ended_by       jsonb,
  -- retargeted | deleted | key-deleted
  ended_reason   text,
  PRIMARY KEY (alias_id, version),
  CONSTRAINT temporal_alias_versions_range CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
-- At most one open version per alias.
CREATE UNIQUE INDEX temporal_alias_versions_open_idx ON temporal_alias_versions (alias_id) WHERE valid_to IS NULL;
-- "Alias X at T": the latest version of X that began at or before T.
CREATE INDEX temporal_alias_versions_at_idx ON temporal_alias_versions (alias_id, valid_from DESC, version DESC);
-- "Aliases of key K at T" and a key's history.
CREATE INDEX temporal_alias_versions_key_idx ON temporal_alias_versions (key_id, valid_from);
