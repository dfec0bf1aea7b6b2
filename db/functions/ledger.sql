-- The ledger's triggers (tables: db/migrations/0011): the ledger and its signed digests are
-- append-only, like events. The live bodies: the migrator applies this file again whenever it
-- changes (README "Database functions"), and every instance, older ones too, runs the new bodies
-- from that commit on.
--
-- Lock order: applying this file takes SHARE ROW EXCLUSIVE (CREATE OR REPLACE TRIGGER) on ledger,
-- then on ledger_digests, which waits for a sequencer batch in flight and holds the next one until
-- it commits, and no other table lock. A batch inserts into ledger before ledger_digests, the same
-- order; a statement added here must lock them in that order too.

-- Append-only like events (event_store.sql): the evidence is never changed or removed in place.
CREATE OR REPLACE FUNCTION ledger_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'insufficient_privilege',
          HINT = 'The ledger and its digests are evidence; they are only ever appended to.';
END
$$;

CREATE OR REPLACE TRIGGER ledger_append_only
  BEFORE UPDATE OR DELETE ON ledger
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_reject_change();
CREATE OR REPLACE TRIGGER ledger_no_truncate
  BEFORE TRUNCATE ON ledger
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_reject_change();
CREATE OR REPLACE TRIGGER ledger_digests_append_only
  BEFORE UPDATE OR DELETE ON ledger_digests
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_reject_change();
CREATE OR REPLACE TRIGGER ledger_digests_no_truncate
  BEFORE TRUNCATE ON ledger_digests
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_reject_change();
