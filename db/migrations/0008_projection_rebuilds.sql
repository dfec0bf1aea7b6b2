-- Rebuilds of projections without downtime (design §6): each replays the log into shadow tables in
-- a schema of its own, rebuild_<projection>, and swaps them in with one transaction. This table is
-- every rebuild's record, so any instance (and the CLI) can show how one goes. While it runs, its
-- row is also the shadow's checkpoint, moved in the same transaction as each batch of the shadow.
-- One rebuild per projection at a time: its runner holds a session advisory lock on
-- hashtextextended('aliastrail:rebuild:<projection>', 0).
CREATE TABLE projection_rebuilds (
  rebuild_id      uuid PRIMARY KEY,
  projection      text NOT NULL,
  -- running | done | failed
  status          text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'done', 'failed')),
  -- preparing | replaying | indexing | swapping | swapped
  phase           text NOT NULL DEFAULT 'preparing',
  transaction_id  xid8 NOT NULL DEFAULT '0',
  position        bigint NOT NULL DEFAULT 0,
  events_done     bigint NOT NULL DEFAULT 0,
  -- An estimate made at the start (the log grows meanwhile).
  events_total    bigint NOT NULL DEFAULT 0,
  started_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
  updated_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
  finished_at     timestamptz,
  error           text
);
CREATE INDEX projection_rebuilds_latest_idx ON projection_rebuilds (projection, started_at DESC);

-- Replays events into the `current` model that the session's search_path finds first: a rebuild
-- sets it to its shadow schema, and kms_current_apply resolves kms_keys and kms_aliases by name
-- (PL/pgSQL plans again when the search_path differs). Applies up to p_limit events after the
-- checkpoint (p_after_tx, p_after_pos) in log order. With p_below_barrier, it reads only below the
-- snapshot barrier, as every catch-up reader does; without it, every event committed now, which is
-- safe only while the live model's tables are locked against writers (see the rebuild's swap).
-- Returns how many events it passed (other types included) and the checkpoint after the last one.
CREATE FUNCTION kms_current_replay(p_after_tx xid8, p_after_pos bigint, p_limit integer, p_below_barrier boolean,
                                   OUT events_read integer, OUT last_tx xid8, OUT last_pos bigint)
  LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  e events;
BEGIN
  events_read := 0;
  last_tx := p_after_tx;
  last_pos := p_after_pos;
  FOR e IN SELECT * FROM events
            WHERE (transaction_id, position) > (p_after_tx, p_after_pos)
              AND (NOT p_below_barrier OR transaction_id < pg_snapshot_xmin(pg_current_snapshot()))
            ORDER BY transaction_id, position
            LIMIT p_limit LOOP
    IF e.type IN ('KeyCreated', 'KeyEnabled', 'KeyDisabled', 'KeyDeletionScheduled', 'KeyDeletionCanceled',
                  'KeyDeleted', 'AliasCreated', 'AliasRetargeted', 'AliasDeleted') THEN
      PERFORM kms_current_apply(e);
    END IF;
    events_read := events_read + 1;
    last_tx := e.transaction_id;
    last_pos := e.position;
  END LOOP;
END
$$;
