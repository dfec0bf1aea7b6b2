import { type Transaction, sql } from 'kysely';
import type { Database } from '../../database/database.types';
import type { Checkpoint, StoredEvent } from '../../event-store/event.types';
import { EVIDENCE_TYPES, SNAPSHOT_TYPE, importedRecordsTagged } from '../../event-store/queries/imported-records';
import { aliasTag, keyTag } from '../../kms/domain/kms-events';
import { type ObservedStep, foldObservedAlias } from '../../kms/domain/observed-alias-fold';
import { observedChangeOf } from '../../kms/domain/observed-change';
import { type AliasName, aliasRowsOf, insertVersions } from './temporal-alias-ids';

/** The parts of a consistency tag (`alias:<account>:<region>:<name>`, `key:…`; names may hold colons). */
function tagParts(tag: string): { kind: string; accountId: string; region: string; name: string } {
  const [kind, accountId, region, ...rest] = tag.split(':');
  return { kind: kind!, accountId: accountId!, region: region!, name: rest.join(':') };
}

const isEvidence = (event: StoredEvent) => (EVIDENCE_TYPES as readonly string[]).includes(event.type);

/**
 * What a batch of events asks of the observed models: the aliases whose records it holds, and the
 * keys whose DeleteKey it holds (their aliases end with them). Served accounts' events ask nothing.
 */
export function observedWork(events: readonly StoredEvent[]): { aliasTags: Set<string>; deletedKeyTags: Set<string> } {
  const aliasTags = new Set<string>();
  const deletedKeyTags = new Set<string>();
  for (const event of events) {
    if (!isEvidence(event)) continue;
    for (const tag of event.tags) {
      if (tag.startsWith('alias:')) aliasTags.add(tag);
      else if (tag.startsWith('key:') && (event.data as { eventName?: string }).eventName === 'DeleteKey')
        deletedKeyTags.add(tag);
    }
  }
  return { aliasTags, deletedKeyTags };
}

/**
 * Rebuilds the versions of observed aliases from every imported record about them at or before
 * `through` (foldObservedAlias, in event time): a record imported late, older than others, takes its
 * place and the versions after it change. An alias's records are few, so it is refolded whole rather
 * than patched; reading only up to `through` keeps the model at exactly its checkpoint, whatever was
 * imported since, so the result does not depend on where batches begin (Projection.tables).
 */
export async function refoldObservedAliases(
  trx: Transaction<Database>,
  work: { aliasTags: ReadonlySet<string>; deletedKeyTags: ReadonlySet<string> },
  through: Checkpoint,
): Promise<void> {
  const aliasTags = new Set(work.aliasTags);
  for (const tag of await aliasTagsOfKeys(trx, work.deletedKeyTags)) aliasTags.add(tag);
  if (aliasTags.size === 0) return;
  const steps = new Map<string, ObservedStep[]>([...aliasTags].map((tag) => [tag, []]));
  const keysOf = new Map<string, Set<string>>();
  const keysOfAlias = (tag: string) => keysOf.get(tag) ?? keysOf.set(tag, new Set()).get(tag)!;
  for (const row of await importedRecordsTagged(trx, [...aliasTags], through)) {
    if (row.type === SNAPSHOT_TYPE) {
      // A snapshot is under the tag of every alias in it: each alias it shows, where it pointed then.
      const scope = tagParts(row.tags.find((t) => t.startsWith('observed:'))!);
      for (const alias of JSON.parse(row.record) as { aliasName: string; targetKeyId: string }[]) {
        const tag = aliasTag(scope.accountId, scope.region, alias.aliasName);
        const own = steps.get(tag);
        if (!own) continue;
        own.push({
          at: row.occurred_at,
          position: BigInt(row.position),
          change: { kind: 'snapshot', keyId: alias.targetKeyId },
        });
        keysOfAlias(tag).add(keyTag(scope.accountId, scope.region, alias.targetKeyId));
      }
      continue;
    }
    const change = observedChangeOf(JSON.parse(row.record) as Record<string, unknown>);
    if (change?.kind !== 'alias') continue;
    const scope = tagParts(row.tags.find((t) => t.startsWith('observed:'))!);
    const tag = aliasTag(scope.accountId, scope.region, change.aliasName);
    steps.get(tag)?.push({ at: row.occurred_at, position: BigInt(row.position), change });
    if (change.keyId !== undefined)
      (keysOf.get(tag) ?? keysOf.set(tag, new Set()).get(tag)!).add(
        keyTag(scope.accountId, scope.region, change.keyId),
      );
  }
  const allKeys = new Set([...keysOf.values()].flatMap((keys) => [...keys]));
  const deletions = new Map<string, ObservedStep[]>();
  for (const row of await importedRecordsTagged(trx, [...allKeys], through, 'DeleteKey')) {
    const change = observedChangeOf(JSON.parse(row.record) as Record<string, unknown>);
    const tag = row.tags.find((t) => t.startsWith('key:'));
    if (change?.kind !== 'key' || tag === undefined) continue;
    (deletions.get(tag) ?? deletions.set(tag, []).get(tag)!).push({
      at: row.occurred_at,
      position: BigInt(row.position),
      change,
    });
  }
  const names = new Map<string, AliasName>();
  for (const tag of aliasTags) {
    const { accountId, region, name } = tagParts(tag);
    names.set(`${accountId}\n${region}\n${name}`, { accountId, region, aliasName: name });
  }
  const ids = await aliasRowsOf(trx, names, 'observed');
  const versions = [...aliasTags].flatMap((tag) => {
    const { accountId, region, name } = tagParts(tag);
    const aliasId = ids.get(`${accountId}\n${region}\n${name}`)!.aliasId;
    const own = steps.get(tag)!;
    const keyDeletions = [...(keysOf.get(tag) ?? [])].flatMap((key) => deletions.get(key) ?? []);
    return foldObservedAlias([...own, ...keyDeletions]).map((v) => ({
      alias_id: aliasId,
      version: v.version,
      key_id: v.keyId,
      valid_from: v.validFrom?.toISOString() ?? '-infinity',
      from_position: v.fromPosition?.toString() ?? null,
      valid_to: v.validTo?.toISOString() ?? null,
      to_position: v.toPosition?.toString() ?? null,
      ended_reason: v.endedReason,
    }));
  });
  const aliasIds = [...ids.values()].map((row) => row.aliasId);
  await sql`DELETE FROM temporal_alias_versions WHERE alias_id = ANY(${aliasIds}::int[])`.execute(trx);
  await insertVersions(trx, versions);
  // The page prefilter (db/migrations/0009) set from the versions, not widened: a refold may move them either way.
  await sql`
    UPDATE temporal_alias_ids i
       SET first_began = s.first_began, ended_max = s.ended_max, open = coalesce(s.open, false)
      FROM (SELECT a.id, min(v.valid_from) AS first_began, max(v.valid_to) AS ended_max, bool_or(v.valid_to IS NULL) AS open
              FROM unnest(${aliasIds}::int[]) AS a(id)
              LEFT JOIN temporal_alias_versions v ON v.alias_id = a.id
             GROUP BY a.id) s
     WHERE i.alias_id = s.id`.execute(trx);
}

