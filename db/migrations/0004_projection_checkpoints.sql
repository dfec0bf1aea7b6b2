-- Where each asynchronous projection stands in the log, moved in the same transaction as the
-- projection's own writes, so a crash never applies an event twice or loses one. The row is also
-- the projection's lock: every instance that runs it takes the row FOR UPDATE before applying, and
-- applies only what lies beyond the checkpoint it finds there. A projection that fails on an event
-- records which one and why here, and stays before it until a retry succeeds.
CREATE TABLE projection_checkpoints (
  name            text PRIMARY KEY,
  transaction_id  xid8 NOT NULL DEFAULT '0',
  position        bigint NOT NULL DEFAULT 0,
  events_applied  bigint NOT NULL DEFAULT 0,
  updated_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
  failed_position bigint,
  failed_event_id uuid,
  failure         text,
  failed_at       timestamptz
);
