-- The event store's functions and triggers (table: db/migrations/0001): opening a unit of work
-- (lock its tags, read their history), appending a unit's events, and refusing every change to a
-- stored event. The live bodies: the migrator applies this file again whenever it changes (README
-- "Database functions"), and every instance, older ones too, runs the new bodies from that commit on.
--
-- Lock order: applying this file takes SHARE ROW EXCLUSIVE on events (CREATE OR REPLACE TRIGGER),
-- which waits for appends in flight and holds new ones until it commits, and no other table lock.

-- Opens a unit of work in one round trip: takes a transaction-scoped advisory lock per tag, in key
-- order (so two units never deadlock), then reads the tags' history. A VOLATILE function takes a fresh
-- snapshot for each statement, so the read sees every commit made before the locks were granted.
-- Its settings (0003), for plans made without statistics: a history read for a batch of units names
-- many tags, and the planner guessed tens of thousands of rows for `tags && $1`, and picked either
-- two parallel workers (80-150 ms for a read of a few hundred rows) or, as the array grew, a
-- sequential scan that compares every event's tags with every tag asked for (1.3 s at 100,000
-- events and 96 tags). The read is always a lookup of a few tags' events: always the GIN index,
-- never in parallel. CREATE OR REPLACE sets exactly the settings written here.
CREATE OR REPLACE FUNCTION events_lock_and_read(p_tags text[]) RETURNS SETOF events LANGUAGE plpgsql VOLATILE
  SET max_parallel_workers_per_gather = 0 SET enable_seqscan = off AS $$
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
CREATE OR REPLACE FUNCTION events_append(p_events jsonb)
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

-- Rows are appended and never changed: UPDATE, DELETE and TRUNCATE fail.
CREATE OR REPLACE FUNCTION events_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'events is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege',
          HINT = 'Corrections are new events; stored events are never changed or removed.';
END
$$;

CREATE OR REPLACE TRIGGER events_append_only
  BEFORE UPDATE OR DELETE ON events
  FOR EACH STATEMENT EXECUTE FUNCTION events_reject_change();

CREATE OR REPLACE TRIGGER events_no_truncate
  BEFORE TRUNCATE ON events
  FOR EACH STATEMENT EXECUTE FUNCTION events_reject_change();
