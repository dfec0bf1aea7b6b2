-- The transaction-time cap at commit (table event_time_cap: db/migrations/0007): the check, and the
-- deferred trigger that runs it for every event appended. The live bodies: the migrator applies this
-- file again whenever it changes (README "Database functions"), and every instance, older ones too,
-- runs the new bodies from that commit on.
--
-- Lock order: applying this file takes no table lock while the trigger's definition is the one
-- written below (a function is replaced without one). A constraint trigger cannot be replaced, only
-- dropped and created again: when the database's definition differs, the file does that, under
-- ACCESS EXCLUSIVE on events, which waits for every reader and writer of events in flight and holds
-- new ones until it commits.

-- Design §6: "an as-of answer for a time more than the transaction cap in the past never changes".
-- An event's occurred_at comes from the writer's clock before commit, so a transaction that commits
-- late could slip an old event into history that readers already answered about. The cap rejects,
-- at commit, every event whose time is older than the cap at that moment. Hence no event with a
-- time <= T can commit after T + cap, and readers can call "at T" final once everything committed by
-- then is applied (src/projections/temporal/stable-horizon.ts). The cap is the one row of
-- event_time_cap, which the service writes at start-up; NULL means not enforced.
CREATE OR REPLACE FUNCTION events_check_time_cap() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  v_cap interval;
BEGIN
  SELECT cap INTO v_cap FROM event_time_cap;
  -- clock_timestamp(), not now(): this runs at commit, and the transaction may be old by then.
  -- Imported CloudTrail records (an observed account's evidence, design §11) carry the time AWS
  -- logged them, which is old by nature, and a snapshot of an observed account's live state the
  -- time it was taken, which a long listing makes old: the cap is about the service's own writers,
  -- and answers about observed accounts are never called final (late evidence may still arrive).
  IF v_cap IS NOT NULL AND NEW.type NOT IN ('CloudTrailRecordImported', 'KmsSnapshotTaken')
     AND NEW.occurred_at < clock_timestamp() - v_cap THEN
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
-- Written as pg_get_triggerdef prints it, so that an unchanged definition is left alone (PostgreSQL
-- has no CREATE OR REPLACE CONSTRAINT TRIGGER); a test checks that applying this file again keeps it.
DO $$
DECLARE
  definition constant text := 'CREATE CONSTRAINT TRIGGER events_time_cap AFTER INSERT ON public.events '
    'DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION events_check_time_cap()';
BEGIN
  IF definition IS DISTINCT FROM (SELECT pg_get_triggerdef(oid) FROM pg_trigger
                                   WHERE tgrelid = 'events'::regclass AND tgname = 'events_time_cap') THEN
    DROP TRIGGER IF EXISTS events_time_cap ON events;
    EXECUTE definition;
  END IF;
END
$$;
