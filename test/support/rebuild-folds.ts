import { type Kysely, sql } from 'kysely';
import type { Database } from '../../src/database/database.types';
import type { StoredEvent } from '../../src/event-store/event.types';

type Row = Record<string, unknown>;
type Data = Record<string, string | number | undefined>;

/** Every row of a table in a stable order, dates as ISO strings, so two dumps compare with toEqual. */
export async function dumpTable(db: Kysely<Database>, table: string, orderBy: string): Promise<Row[]> {
  const { rows } = await sql<Row>`SELECT * FROM ${sql.table(table)} ORDER BY ${sql.raw(orderBy)}`.execute(db);
  return rows.map((row) =>
    Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v])),
  );
}

/** Names of a table's indexes, constraints and owned sequences: what later migrations may name. */
export async function namesOf(db: Kysely<Database>, tables: readonly string[]): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    SELECT kind || ' ' || name AS name FROM (
      SELECT 'index' AS kind, i.indexrelid::regclass::text AS name FROM pg_index i
       WHERE i.indrelid = ANY(${[...tables]}::regclass[])
      UNION ALL
      SELECT 'constraint', c.conrelid::regclass::text || '.' || c.conname FROM pg_constraint c
       WHERE c.conrelid = ANY(${[...tables]}::regclass[])
      UNION ALL
      SELECT 'sequence', pg_get_serial_sequence(a.attrelid::regclass::text, a.attname) FROM pg_attribute a
       WHERE a.attrelid = ANY(${[...tables]}::regclass[]) AND a.attnum > 0 AND NOT a.attisdropped
         AND pg_get_serial_sequence(a.attrelid::regclass::text, a.attname) IS NOT NULL) AS names
    ORDER BY 1`.execute(db);
  return rows.map((r) => r.name);
}

const iso = (date: Date) => date.toISOString();

type Tag = { TagKey: string; TagValue: string };
/** Tags as kms_keys holds them (0015): TagKey and TagValue only, ascending TagKey in bytes. */
export const sortTags = (tags: readonly Tag[]): Tag[] =>
  tags
    .map(({ TagKey, TagValue }) => ({ TagKey, TagValue }))
    .sort((a, b) => Buffer.compare(Buffer.from(a.TagKey), Buffer.from(b.TagKey)));

/** The `current` model by folding the events in log order, as kms_current_apply would (written anew). */
export function foldCurrent(events: readonly StoredEvent[]): { keys: Row[]; aliases: Row[] } {
  const keys = new Map<string, Row>();
  const aliases = new Map<string, Row>();
  for (const e of events) {
    const d = e.data as Data;
    const key = `${d.accountId}\n${d.region}\n${d.keyId}`;
    const alias = `${d.accountId}\n${d.region}\n${d.aliasName}`;
    const update = (changes: Row) => keys.has(key) && Object.assign(keys.get(key)!, changes);
    if (e.type === 'KeyCreated')
      keys.set(key, {
        account_id: d.accountId,
        region: d.region,
        key_id: d.keyId,
        key_spec: d.keySpec,
        key_usage: d.keyUsage,
        key_manager: d.keyManager,
        origin: d.origin,
        description: d.description,
        key_state: d.origin === 'EXTERNAL' ? 'PendingImport' : 'Enabled',
        creation_date: iso(e.occurredAt),
        deletion_date: null,
        pending_window_in_days: null,
        last_event_at: iso(e.occurredAt),
        tags: sortTags((e.data as { tags?: Tag[] }).tags ?? []),
        policy: d.policy ?? null,
        rotation_period_in_days: null,
        next_rotation_date: null,
        material_version: 1,
        rotations: [],
      });
    else if (e.type === 'KeyDescriptionUpdated') update({ description: d.description });
    else if (e.type === 'KeyTagged' && keys.has(key)) {
      const added = (e.data as { tags: Tag[] }).tags;
      const kept = (keys.get(key)!.tags as Tag[]).filter((t) => !added.some((a) => a.TagKey === t.TagKey));
      update({ tags: sortTags([...kept, ...added]) });
    } else if (e.type === 'KeyUntagged' && keys.has(key)) {
      const removed = (e.data as { tagKeys: string[] }).tagKeys;
      update({ tags: (keys.get(key)!.tags as Tag[]).filter((t) => !removed.includes(t.TagKey)) });
    } else if (e.type === 'KeyPolicyPut') update({ policy: d.policy });
    else if (e.type === 'KeyRotationEnabled')
      update({
        rotation_period_in_days: d.rotationPeriodInDays,
        next_rotation_date: iso(new Date(d.nextRotationDate!)),
      });
    else if (e.type === 'KeyRotationDisabled') update({ rotation_period_in_days: null, next_rotation_date: null });
    else if (e.type === 'KeyMaterialRotated' && keys.has(key)) {
      const row = keys.get(key)!;
      update({
        material_version: d.version,
        ...(d.nextRotationDate === undefined ? {} : { next_rotation_date: iso(new Date(d.nextRotationDate)) }),
        rotations: [
          ...(row.rotations as Row[]),
          { KeyMaterialId: d.keyMaterialId, RotationDate: e.occurredAt.getTime() / 1000, RotationType: d.rotationType },
        ],
      });
    } else if (e.type === 'KeyEnabled') update({ key_state: 'Enabled' });
    else if (e.type === 'KeyDisabled') update({ key_state: 'Disabled' });
    else if (e.type === 'KeyDeletionScheduled')
      update({
        key_state: 'PendingDeletion',
        deletion_date: iso(new Date(d.deletionDate!)),
        pending_window_in_days: d.pendingWindowInDays,
      });
    else if (e.type === 'KeyDeletionCanceled')
      update({ key_state: 'Disabled', deletion_date: null, pending_window_in_days: null });
    else if (e.type === 'KeyDeleted') keys.delete(key);
    else if (e.type === 'AliasCreated')
      aliases.set(alias, {
        account_id: d.accountId,
        region: d.region,
        alias_name: d.aliasName,
        key_id: d.keyId,
        creation_date: iso(e.occurredAt),
        last_updated_date: iso(e.occurredAt),
      });
    else if (e.type === 'AliasRetargeted' && aliases.has(alias))
      Object.assign(aliases.get(alias)!, { key_id: d.toKeyId, last_updated_date: iso(e.occurredAt) });
    else if (e.type === 'AliasDeleted') aliases.delete(alias);
    // Every key the event names keeps the latest time of its stream (0012).
    for (const id of new Set([d.keyId, d.fromKeyId, d.toKeyId]))
      if (id !== undefined && e.type !== 'KeyCreated') {
        const named = keys.get(`${d.accountId}\n${d.region}\n${id}`);
        if (named && String(named.last_event_at) < iso(e.occurredAt)) named.last_event_at = iso(e.occurredAt);
      }
  }
  const byKey = (fields: string[]) => (a: Row, b: Row) => {
    for (const f of fields) if (a[f] !== b[f]) return String(a[f]) < String(b[f]) ? -1 : 1;
    return 0;
  };
  return {
    keys: [...keys.values()].sort(byKey(['account_id', 'region', 'key_id'])),
    aliases: [...aliases.values()].sort(byKey(['account_id', 'region', 'alias_name'])),
  };
}

/**
 * The `temporal` model by folding the events in log order: alias ids in the order names first
 * appear with their page prefilter, every version with its range and the events that began and ended it.
 */
export function foldTemporal(events: readonly StoredEvent[]): { ids: Row[]; versions: Row[] } {
  const ids = new Map<string, Row>();
  const versions: Row[] = [];
  const open = new Map<number, Row>();
  const counts = new Map<number, number>();
  for (const e of events) {
    if (!['AliasCreated', 'AliasRetargeted', 'AliasDeleted'].includes(e.type)) continue;
    const d = e.data as Data;
    const name = `${d.accountId}\n${d.region}\n${d.aliasName}`;
    if (!ids.has(name))
      ids.set(name, { alias_id: ids.size + 1, account_id: d.accountId, region: d.region, alias_name: d.aliasName });
    const aliasId = ids.get(name)!.alias_id as number;
    const current = open.get(aliasId);
    if (current) {
      const reason =
        e.type === 'AliasRetargeted' ? 'retargeted' : d.reason === 'key-deleted' ? 'key-deleted' : 'deleted';
      Object.assign(current, {
        valid_to: iso(e.occurredAt),
        to_position: e.position.toString(),
        ended_reason: reason,
      });
      open.delete(aliasId);
    }
    if (e.type === 'AliasDeleted') continue;
    const version: Row = {
      alias_id: aliasId,
      version: (counts.get(aliasId) ?? 0) + 1,
      key_id: e.type === 'AliasCreated' ? d.keyId : d.toKeyId,
      valid_from: iso(e.occurredAt),
      valid_to: null,
      from_position: e.position.toString(),
      to_position: null,
      ended_reason: null,
    };
    counts.set(aliasId, version.version as number);
    versions.push(version);
    open.set(aliasId, version);
  }
  const sorted = versions.sort(
    (a, b) => (a.alias_id as number) - (b.alias_id as number) || (a.version as number) - (b.version as number),
  );
  // The page prefilter: earliest start, latest end, and whether a version is still open.
  for (const id of ids.values()) {
    const own = sorted.filter((v) => v.alias_id === id.alias_id);
    const ends = own.map((v) => v.valid_to as string | null).filter((t): t is string => t !== null);
    Object.assign(id, {
      first_began: own.map((v) => v.valid_from as string).sort()[0] ?? null,
      ended_max: ends.sort().at(-1) ?? null,
      open: own.some((v) => v.valid_to === null),
    });
  }
  return { ids: [...ids.values()], versions: sorted };
}
