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
-- fastupdate off: every unit of work searches this index right after others wrote to it, and a
-- search must scan the whole pending list of a fastupdate GIN index (measured: 5x slower units).
CREATE INDEX events_tags_idx ON events USING gin (tags) WITH (fastupdate = off);

-- Opens a unit of work in one round trip: takes a transaction-scoped advisory lock per tag, in key
-- order (so two units never deadlock), then reads the tags' history. A VOLATILE function takes a fresh
-- snapshot for each statement, so the read sees every commit made before the locks were granted.
CREATE FUNCTION events_lock_and_read(p_tags text[]) RETURNS SETOF events LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  IF cardinality(p_tags) = 1 THEN
    PERFORM pg_advisory_xact_lock(hashtextextended(p_tags[1], 0));
  ELSIF cardinality(p_tags) > 1 THEN
    PERFORM count(pg_advisory_xact_lock(key))
       FROM (SELECT DISTINCT hashtextextended(tag, 0) AS key FROM unnest(p_tags) AS tag ORDER BY key) AS keys;
  END IF;
  -- Planned for each call: a plan cached while the table was small would scan the whole table.
  RETURN QUERY EXECUTE 'SELECT * FROM events WHERE tags && $1 ORDER BY position' USING p_tags;
END
$$;

-- Appends a unit's events, given as one JSON array, in array order. A function so that its INSERT
-- is planned once per session; it returns only what the database assigned.
CREATE FUNCTION events_append(p_events jsonb)
  RETURNS TABLE (event_id uuid, "position" bigint, transaction_id xid8, recorded_at timestamptz)
  LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  RETURN QUERY
  INSERT INTO events AS stored (event_id, type, schema_version, tags, data, metadata, occurred_at)
  SELECT e.event_id, e.type, e.schema_version, e.tags, e.data, e.metadata, e.occurred_at
    FROM jsonb_to_recordset(p_events) AS e(ord int, event_id uuid, type text, schema_version int, tags text[],
                                           data jsonb, metadata jsonb, occurred_at timestamptz)
   ORDER BY e.ord
  RETURNING stored.event_id, stored.position, stored.transaction_id, stored.recorded_at;
END
$$;

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
