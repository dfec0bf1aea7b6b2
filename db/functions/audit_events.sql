-- The `audit` projection's SQL (table audit_events: db/migrations/0010, 0017): the scope and resource
-- names a row keeps, the view of what each event contributes to its call's row, and the writes of
-- the live projection and of a rebuild's load. The live bodies: the migrator applies this file again
-- whenever it changes (README "Database functions"), and every instance, older ones too, runs the
-- new bodies from that commit on.
--
-- Lock order: applying this file takes ACCESS EXCLUSIVE on the view audit_event_parts (CREATE OR
-- REPLACE VIEW), which waits for the statements reading it in flight (a projection batch; a
-- rebuild's load, for as long as it runs) and holds new ones until it commits, and ACCESS SHARE on
-- events (the view's query), which holds nothing but ACCESS EXCLUSIVE; no other table lock.
-- A view can be replaced only with the same columns first (names, types, order); new ones may follow.

-- The account and Region as one bigint, which the search indexes lead with: they sort in about half
-- the time they took on (account_id, region) (measured at 1,000,000 rows, in a rebuild), and stay
-- smaller. Two scopes could share a hash, so a search checks account_id and region as well.
-- audit_events stores it (the column scope, which the indexes lead with): a new body needs a
-- migration that computes the column again, or searches miss the rows stored with the old one.
CREATE OR REPLACE FUNCTION audit_scope(account_id text, region text) RETURNS bigint
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN hashtextextended(account_id || '/' || region, 0);

-- `alias/x` for arn:…:alias/x and the key id for arn:…:key/<id>: what follows the ARN's fifth colon,
-- without `key/` (resourceNameOf in src/audit/resource-names.ts).
CREATE OR REPLACE FUNCTION audit_resource_name(arn text) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN coalesce(substring(arn FROM '^(?:[^:]*:){5}(?:key/)?(.*)$'), '');

-- The names of a KmsCallRecorded's resources (ARNs), in order. A function rather than a subquery in
-- the view: a subquery is set up on every execution of a statement that reads the view, KmsCallRecorded
-- or not, and the live projection runs one such statement per small batch. A crypto call names one
-- key: that case skips the query (measured: 5 us a record instead of 11).
CREATE OR REPLACE FUNCTION audit_resource_names(arns jsonb) RETURNS text[]
  LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
BEGIN
  IF jsonb_typeof(arns) = 'array' AND jsonb_array_length(arns) = 1 AND jsonb_typeof(arns->0) = 'string' THEN
    RETURN ARRAY[audit_resource_name(arns->>0)];
  END IF;
  RETURN ARRAY(SELECT audit_resource_name(arn) FROM jsonb_array_elements_text(arns) WITH ORDINALITY AS r(arn, i)
                ORDER BY i);
END
$$;

-- An imported record's text as jsonb; {} for one PostgreSQL cannot hold (a \u0000 in a string), so that
-- no record can stop the projection (the reader shows such a record from its text all the same).
CREATE OR REPLACE FUNCTION audit_imported_record(record text) RETURNS jsonb
  LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
  RETURN CASE WHEN jsonb_typeof(record::jsonb) = 'object' THEN record::jsonb ELSE '{}'::jsonb END;
EXCEPTION WHEN others THEN
  RETURN '{}'::jsonb;
END
$$;

-- The names of an imported record's resources (their ARNs), each once, in order: the resource
-- names importedPart keeps (entries whose ARN is a string).
CREATE OR REPLACE FUNCTION audit_imported_resource_names(resources jsonb) RETURNS text[]
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(name ORDER BY first), '{}')
    FROM (SELECT audit_resource_name(r->>'ARN') AS name, min(i) AS first
            FROM jsonb_array_elements(CASE WHEN jsonb_typeof(resources) = 'array' THEN resources ELSE '[]' END)
                   WITH ORDINALITY AS x(r, i)
           WHERE jsonb_typeof(r->'ARN') = 'string'
           GROUP BY 1) names
$$;

-- Names of `a` then of `b`, each once, in the order they first appear: a call's resources as its
-- events add them.
CREATE OR REPLACE FUNCTION audit_names_union(a text[], b text[]) RETURNS text[]
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN coalesce((SELECT array_agg(n ORDER BY i)
                     FROM (SELECT n, min(i) AS i FROM unnest(a || b) WITH ORDINALITY AS u(n, i) GROUP BY n) AS d),
                  '{}');

-- The union of the names arrays it is given, in the order given (ORDER BY log order): a call's names.
CREATE OR REPLACE AGGREGATE audit_names_agg(text[]) (SFUNC = audit_names_union, STYPE = text[], INITCOND = '{}');

-- The aliases a call named as its key: KeyId, SourceKeyId and DestinationKeyId as sent, `alias/x` or
-- the alias ARN of the call's account and Region, each once, in that order; names over 256 code
-- points are left out. A crypto call's resources list only the key it resolved (kms-crypto §8.1):
-- this is how the search by alias finds the calls that came through one (namedAliasesOf in
-- src/audit/named-aliases.ts; its SQL twin). PL/pgSQL with simple expressions only: a rebuild
-- calls it on every call of the log. The partition is partitionOf's (src/kms/domain/identifiers.ts).
CREATE OR REPLACE FUNCTION audit_named_aliases(params jsonb, account_id text, region text) RETURNS text[]
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

-- What each event contributes to its call's audit row: the head of the call (the event its record is
-- built on) or a fragment of it (an event that only adds resources), with the searchable columns
-- and the names of the resources it adds; events that no record shows are not here. This is the SQL
-- twin of auditPartOf, apiHead, serviceHead and callIdOf in src/audit/cloudtrail-record.ts: the
-- projection writes its rows from it (a batch's positions, or the whole log in a rebuild), readers
-- build the records from the events with those functions, and test/projections/audit-columns.int-spec.ts
-- holds the two to the same answers for every kind of call. The heads:
--   KmsCallRecorded             a call that changed nothing: failed, read-only, or nothing to do
--   ConsoleLoginRecorded        a console sign-in: ConsoleLogin, from signin.amazonaws.com (issue 15)
--   KeyDeleted, by the service  the scheduled deletion: DeleteKey, an AwsServiceEvent (spec §12.7)
--   KeyMaterialRotated, by the service  a rotation, automatic or on demand: RotateKey, an AwsServiceEvent
--                               (kms-crypto §8.4); RotateKeyOnDemand's own record is its KmsCallRecorded
--   a KMS event of an API call  its metadata names the operation
--   CloudTrailRecordImported    an observed account's record, imported (issue 16): the second branch,
--                               its columns read from the record itself (src/audit/imported-record.ts)
-- and the fragments: the AliasDeleted{key-deleted} of a scheduled deletion, in the DeleteKey record.
-- Columns other than the resource names mean something on heads only.
CREATE OR REPLACE VIEW audit_event_parts AS
SELECT e.position,
       e.transaction_id,
       coalesce(e.metadata->>'requestId', e.metadata->>'callId', e.event_id::text) AS call_id,
       NOT (e.type = 'AliasDeleted' AND e.metadata ? 'invokedBy') AS head,
       e.data->>'accountId' AS account_id,
       e.data->>'region' AS region,
       -- To the millisecond, as a JavaScript Date holds it: the occurred_at that readAll rounds, or
       -- the metadata's eventTime that Date.parse cuts.
       CASE WHEN e.type = 'KeyDeleted' OR (e.type = 'KeyMaterialRotated' AND e.metadata ? 'invokedBy')
            THEN date_trunc('milliseconds', e.occurred_at + interval '500 microseconds')
            ELSE coalesce(date_trunc('milliseconds', (e.metadata->>'eventTime')::timestamptz),
                          date_trunc('milliseconds', e.occurred_at + interval '500 microseconds')) END
         AS event_time,
       CASE e.type WHEN 'KmsCallRecorded' THEN e.data->>'eventName'
                   WHEN 'ConsoleLoginRecorded' THEN 'ConsoleLogin'
                   WHEN 'KeyDeleted' THEN 'DeleteKey'
                   ELSE CASE WHEN e.type = 'KeyMaterialRotated' AND e.metadata ? 'invokedBy' THEN 'RotateKey'
                             ELSE e.metadata->>'eventName' END END AS event_name,
       CASE WHEN e.type = 'KmsCallRecorded' THEN (e.data->>'readOnly')::boolean ELSE false END AS read_only,
       CASE WHEN e.type <> 'KeyDeleted' AND jsonb_typeof(e.metadata->'userIdentity'->'userName') = 'string'
            THEN e.metadata->'userIdentity'->>'userName' END AS username,
       CASE WHEN e.type <> 'KeyDeleted' AND jsonb_typeof(e.metadata->'userIdentity'->'accessKeyId') = 'string'
            THEN e.metadata->'userIdentity'->>'accessKeyId' END AS access_key_id,
       CASE WHEN e.type = 'KeyDeleted' OR (e.type = 'KeyMaterialRotated' AND e.metadata ? 'invokedBy') THEN 'AWS Internal'
            WHEN jsonb_typeof(e.metadata->'sourceIPAddress') = 'string' THEN e.metadata->>'sourceIPAddress' END
         AS source_ip,
       CASE WHEN e.type = 'KmsCallRecorded' THEN e.data->>'errorCode' END AS error_code,
       -- In auditPartOf's order. A KmsCallRecorded's ARNs are distinct and all in its scope
       -- (callResources), so their names are distinct too.
       CASE e.type
         WHEN 'KmsCallRecorded' THEN audit_resource_names(e.data->'resources')
         WHEN 'ConsoleLoginRecorded' THEN '{}'::text[]
         WHEN 'AliasCreated' THEN ARRAY[e.data->>'keyId', e.data->>'aliasName']
         WHEN 'AliasRetargeted' THEN ARRAY[e.data->>'aliasName', e.data->>'toKeyId']
         WHEN 'AliasDeleted' THEN CASE WHEN e.metadata ? 'invokedBy' THEN ARRAY[e.data->>'aliasName']
                                       ELSE ARRAY[e.data->>'aliasName', e.data->>'keyId'] END
         ELSE ARRAY[e.data->>'keyId'] END AS resource_names,
       -- Appended (0017): a view's columns can only be added at the end.
       CASE WHEN e.type <> 'KeyDeleted' AND jsonb_typeof(e.metadata->'userIdentity'->'arn') = 'string'
            THEN e.metadata->'userIdentity'->>'arn' END AS principal_arn,
       audit_named_aliases(e.metadata->'requestParameters', e.data->>'accountId', e.data->>'region') AS named_aliases
  FROM events e
 WHERE CASE WHEN e.type IN ('KmsCallRecorded', 'ConsoleLoginRecorded') THEN true
            -- Of a service unit, only a key's deletion is in a record (provisioning AWS managed keys is not).
            WHEN e.metadata ? 'invokedBy'
            THEN e.type IN ('KeyDeleted', 'KeyMaterialRotated')
                 OR (e.type = 'AliasDeleted' AND e.data->>'reason' = 'key-deleted')
            -- A KeyDeleted with no invokedBy is not one, and is in no record.
            ELSE e.type IN ('AliasCreated', 'AliasRetargeted', 'AliasDeleted', 'KeyCreated', 'KeyDeletionScheduled',
                            'KeyDeletionCanceled', 'KeyEnabled', 'KeyDisabled', 'KeyDescriptionUpdated', 'KeyTagged',
                            'KeyUntagged', 'KeyPolicyPut', 'KeyRotationEnabled', 'KeyRotationDisabled',
                            'KeyMaterialRotated', 'GrantCreated', 'GrantRetired', 'GrantRevoked')
                 AND jsonb_typeof(e.metadata->'eventName') = 'string' END
UNION ALL
SELECT e.position,
       e.transaction_id,
       e.event_id::text AS call_id,
       true AS head,
       e.data->>'accountId' AS account_id,
       e.data->>'region' AS region,
       date_trunc('milliseconds', e.occurred_at + interval '500 microseconds') AS event_time,
       e.data->>'eventName' AS event_name,
       coalesce(r.record->'readOnly' = 'true'::jsonb, false) AS read_only,
       CASE WHEN jsonb_typeof(r.record->'userIdentity'->'userName') = 'string'
            THEN r.record->'userIdentity'->>'userName' END AS username,
       CASE WHEN jsonb_typeof(r.record->'userIdentity'->'accessKeyId') = 'string'
            THEN r.record->'userIdentity'->>'accessKeyId' END AS access_key_id,
       CASE WHEN jsonb_typeof(r.record->'sourceIPAddress') = 'string' THEN r.record->>'sourceIPAddress' END AS source_ip,
       CASE WHEN jsonb_typeof(r.record->'errorCode') = 'string' THEN r.record->>'errorCode' END AS error_code,
       audit_imported_resource_names(r.record->'resources') AS resource_names,
       CASE WHEN jsonb_typeof(r.record->'userIdentity'->'arn') = 'string'
            THEN r.record->'userIdentity'->>'arn' END AS principal_arn,
       audit_named_aliases(jsonb_build_object('KeyId', r.record->'requestParameters'->'keyId',
                                              'SourceKeyId', r.record->'requestParameters'->'sourceKeyId',
                                              'DestinationKeyId', r.record->'requestParameters'->'destinationKeyId'),
                           e.data->>'accountId', e.data->>'region') AS named_aliases
  FROM events e, LATERAL (SELECT audit_imported_record(e.data->>'record') AS record) r
 WHERE e.type = 'CloudTrailRecordImported';

-- The projection's writes (src/projections/audit/audit-events.projection.ts), as functions so that
-- their plans are made once per session: the live projection applies small batches, and planning
-- statements over the view cost more than running them. Neither names a schema, so that a rebuild's
-- search_path finds its shadow table (PL/pgSQL plans again when the search_path differs).

-- Adds fragments (positions of AliasDeleted{key-deleted}) to their calls' rows, head first and then in
-- log order. Returns the calls that have no row: the log and the model disagree there, and the
-- projection stops rather than drop them.
CREATE OR REPLACE FUNCTION audit_events_merge(p_fragments bigint[]) RETURNS text[] LANGUAGE plpgsql AS $$
DECLARE
  v_orphans text[];
BEGIN
  WITH fragments AS (
    SELECT call_id, array_agg(position ORDER BY transaction_id, position) AS positions,
           audit_names_agg(resource_names ORDER BY transaction_id, position) AS names
      FROM audit_event_parts
     WHERE NOT head AND position = ANY(p_fragments)
     GROUP BY call_id),
  merged AS (
    UPDATE audit_events a
       SET positions = a.positions || f.positions,
           resource_names = audit_names_union(a.resource_names, f.names)
      FROM fragments f
     WHERE a.call_id = f.call_id
    RETURNING a.call_id)
  SELECT ARRAY(SELECT call_id FROM fragments EXCEPT SELECT call_id FROM merged) INTO v_orphans;
  RETURN v_orphans;
END
$$;

-- Applies a batch of the log (its positions, any events): a row for each call head, then the batch's
-- fragments, to rows of this batch or an earlier one. A head whose call has a row already is a
-- second head for one call: the unique call id refuses it, and the projection stops there rather
-- than merge two calls. Returns the calls of fragments with no row.
CREATE OR REPLACE FUNCTION audit_events_apply(p_positions bigint[]) RETURNS text[] LANGUAGE plpgsql AS $$
DECLARE
  v_fragments bigint[];
BEGIN
  WITH parts AS MATERIALIZED (
    SELECT * FROM audit_event_parts WHERE position = ANY(p_positions)),
  heads AS (
    INSERT INTO audit_events (seq, call_id, account_id, region, event_time, event_name, read_only, username,
                              access_key_id, source_ip, error_code, positions, resource_names, principal_arn,
                              named_aliases)
    SELECT position, call_id, account_id, region, event_time, event_name, read_only, username,
           access_key_id, source_ip, error_code, ARRAY[position], resource_names, principal_arn, named_aliases
      FROM parts
     WHERE head)
  SELECT ARRAY(SELECT position FROM parts WHERE NOT head) INTO v_fragments;
  -- Only a scheduled deletion with aliases has fragments: most batches stop here.
  IF cardinality(v_fragments) = 0 THEN
    RETURN '{}';
  END IF;
  RETURN audit_events_merge(v_fragments);
END
$$;

-- A rebuild's load: the rows of every call with events at or before (p_tx, p_pos), as batch after
-- batch of audit_events_apply leaves them (a call's head is in the log before its fragments).
-- Set-based, into a table without indexes yet: every head in one INSERT, then the few fragments.
-- (One INSERT of every call grouped with its fragments was measured slower: 11 to 25 s instead of
-- 6 at 1,000,000 events, grouping or joining a million rows where a hundred need it.)
CREATE OR REPLACE FUNCTION audit_events_load(p_tx xid8, p_pos bigint, OUT covered bigint, OUT orphans text[])
  LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO audit_events (seq, call_id, account_id, region, event_time, event_name, read_only, username,
                            access_key_id, source_ip, error_code, positions, resource_names, principal_arn,
                            named_aliases)
  SELECT position, call_id, account_id, region, event_time, event_name, read_only, username,
         access_key_id, source_ip, error_code, ARRAY[position], resource_names, principal_arn, named_aliases
    FROM audit_event_parts
   WHERE head AND (transaction_id, position) <= (p_tx, p_pos);
  orphans := audit_events_merge(ARRAY(SELECT position FROM audit_event_parts
                                       WHERE NOT head AND (transaction_id, position) <= (p_tx, p_pos)));
  SELECT count(*) INTO covered FROM events e WHERE (e.transaction_id, e.position) <= (p_tx, p_pos);
END
$$;
