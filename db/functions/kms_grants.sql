-- The grants model (table kms_grants: db/migrations/0016): how an event applies to it, the trigger
-- that applies each grant event and each KeyDeleted in the transaction that appends it, and the
-- replay of a rebuild (src/projections/rebuild/grants-rebuild-target.ts). The live bodies: the
-- migrator applies this file again whenever it changes (README "Database functions").
--
-- Lock order: applying this file takes SHARE ROW EXCLUSIVE on events (CREATE OR REPLACE TRIGGER),
-- which waits for appends in flight and holds new ones until it commits. An append of a KeyDeleted
-- locks kms_keys (kms_current_apply: triggers fire in name order) before kms_grants, and then
-- kms_key_material (the statements the writer sends after the append); nothing locks them the other
-- way round (a grants rebuild's swap locks kms_grants alone).
--
-- The event types are written out here and in the audit view (audit_events.sql); GRANT_EVENT_TYPES in
-- src/kms/domain/grant-events.ts is the TypeScript list, and test/kms/kms-event-types.int-spec.ts checks
-- the three agree.

-- Applies one event to the kms_grants the search_path finds first (a rebuild's shadow, or the live one).
CREATE OR REPLACE FUNCTION kms_grants_apply(e events) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  d jsonb := e.data;
BEGIN
  CASE e.type
    WHEN 'GrantCreated' THEN
      INSERT INTO kms_grants (account_id, region, grant_id, key_id, seq, name, grantee_principal, retiring_principal,
                              operations, constraints, creation_date)
      VALUES (d->>'accountId', d->>'region', d->>'grantId', d->>'keyId', e.position, d->>'name',
              d->>'granteePrincipal', d->>'retiringPrincipal', d->'operations', d->'constraints', e.occurred_at);
    WHEN 'GrantRetired', 'GrantRevoked' THEN
      DELETE FROM kms_grants WHERE (account_id, region, grant_id) = (d->>'accountId', d->>'region', d->>'grantId');
    WHEN 'KeyDeleted' THEN
      DELETE FROM kms_grants WHERE (account_id, region, key_id) = (d->>'accountId', d->>'region', d->>'keyId');
    ELSE
      NULL;
  END CASE;
END
$$;

CREATE OR REPLACE FUNCTION kms_grants_on_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM kms_grants_apply(NEW);
  RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER kms_grants_apply AFTER INSERT ON events FOR EACH ROW
  WHEN (NEW.type IN ('GrantCreated', 'GrantRetired', 'GrantRevoked', 'KeyDeleted'))
  EXECUTE FUNCTION kms_grants_on_event();

-- Replays events into the kms_grants the session's search_path finds first, as kms_current_replay
-- (kms_current.sql) does for the `current` model: up to p_limit events after the checkpoint, in log
-- order, below the snapshot barrier unless the live table is locked against writers (the swap).
-- Returns how many events it passed (other types included) and the checkpoint after the last one.
CREATE OR REPLACE FUNCTION kms_grants_replay(p_after_tx xid8, p_after_pos bigint, p_limit integer, p_below_barrier boolean,
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
    IF e.type IN ('GrantCreated', 'GrantRetired', 'GrantRevoked', 'KeyDeleted') THEN
      PERFORM kms_grants_apply(e);
    END IF;
    events_read := events_read + 1;
    last_tx := e.transaction_id;
    last_pos := e.position;
  END LOOP;
END
$$;
