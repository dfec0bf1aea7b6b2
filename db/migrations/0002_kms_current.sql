-- The `current` model of keys and aliases: what ListAliases, ListKeys and DescribeKey read. It is an
-- inline projection: a trigger applies every key and alias event in the transaction that appends it,
-- so a client that got a 200 for a change sees it in its next read. It is derived data only:
-- kms_current_rebuild() replays it from the events.
CREATE TABLE kms_keys (
  account_id      text NOT NULL,
  region          text NOT NULL,
  key_id          text NOT NULL,
  key_spec        text NOT NULL,
  key_usage       text NOT NULL,
  key_manager     text NOT NULL,
  origin          text NOT NULL,
  description     text NOT NULL,
  key_state       text NOT NULL,
  creation_date   timestamptz NOT NULL,
  deletion_date   timestamptz,
  pending_window_in_days integer,
  PRIMARY KEY (account_id, region, key_id)
);
CREATE INDEX kms_keys_due_idx ON kms_keys (deletion_date) WHERE key_state = 'PendingDeletion';

CREATE TABLE kms_aliases (
  account_id        text NOT NULL,
  region            text NOT NULL,
  -- COLLATE "C": ListAliases pages in byte order of the name, and names are case-sensitive.
  alias_name        text COLLATE "C" NOT NULL,
  key_id            text NOT NULL,
  creation_date     timestamptz NOT NULL,
  last_updated_date timestamptz NOT NULL,
  PRIMARY KEY (account_id, region, alias_name)
);
CREATE INDEX kms_aliases_key_idx ON kms_aliases (account_id, region, key_id, alias_name);

CREATE FUNCTION kms_current_apply(e events) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  d jsonb := e.data;
  acct text := d->>'accountId';
  reg text := d->>'region';
BEGIN
  CASE e.type
    WHEN 'KeyCreated' THEN
      INSERT INTO kms_keys (account_id, region, key_id, key_spec, key_usage, key_manager, origin, description,
                            key_state, creation_date)
      VALUES (acct, reg, d->>'keyId', d->>'keySpec', d->>'keyUsage', d->>'keyManager', d->>'origin', d->>'description',
              CASE WHEN d->>'origin' = 'EXTERNAL' THEN 'PendingImport' ELSE 'Enabled' END, e.occurred_at);
    WHEN 'KeyEnabled' THEN
      UPDATE kms_keys SET key_state = 'Enabled' WHERE (account_id, region, key_id) = (acct, reg, d->>'keyId');
    WHEN 'KeyDisabled' THEN
      UPDATE kms_keys SET key_state = 'Disabled' WHERE (account_id, region, key_id) = (acct, reg, d->>'keyId');
    WHEN 'KeyDeletionScheduled' THEN
      UPDATE kms_keys SET key_state = 'PendingDeletion', deletion_date = (d->>'deletionDate')::timestamptz,
                          pending_window_in_days = (d->>'pendingWindowInDays')::int
       WHERE (account_id, region, key_id) = (acct, reg, d->>'keyId');
    WHEN 'KeyDeletionCanceled' THEN
      UPDATE kms_keys SET key_state = 'Disabled', deletion_date = NULL, pending_window_in_days = NULL
       WHERE (account_id, region, key_id) = (acct, reg, d->>'keyId');
    WHEN 'KeyDeleted' THEN
      DELETE FROM kms_keys WHERE (account_id, region, key_id) = (acct, reg, d->>'keyId');
    WHEN 'AliasCreated' THEN
      INSERT INTO kms_aliases (account_id, region, alias_name, key_id, creation_date, last_updated_date)
      VALUES (acct, reg, d->>'aliasName', d->>'keyId', e.occurred_at, e.occurred_at);
    WHEN 'AliasRetargeted' THEN
      UPDATE kms_aliases SET key_id = d->>'toKeyId', last_updated_date = e.occurred_at
       WHERE (account_id, region, alias_name) = (acct, reg, d->>'aliasName');
    WHEN 'AliasDeleted' THEN
      DELETE FROM kms_aliases WHERE (account_id, region, alias_name) = (acct, reg, d->>'aliasName');
    ELSE
      NULL;
  END CASE;
END
$$;

CREATE FUNCTION kms_current_on_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM kms_current_apply(NEW);
  RETURN NULL;
END
$$;

CREATE TRIGGER kms_current_apply AFTER INSERT ON events FOR EACH ROW
  WHEN (NEW.type IN ('KeyCreated', 'KeyEnabled', 'KeyDisabled', 'KeyDeletionScheduled', 'KeyDeletionCanceled',
                     'KeyDeleted', 'AliasCreated', 'AliasRetargeted', 'AliasDeleted'))
  EXECUTE FUNCTION kms_current_on_event();

-- Rebuilds the model from the events, in the order they were appended.
CREATE FUNCTION kms_current_rebuild() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  e events;
BEGIN
  LOCK TABLE kms_keys, kms_aliases IN EXCLUSIVE MODE;
  DELETE FROM kms_aliases;
  DELETE FROM kms_keys;
  FOR e IN SELECT * FROM events WHERE type IN ('KeyCreated', 'KeyEnabled', 'KeyDisabled', 'KeyDeletionScheduled',
      'KeyDeletionCanceled', 'KeyDeleted', 'AliasCreated', 'AliasRetargeted', 'AliasDeleted')
      ORDER BY transaction_id, position LOOP
    PERFORM kms_current_apply(e);
  END LOOP;
END
$$;
