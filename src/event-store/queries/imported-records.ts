import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Database } from '../../database/database.types';

/**
 * The event an imported CloudTrail record becomes (docs/history-model.md#observed-accounts): its data
 * keeps the record's text.
 */
export const IMPORTED_RECORD_TYPE = 'CloudTrailRecordImported';

/** The event a snapshot of an observed account's live state becomes (observed-snapshot.ts in kms/domain). */
export const SNAPSHOT_TYPE = 'KmsSnapshotTaken';

/** The event types that are an observed account's evidence: its imported records and its snapshots. */
export const EVIDENCE_TYPES = [IMPORTED_RECORD_TYPE, SNAPSHOT_TYPE] as const;

/** The consistency tag of an observed account's records in a Region. */
export const observedTag = (accountId: string, region: string) => `observed:${accountId}:${region}`;

/** A file's KMS records as columns, in file order (what a staging table holds, without one). */
export interface RecordColumns {
  readonly eventIds: readonly string[];
  readonly eventTimes: readonly string[];
  readonly accountIds: readonly string[];
  readonly regions: readonly string[];
  readonly eventNames: readonly string[];
  readonly records: readonly string[];
  /** Each record's alias and key tags, joined by newlines ('' for none). */
  readonly tags: readonly string[];
  /** Each record's cause as JSON ('{}' for a record that changed nothing). */
  readonly causes: readonly string[];
}

/**
 * Appends a file's KMS records as events, in file order: one per eventID, whose id it takes, so that
 * a record imported again (the same file twice, overlapping exports, a duplicate delivery) adds
 * nothing. The records come from the session's temporary staging table (cloudtrail-importer.ts, with
 * an `ord` column: the record's place in its file) or, for a file small enough, straight from
 * columns. Answers how many were new. Runs inside the caller's transaction.
 */
export async function appendImportedRecords(
  trx: Kysely<Database>,
  source: { readonly staging: string } | { readonly columns: RecordColumns },
): Promise<number> {
  let from: RawBuilder<unknown>;
  if ('staging' in source) {
    if (!/^[a-z_]+$/.test(source.staging)) throw new Error('a staging table is a plain name');
    from = sql`${sql.table(source.staging)}`;
  } else {
    const c = source.columns;
    from = sql`(SELECT * FROM unnest(${c.eventIds}::uuid[], ${c.eventTimes}::timestamptz[], ${c.accountIds}::text[],
                                      ${c.regions}::text[], ${c.eventNames}::text[], ${c.records}::text[],
                                      ${c.tags}::text[], ${c.causes}::text[]) WITH ORDINALITY
                  AS u(event_id, event_time, account_id, region, event_name, record, tags, cause, ord))`;
  }
  const { rows } = await sql<{ added: number }>`
    WITH added AS (
      INSERT INTO events (event_id, type, tags, data, metadata, occurred_at)
      SELECT s.event_id, ${IMPORTED_RECORD_TYPE},
             -- A record that changed aliases or keys is also under their tags, as the KMS API's events
             -- are: the observed models find an alias's records by them (observed-aliases-refold.ts).
             ARRAY['observed:' || s.account_id || ':' || s.region] || string_to_array(nullif(s.tags, ''), E'\n'),
             jsonb_build_object('accountId', s.account_id, 'region', s.region, 'eventName', s.event_name,
                                'record', s.record),
             -- Who made a change, where causes are read (log-positions.ts eventCauseSql); '{}' for the rest.
             s.cause::jsonb,
             s.event_time
        -- A record twice in a file counts once, at its first place; positions follow the file's order.
        FROM (SELECT DISTINCT ON (event_id) * FROM ${from} f ORDER BY event_id, ord) s
       ORDER BY s.ord
      ON CONFLICT (event_id) DO NOTHING
      RETURNING 1)
    SELECT count(*)::int AS added FROM added`.execute(trx);
  return rows[0]!.added;
}

/**
 * Whether the KMS API has written to an account: any key or alias event of it (the partial index of
 * those events, 0019, leads with the account). A first call in a Region provisions its AWS managed
 * keys, so an account the API served has such events.
 */
export async function servedByKmsApi(db: Kysely<Database>, accountId: string): Promise<boolean> {
  const { rows } = await sql<{ served: boolean }>`
    SELECT EXISTS (
      SELECT 1 FROM events
       WHERE type IN ('KeyCreated', 'KeyEnabled', 'KeyDisabled', 'KeyDeletionScheduled', 'KeyDeletionCanceled',
                      'KeyDeleted', 'KeyDescriptionUpdated', 'KeyTagged', 'KeyUntagged', 'KeyPolicyPut',
                      'KeyRotationEnabled', 'KeyRotationDisabled', 'KeyMaterialRotated',
                      'AliasCreated', 'AliasRetargeted', 'AliasDeleted')
         AND data->>'accountId' = ${accountId}) AS served`.execute(db);
  return rows[0]!.served;
}

/** An imported record that changed an alias or a key, or a snapshot, as the observed models fold it. */
export interface ChangeRecordRow {
  readonly type: string;
  readonly position: string;
  readonly occurred_at: Date;
  readonly tags: string[];
  /** A record's text; a snapshot's aliases as JSON ([{aliasName, targetKeyId}]). */
  readonly record: string;
}

/**
 * The imported records and snapshots under any of `tags` (alias and key tags, appendStagedRecords),
 * committed at or before `through` in log order, so that a model built from them reflects exactly the
 * log up to its checkpoint, whatever was imported since. `eventName`: only records of that name.
 */
