-- The audit rows gain who called and which aliases a call came through, for the compliance question
-- "through which aliases and keys did this principal encrypt or decrypt between T1 and T2" (issue 14):
--   principal_arn   userIdentity.arn (null for the service's own DeleteKey), which an alias's usage
--                   groups by;
--   named_aliases   the aliases a call named as its key (KeyId, SourceKeyId, DestinationKeyId), which
--                   a crypto call's resources never list (kms-crypto §8.1): the search by alias finds
--                   those calls through this column's index.
-- The rows that exist are filled from their head events here; the view and the projection's writes
-- (db/functions/audit_events.sql, applied after this) fill the new ones.
--
-- named_aliases keeps no default: between this commit and the function file's, the previous
-- bodies of audit_events_apply insert without it and fail, and the projection retries that batch
-- (never skipping it) until the new bodies are in, instead of storing rows without their aliases.

-- As db/functions/audit_events.sql defines it (the file applies the same body again).
CREATE FUNCTION audit_named_aliases(params jsonb, account_id text, region text) RETURNS text[]
  LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
  prefix text := 'arn:' || CASE WHEN starts_with(region, 'cn-') THEN 'aws-cn'
                                WHEN starts_with(region, 'us-gov-') THEN 'aws-us-gov'
                                ELSE 'aws' END || ':kms:' || region || ':' || account_id || ':';
  member text;
  name text;
  names text[] := '{}';
BEGIN
  FOREACH member IN ARRAY ARRAY['KeyId', 'SourceKeyId', 'DestinationKeyId'] LOOP
    CONTINUE WHEN jsonb_typeof(params->member) IS DISTINCT FROM 'string';
    name := params->>member;
    IF starts_with(name, prefix) THEN
      name := substr(name, length(prefix) + 1);
    END IF;
    IF starts_with(name, 'alias/') AND length(name) <= 256 AND NOT name = ANY(names) THEN
      names := names || name;
    END IF;
  END LOOP;
  RETURN names;
END
$$;

ALTER TABLE audit_events
  ADD COLUMN principal_arn text COLLATE "C",
  ADD COLUMN named_aliases text[] COLLATE "C" NOT NULL DEFAULT '{}';
ALTER TABLE audit_events ALTER COLUMN named_aliases DROP DEFAULT;

-- A row's head event is the one at its seq (0010).
UPDATE audit_events a
   SET principal_arn = CASE WHEN e.type <> 'KeyDeleted' AND jsonb_typeof(e.metadata->'userIdentity'->'arn') = 'string'
                            THEN e.metadata->'userIdentity'->>'arn' END,
       named_aliases = audit_named_aliases(e.metadata->'requestParameters', a.account_id, a.region)
  FROM events e
 WHERE e.position = a.seq;

-- The calls that came through an alias: a bitmap of the rows naming it, as for resource_names.
CREATE INDEX audit_events_named_aliases_idx ON audit_events USING gin (named_aliases);
