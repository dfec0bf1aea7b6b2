-- The transaction-time cap (design §6: "an as-of answer for a time more than the transaction cap in
-- the past never changes"). An event's occurred_at comes from the writer's clock before commit, so a
-- transaction that commits late could slip an old event into history that readers already answered
-- about. The cap rejects, at commit, every event whose time is older than the cap at that moment.
-- Hence no event with a time <= T can commit after T + cap, and readers can call "at T" final once
-- everything committed by then is applied (src/projections/temporal/stable-horizon.ts).
--
-- One row. The service writes the cap it is configured with at start-up
-- (ALIASTRAIL_EVENT_TIME_CAP_MS); NULL means not enforced, and then no answer is ever called final.
-- It lives in the database, not in each session, so every writer is held to it (psql included), and
-- readers use the cap actually enforced rather than their own configuration's.
CREATE TABLE event_time_cap (
  only_row  boolean PRIMARY KEY DEFAULT true CHECK (only_row),
  cap       interval CHECK (cap > interval '0')
);
INSERT INTO event_time_cap DEFAULT VALUES;

CREATE FUNCTION events_check_time_cap() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  v_cap interval;
BEGIN
  SELECT cap INTO v_cap FROM event_time_cap;
  -- clock_timestamp(), not now(): this runs at commit, and the transaction may be old by then.
  IF v_cap IS NOT NULL AND NEW.occurred_at < clock_timestamp() - v_cap THEN
    RAISE EXCEPTION 'event % (position %) is older than the transaction-time cap of % at commit',
                    NEW.event_id, NEW.position, v_cap
      USING ERRCODE = 'check_violation',
            CONSTRAINT = 'events_time_cap',
            HINT = 'The transaction took too long between reading the clock and committing, or the writer''s clock is behind the database''s.';
  END IF;
  RETURN NULL;
END
$$;

-- Deferred to commit: a check at insert would let a transaction that stalls after its insert commit
-- arbitrarily late (and PostgreSQL 15 has no transaction_timeout to bound that instead). Cost measured:
-- about 4 us per event at commit (100,000 events in one transaction: COMMIT took 370-400 ms instead
-- of 1-9 ms); the append benchmark (1, 16, 64 writers) showed no difference beyond its noise.
CREATE CONSTRAINT TRIGGER events_time_cap
  AFTER INSERT ON events
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION events_check_time_cap();
