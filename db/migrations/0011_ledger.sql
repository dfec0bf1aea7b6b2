-- The tamper-evident ledger (design §9 #14; reference/event-sourcing.md §5.5 and §7.5-7.6).
--
-- One post-commit sequencer (src/ledger/ledger-sequencer.ts) follows the log with the snapshot
-- barrier and gives every event a gapless ledger_seq in the order it reads them, chaining
--   event_hash = SHA-256(JCS(stored event))        (src/ledger/ledger-event.ts names the fields)
--   entry_hash = SHA-256(prev_hash || event_hash)  (prev_hash of seq 1: 32 zero bytes)
-- Appends stay unserialised: positions keep their gaps, and readers that want gapless numbers
-- read the ledger. Hashes are computed in the service, never here: the database is what the
-- ledger guards against.

CREATE TABLE ledger (
  ledger_seq      bigint PRIMARY KEY CHECK (ledger_seq > 0),
  -- Each event at most once; an event cannot be removed while the ledger references it (only a
  -- superuser who turns triggers off can, and verify reports that).
  position        bigint NOT NULL UNIQUE REFERENCES events (position),
  -- The order key the sequencer read the event under, (transaction_id, position): verify needs it to
  -- place an event that appears behind the sequencer later (inserted).
  transaction_id  xid8 NOT NULL,
  -- Which event was chained here, so verify can tell an event moved elsewhere (reordered) from one
  -- rewritten in place (edited).
  event_id        uuid NOT NULL,
  event_hash      bytea NOT NULL CHECK (length(event_hash) = 32),
  prev_hash       bytea NOT NULL CHECK (length(prev_hash) = 32),
  entry_hash      bytea NOT NULL CHECK (length(entry_hash) = 32),
  -- The sequencer's clock when it chained the entry: digests cover the entries sequenced in their
  -- period, as CloudTrail's cover the files delivered in their hour.
  sequenced_at    timestamptz NOT NULL
);

-- Signed digests, chained by the previous digest's signature: one at the end of every hour (empty
-- for a quiet hour) and one each time digest_every entries have accumulated. The columns are the
-- signed content (src/ledger/digest.ts): Ed25519 over its canonical JSON, with a key the database
-- never sees. Periods are contiguous, [period_start, period_end], and never cross an hour boundary.
CREATE TABLE ledger_digests (
  digest_seq          bigint PRIMARY KEY CHECK (digest_seq > 0),
  format              text NOT NULL,
  reason              text NOT NULL CHECK (reason IN ('hour', 'count')),
  from_ledger_seq     bigint NOT NULL,
  to_ledger_seq       bigint NOT NULL,
  event_count         integer NOT NULL CHECK (event_count >= 0),
  -- entry_hash at to_ledger_seq (the previous head for an empty digest; zeros before the first entry).
  head_hash           bytea NOT NULL CHECK (length(head_hash) = 32),
  first_position      bigint,
  last_position       bigint,
  oldest_occurred_at  timestamptz,
  newest_occurred_at  timestamptz,
  period_start        timestamptz NOT NULL,
  period_end          timestamptz NOT NULL,
  digest_every        integer NOT NULL,
  signed_at           timestamptz NOT NULL,
  prev_signature      bytea,
  alg                 text NOT NULL,
  key_fingerprint     text NOT NULL,
  signature           bytea NOT NULL
);

-- The sequencer's own row: where it stands (the checkpoint pair, the head of the chain) and the
-- digest period it has open. Every batch locks it FOR UPDATE SKIP LOCKED, so one instance chains at
-- a time and the others skip instead of queueing; the ledger rows, the digests and this row move in
-- the same transaction. It is bookkeeping, not evidence: verify trusts the ledger and the digests.
CREATE TABLE ledger_state (
  only_row                    boolean PRIMARY KEY DEFAULT true CHECK (only_row),
  ledger_seq                  bigint NOT NULL DEFAULT 0,
  head_hash                   bytea NOT NULL DEFAULT decode(repeat('00', 32), 'hex'),
  transaction_id              xid8 NOT NULL DEFAULT '0',
  position                    bigint NOT NULL DEFAULT 0,
  digest_seq                  bigint NOT NULL DEFAULT 0,
  digest_signature            bytea,
  digest_to_seq               bigint NOT NULL DEFAULT 0,
  -- Start of the open period; NULL until the sequencer first runs (the ledger's genesis).
  period_start                timestamptz,
  pending_first_position      bigint,
  pending_last_position       bigint,
  pending_oldest_occurred_at  timestamptz,
  pending_newest_occurred_at  timestamptz,
  -- The key the chain is signed with; an instance with another key refuses to sign (see the sequencer).
  key_fingerprint             text,
  updated_at                  timestamptz NOT NULL DEFAULT clock_timestamp()
);
INSERT INTO ledger_state DEFAULT VALUES;

-- Append-only like events (0001): the evidence is never changed or removed in place.
CREATE FUNCTION ledger_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'insufficient_privilege',
          HINT = 'The ledger and its digests are evidence; they are only ever appended to.';
END
$$;

CREATE TRIGGER ledger_append_only
  BEFORE UPDATE OR DELETE ON ledger
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_reject_change();
CREATE TRIGGER ledger_no_truncate
  BEFORE TRUNCATE ON ledger
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_reject_change();
CREATE TRIGGER ledger_digests_append_only
  BEFORE UPDATE OR DELETE ON ledger_digests
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_reject_change();
CREATE TRIGGER ledger_digests_no_truncate
  BEFORE TRUNCATE ON ledger_digests
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_reject_change();