export async function importedRecordsTagged(
  db: Kysely<Database>,
  tags: readonly string[],
  through: { readonly transactionId: bigint; readonly position: bigint },
  eventName?: string,
): Promise<ChangeRecordRow[]> {
  if (tags.length === 0) return [];
  const types = eventName === undefined ? [...EVIDENCE_TYPES] : [IMPORTED_RECORD_TYPE];
  const { rows } = await sql<ChangeRecordRow>`
    SELECT type, position::text AS position, occurred_at, tags,
           CASE WHEN type = ${SNAPSHOT_TYPE} THEN (data->'aliases')::text ELSE data->>'record' END AS record
      FROM events
     WHERE tags && ${tags}::text[] AND type = ANY(${types}::text[])
       ${eventName === undefined ? sql`` : sql`AND data->>'eventName' = ${eventName}`}
       AND (transaction_id, position) <= (${through.transactionId.toString()}::xid8, ${through.position.toString()}::bigint)
     ORDER BY transaction_id, position`.execute(db);
  return rows;
}

/** The alias tags of every imported record that changed an alias, through a checkpoint (a rebuild's load), in log order of first appearance. */
export async function importedAliasTags(
  db: Kysely<Database>,
  through: { readonly transactionId: bigint; readonly position: bigint },
): Promise<string[]> {
  // In the order each first appears in the log, as batches meet them (the projection numbers them so).
  const { rows } = await sql<{ tag: string }>`
    SELECT tag FROM events, unnest(tags) WITH ORDINALITY AS t(tag, n)
     WHERE type = ANY(${[...EVIDENCE_TYPES]}::text[]) AND tag LIKE 'alias:%'
       AND (transaction_id, position) <= (${through.transactionId.toString()}::xid8, ${through.position.toString()}::bigint)
     GROUP BY tag
     -- A snapshot names many aliases in one event: within it, in the order of its tags, as a batch meets them.
     ORDER BY min(ARRAY[transaction_id::text::numeric, position::numeric, n::numeric])`.execute(db);
  return rows.map((r) => r.tag);
}

/** Per observed account and Region, the event times of the earliest and latest imported records and snapshots through a checkpoint. */
export async function importedEvidence(
  db: Kysely<Database>,
  through: { readonly transactionId: bigint; readonly position: bigint },
): Promise<{ account_id: string; region: string; first_event: Date; last_event: Date }[]> {
  const { rows } = await sql<{ account_id: string; region: string; first_event: Date; last_event: Date }>`
    SELECT data->>'accountId' AS account_id, data->>'region' AS region,
           min(occurred_at) AS first_event, max(occurred_at) AS last_event
      FROM events
     WHERE type = ANY(${[...EVIDENCE_TYPES]}::text[])
       AND (transaction_id, position) <= (${through.transactionId.toString()}::xid8, ${through.position.toString()}::bigint)
     GROUP BY 1, 2`.execute(db);
  return rows;
}

/**
 * Appends a snapshot of an observed account's Region as one event, under the tag of every alias in
 * it (the observed models find an alias's evidence by its tag), dated when it was taken. Runs inside
 * the caller's transaction (after the served-or-observed check). Answers its position.
 */
export async function appendSnapshot(
  db: Kysely<Database>,
  snapshot: { readonly accountId: string; readonly region: string; readonly takenAt: string },
  data: unknown,
  aliasTags: readonly string[],
): Promise<string> {
  const { rows } = await sql<{ position: string }>`
    INSERT INTO events (event_id, type, tags, data, metadata, occurred_at)
    VALUES (gen_random_uuid(), ${SNAPSHOT_TYPE}, ${[observedTag(snapshot.accountId, snapshot.region), ...aliasTags]}::text[],
            ${JSON.stringify(data)}::jsonb, ${JSON.stringify({ eventName: 'Snapshot' })}::jsonb, ${snapshot.takenAt}::timestamptz)
    RETURNING position::text AS position`.execute(db);
  return rows[0]!.position;
}

/**
 * The imported records of an account and Region that changed aliases or keys (the ones with a cause
 * in their metadata, appendStagedRecords), in log order: what reconciliation replays.
 */
export async function importedChangeRecords(
  db: Kysely<Database>,
  accountId: string,
  region: string,
): Promise<ChangeRecordRow[]> {
  const { rows } = await sql<ChangeRecordRow>`
    SELECT type, position::text AS position, occurred_at, tags, data->>'record' AS record
      FROM events
     WHERE data->>'accountId' = ${accountId} AND data->>'region' = ${region}
       -- Literals, as events_observed_changes_idx's predicate (db/migrations/0023) has them.
       AND type = 'CloudTrailRecordImported' AND metadata <> '{}'::jsonb
     ORDER BY transaction_id, position`.execute(db);
  return rows;
}

/** An observed account's evidence about keys up to a moment: change records and snapshots. */
export interface KeyEvidenceRow {
  readonly type: string;
  readonly occurred_at: Date;
  /** A record's text, or a snapshot's data as JSON text. */
  readonly body: string;
}

/**
 * The change records (those with a cause, appendStagedRecords) and snapshots of an account and
 * Region whose time is at or before `at`, in log order: what the observed key fold reads.
 */
export async function observedKeyEvidenceUntil(
  db: Kysely<Database>,
  accountId: string,
  region: string,
  at: Date,
): Promise<KeyEvidenceRow[]> {
  const { rows } = await sql<KeyEvidenceRow>`
    SELECT type, occurred_at, CASE WHEN type = ${SNAPSHOT_TYPE} THEN data::text ELSE data->>'record' END AS body
      FROM events
     WHERE data->>'accountId' = ${accountId} AND data->>'region' = ${region} AND occurred_at <= ${at}
       -- Literals, as events_observed_changes_idx's predicate (db/migrations/0023) has them.
       AND (type = 'KmsSnapshotTaken' OR (type = 'CloudTrailRecordImported' AND metadata <> '{}'::jsonb))
     ORDER BY transaction_id, position`.execute(db);
  return rows;
}