/** The aliases (their tags) that ever pointed to these keys, in the keys' own account and Region. */
async function aliasTagsOfKeys(trx: Transaction<Database>, keyTags: ReadonlySet<string>): Promise<string[]> {
  if (keyTags.size === 0) return [];
  const keys = [...keyTags].map(tagParts).map((k) => ({ accountId: k.accountId, region: k.region, keyId: k.name }));
  const { rows } = await sql<{ account_id: string; region: string; alias_name: string }>`
    SELECT DISTINCT i.account_id, i.region, i.alias_name
      FROM jsonb_to_recordset(${JSON.stringify(keys)}::jsonb) AS k("accountId" text, region text, "keyId" text)
      JOIN temporal_alias_versions v ON v.key_id = k."keyId"
      JOIN temporal_alias_ids i ON i.alias_id = v.alias_id AND (i.account_id, i.region) = (k."accountId", k.region)`.execute(
    trx,
  );
  return rows.map((r) => aliasTag(r.account_id, r.region, r.alias_name));
}

/**
 * Widens what each observed account's evidence covers in a Region (temporal_observed_evidence,
 * db/migrations/0022) to the imported records of a batch, or of a rebuild's whole log: in the same
 * transaction as the versions they fold into, so an answer's range and versions agree.
 */
export async function widenObservedEvidence(
  trx: Transaction<Database>,
  spans: readonly { account_id: string; region: string; first_event: Date; last_event: Date }[],
  into: 'model' | 'empty load' = 'model',
): Promise<void> {
  if (spans.length === 0) return;
  const rows = sql`
    SELECT account_id, region, first_event, last_event
      FROM jsonb_to_recordset(${JSON.stringify(spans)}::jsonb)
           AS s(account_id text, region text, first_event timestamptz, last_event timestamptz)`;
  // A rebuild's load fills a shadow that is empty and has no keys yet (projection.ts): one row per span.
  if (into === 'empty load') {
    await sql`INSERT INTO temporal_observed_evidence (account_id, region, first_event, last_event) ${rows}`.execute(
      trx,
    );
    return;
  }
  await sql`
    INSERT INTO temporal_observed_evidence AS e (account_id, region, first_event, last_event) ${rows}
    ON CONFLICT (account_id, region) DO UPDATE
       SET first_event = least(e.first_event, excluded.first_event),
           last_event = greatest(e.last_event, excluded.last_event)`.execute(trx);
}

/** The spans of a batch's imported records, per account and Region. */
export function evidenceOf(
  events: readonly StoredEvent[],
): { account_id: string; region: string; first_event: Date; last_event: Date }[] {
  const spans = new Map<string, { account_id: string; region: string; first_event: Date; last_event: Date }>();
  for (const event of events) {
    if (!isEvidence(event)) continue;
    const { accountId, region } = event.data as { accountId: string; region: string };
    const key = `${accountId}\n${region}`;
    const span = spans.get(key);
    if (!span)
      spans.set(key, { account_id: accountId, region, first_event: event.occurredAt, last_event: event.occurredAt });
    else {
      if (event.occurredAt < span.first_event) span.first_event = event.occurredAt;
      if (event.occurredAt > span.last_event) span.last_event = event.occurredAt;
    }
  }
  return [...spans.values()];
}
