import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/database/database.types';

interface LoggedEvent {
  type: string;
  data: Record<string, string>;
  metadata: Record<string, unknown>;
  occurred_at: Date;
  transaction_id: string;
  tags: string[];
}

/** Every KMS event in log (reader) order. */
export async function kmsLog(db: Kysely<Database>): Promise<LoggedEvent[]> {
  const { rows } = await sql<LoggedEvent>`
    SELECT type, data, metadata, occurred_at, transaction_id::text, tags FROM events
    WHERE type IN ('KeyCreated','KeyEnabled','KeyDisabled','KeyDeletionScheduled','KeyDeletionCanceled','KeyDeleted',
                   'AliasCreated','AliasRetargeted','AliasDeleted')
    ORDER BY events.transaction_id, events.position`.execute(db);
  return rows;
}

/**
 * Replays the whole log and returns every broken invariant of design §4: one live alias per name,
 * ≤ 50 aliases per key, nothing created on or moved to a key pending deletion or gone, a deleted
 * key's aliases deleted in its transaction, and per-entity event times that never go back.
 */
export function brokenInvariants(log: readonly LoggedEvent[]): string[] {
  const problems: string[] = [];
  const keys = new Map<string, { state: string; manager: string }>();
  const aliases = new Map<string, string>(); // scoped alias name → scoped key id
  const lastTime = new Map<string, number>();
  const pendingCascade = new Map<string, { tx: string; aliases: Set<string> }>();
  const scoped = (d: Record<string, string>, id: string) => `${d.accountId}:${d.region}:${id}`;
  const aliasesOn = (key: string) => [...aliases].filter(([, k]) => k === key).map(([a]) => a);
  for (const e of log) {
    const d = e.data;
    for (const tag of e.tags) {
      const t = e.occurred_at.getTime();
      if ((lastTime.get(tag) ?? 0) > t) problems.push(`event time went back on ${tag}`);
      lastTime.set(tag, t);
    }
    for (const [key, cascade] of pendingCascade) {
      if (cascade.tx !== e.transaction_id && cascade.aliases.size > 0)
        problems.push(`key ${key} deleted without its aliases`);
      if (cascade.tx !== e.transaction_id) pendingCascade.delete(key);
    }
    const target = (id: string) => {
      const key = keys.get(scoped(d, id));
      if (!key) problems.push(`${e.type} onto missing key ${id}`);
      else if (key.state === 'PendingDeletion') problems.push(`${e.type} onto key ${id} pending deletion`);
      else if (e.type === 'AliasCreated' && key.manager === 'AWS' && !d.aliasName!.startsWith('alias/aws/'))
        problems.push('alias onto AWS key');
    };
    switch (e.type) {
      case 'KeyCreated':
        keys.set(scoped(d, d.keyId!), { state: 'Enabled', manager: d.keyManager! });
        break;
      case 'KeyDeletionScheduled':
        keys.get(scoped(d, d.keyId!))!.state = 'PendingDeletion';
        break;
      case 'KeyDeletionCanceled':
      case 'KeyDisabled':
        keys.get(scoped(d, d.keyId!))!.state = 'Disabled';
        break;
      case 'KeyEnabled':
        keys.get(scoped(d, d.keyId!))!.state = 'Enabled';
        break;
      case 'KeyDeleted': {
        const key = scoped(d, d.keyId!);
        keys.delete(key);
        pendingCascade.set(key, { tx: e.transaction_id, aliases: new Set(aliasesOn(key)) });
        break;
      }
      case 'AliasCreated': {
        const alias = scoped(d, d.aliasName!);
        if (aliases.has(alias)) problems.push(`second live alias ${alias}`);
        target(d.keyId!);
        aliases.set(alias, scoped(d, d.keyId!));
        if (!d.aliasName!.startsWith('alias/aws/') && aliasesOn(scoped(d, d.keyId!)).length > 50)
          problems.push(`more than 50 aliases on ${d.keyId}`);
        break;
      }
      case 'AliasRetargeted': {
        const alias = scoped(d, d.aliasName!);
        if (aliases.get(alias) !== scoped(d, d.fromKeyId!)) problems.push(`retarget of ${alias} from the wrong key`);
        target(d.toKeyId!);
        aliases.set(alias, scoped(d, d.toKeyId!));
        if (aliasesOn(scoped(d, d.toKeyId!)).length > 50) problems.push(`more than 50 aliases on ${d.toKeyId}`);
        break;
      }
      case 'AliasDeleted': {
        const alias = scoped(d, d.aliasName!);
        if (aliases.get(alias) !== scoped(d, d.keyId!)) problems.push(`delete of ${alias} names the wrong key`);
        aliases.delete(alias);
        pendingCascade.get(scoped(d, d.keyId!))?.aliases.delete(alias);
        break;
      }
    }
  }
  for (const [key, cascade] of pendingCascade)
    if (cascade.aliases.size > 0) problems.push(`key ${key} deleted without its aliases`);
  return problems;
}

/** The live aliases by replaying the log, to compare with the `current` model. */
export function liveAliases(log: readonly LoggedEvent[]): Map<string, string> {
  const aliases = new Map<string, string>();
  for (const e of log) {
    const name = `${e.data.accountId}:${e.data.region}:${e.data.aliasName}`;
    if (e.type === 'AliasCreated') aliases.set(name, e.data.keyId!);
    if (e.type === 'AliasRetargeted') aliases.set(name, e.data.toKeyId!);
    if (e.type === 'AliasDeleted') aliases.delete(name);
  }
  return aliases;
}
