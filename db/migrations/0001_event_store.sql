-- The event store: the only source of truth. Rows are appended and never changed.
CREATE TABLE events (
  -- Taken at insert, not at commit: positions are unique but neither gapless nor in commit order.
  position        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- The writer's transaction. Readers order by (transaction_id, position) and read only below the
  -- oldest running transaction (the snapshot barrier), so a late commit can never land behind them.
  transaction_id  xid8 NOT NULL DEFAULT pg_current_xact_id(),
  event_id        uuid NOT NULL,
  type            text NOT NULL CHECK (type ~ '^[A-Za-z][A-Za-z0-9]*$'),
  schema_version  integer NOT NULL DEFAULT 1 CHECK (schema_version > 0),
  -- Consistency tags, e.g. 'alias:111122223333:us-east-1:alias/x'; writers lock them before reading.
  tags            text[] NOT NULL DEFAULT '{}',
  data            jsonb NOT NULL,
  metadata        jsonb NOT NULL DEFAULT '{}'::jsonb,
  occurred_at     timestamptz NOT NULL,
  recorded_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
  CONSTRAINT events_event_id_key UNIQUE (event_id),
  CONSTRAINT events_metadata_is_object CHECK (jsonb_typeof(metadata) = 'object')
);

CREATE INDEX events_transaction_position_idx ON events (transaction_id, position);
CREATE INDEX events_tags_idx ON events USING gin (tags);

CREATE FUNCTION events_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'events is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege',
          HINT = 'Corrections are new events; stored events are never changed or removed.';
END
$$;

CREATE TRIGGER events_append_only
  BEFORE UPDATE OR DELETE ON events
  FOR EACH STATEMENT EXECUTE FUNCTION events_reject_change();

CREATE TRIGGER events_no_truncate
  BEFORE TRUNCATE ON events
  FOR EACH STATEMENT EXECUTE FUNCTION events_reject_change();
