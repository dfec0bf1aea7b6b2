import { type ObservedStep, type ObservedVersion, foldObservedAlias } from './observed-alias-fold';
import { observedChangeOf } from './observed-change';

/** A key as DescribeKey showed it when the snapshot was taken (the members reconciliation reads). */
export interface SnapshotKey {
  readonly keyId: string;
  readonly keyState: string;
  readonly keyManager: string;
  /** When a key pending deletion is due to be deleted (ISO 8601). */
  readonly deletionDate?: string;
}

/** An alias as ListAliases showed it: its target key (AWS's predefined aliases without one are left out). */
export interface SnapshotAlias {
  readonly aliasName: string;
  readonly targetKeyId: string;
}

/**
 * The live state of an observed account's Region at one moment (`npm run cli -- import snapshot`):
 * what ListKeys, DescribeKey and ListAliases answered. It is evidence as a record is: from `takenAt`
 * on, each alias in it pointed where it says (observed-alias-fold.ts).
 */
export interface KmsSnapshot {
  readonly accountId: string;
  readonly region: string;
  readonly takenAt: string;
  readonly keys: readonly SnapshotKey[];
  readonly aliases: readonly SnapshotAlias[];
}

/** What the replayed records say about the account and Region at the snapshot's moment. */
export interface Replay {
  /** Each alias the records name, with its versions (foldObservedAlias) and whether a record created it. */
  readonly aliases: ReadonlyMap<string, { versions: readonly ObservedVersion[]; created: boolean }>;
  /** Keys that changed records name, with whether a CreateKey or a DeleteKey record names them. */
  readonly keys: ReadonlyMap<string, { created: boolean; deleted: boolean }>;
}

export type FindingKind =
  | 'alias-created-before-window'
  | 'alias-target-differs'
  | 'alias-missing-from-snapshot'
  | 'key-created-before-window'
  | 'key-missing-from-snapshot';

export interface Finding {
  readonly kind: FindingKind;
  readonly subject: string;
  readonly detail: string;
}

/** The version of an alias that held at `at` by the records, if one did. */
function heldAt(versions: readonly ObservedVersion[], at: Date): ObservedVersion | undefined {
  let held: ObservedVersion | undefined;
  for (const v of versions)
    if ((v.validFrom === null || v.validFrom <= at) && (v.validTo === null || v.validTo > at)) held = v;
  return held;
}

/**
 * Where the snapshot and the replayed records disagree or the records fall short, for the
 * reconciliation report: aliases and keys that existed before the records begin, targets that
 * differ at the snapshot's moment (a change the records lack), aliases and keys the records show
 * that the snapshot does not have. In name order within each kind.
 */
export function reconcile(snapshot: KmsSnapshot, replay: Replay): Finding[] {
  const at = new Date(snapshot.takenAt);
  const findings: Finding[] = [];
  const inSnapshot = new Map(snapshot.aliases.map((a) => [a.aliasName, a.targetKeyId]));
  for (const alias of [...snapshot.aliases].sort((a, b) => (a.aliasName < b.aliasName ? -1 : 1))) {
    const replayed = replay.aliases.get(alias.aliasName);
    if (!replayed?.created)
      findings.push({
        kind: 'alias-created-before-window',
        subject: alias.aliasName,
        detail: replayed
          ? `no record created it (its first record is a later change): it existed before the records begin`
          : `no record names it: it was created before the records begin and has pointed to ${alias.targetKeyId} since`,
      });
    const held = replayed && heldAt(replayed.versions, at);
    if (held?.keyId && held.keyId !== alias.targetKeyId)
      findings.push({
        kind: 'alias-target-differs',
        subject: alias.aliasName,
        detail: `the records say ${held.keyId} at ${snapshot.takenAt}, the snapshot ${alias.targetKeyId}: a change is missing from the records`,
      });
  }
  for (const [name, replayed] of [...replay.aliases].sort(([a], [b]) => (a < b ? -1 : 1)))
    if (!inSnapshot.has(name) && heldAt(replayed.versions, at))
      findings.push({
        kind: 'alias-missing-from-snapshot',
        subject: name,
        detail: `the records say it existed at ${snapshot.takenAt}; the snapshot does not have it (a deletion is missing from the records)`,
      });
  const snapshotKeys = new Set(snapshot.keys.map((k) => k.keyId));
  for (const key of [...snapshot.keys].sort((a, b) => (a.keyId < b.keyId ? -1 : 1)))
    if (key.keyManager === 'CUSTOMER' && !replay.keys.get(key.keyId)?.created)
      findings.push({
        kind: 'key-created-before-window',
        subject: key.keyId,
        detail: `no CreateKey record: it was created before the records begin (${key.keyState} now)`,
      });
  for (const [keyId, replayed] of [...replay.keys].sort(([a], [b]) => (a < b ? -1 : 1)))
    if (!snapshotKeys.has(keyId) && !replayed.deleted)
      findings.push({
        kind: 'key-missing-from-snapshot',
        subject: keyId,
        detail: 'records name it, no DeleteKey record ends it, and the snapshot does not have it',
      });
  return findings;
}

/** An imported record as reconciliation replays it. */
export interface ReplayedRecord {
  readonly at: Date;
  readonly position: bigint;
  readonly record: Record<string, unknown>;
}

/**
 * What an account's records say, replayed: every alias they name folded (foldObservedAlias, with the
 * deletions of the keys it pointed to), and every key they name. Pure; the same fold the models use.
 */
export function replayRecords(records: readonly ReplayedRecord[]): Replay {
  const aliasSteps = new Map<string, ObservedStep[]>();
  const created = new Set<string>();
  const keys = new Map<string, { created: boolean; deleted: boolean }>();
  const deletions = new Map<string, ObservedStep[]>();
  const key = (keyId: string) => keys.get(keyId) ?? keys.set(keyId, { created: false, deleted: false }).get(keyId)!;
  for (const { at, position, record } of records) {
    const change = observedChangeOf(record);
    if (!change) continue;
    if (change.kind === 'alias') {
      (aliasSteps.get(change.aliasName) ?? aliasSteps.set(change.aliasName, []).get(change.aliasName)!).push({
        at,
        position,
        change,
      });
      if (change.op === 'CreateAlias') created.add(change.aliasName);
      if (change.keyId !== undefined) key(change.keyId);
      continue;
    }
    const entry = key(change.keyId);
    if (change.op === 'CreateKey') entry.created = true;
    if (change.op === 'DeleteKey') {
      entry.deleted = true;
      (deletions.get(change.keyId) ?? deletions.set(change.keyId, []).get(change.keyId)!).push({
        at,
        position,
        change,
      });
    }
  }
  const aliases = new Map<string, { versions: readonly ObservedVersion[]; created: boolean }>();
  for (const [name, steps] of aliasSteps) {
    const targets = new Set(
      steps.flatMap((s) => (s.change.kind === 'alias' && s.change.keyId ? [s.change.keyId] : [])),
    );
    const keyDeletions = [...targets].flatMap((k) => deletions.get(k) ?? []);
    aliases.set(name, { versions: foldObservedAlias([...steps, ...keyDeletions]), created: created.has(name) });
  }
  return { aliases, keys };
}
