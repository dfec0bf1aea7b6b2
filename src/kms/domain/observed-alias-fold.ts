import type { ObservedChange } from './observed-change';

/** A snapshot (observed-snapshot.ts) showing the alias, pointing to `keyId`, at the step's time. */
export interface SnapshotShows {
  readonly kind: 'snapshot';
  readonly keyId: string;
}

/** One record that concerns an alias: its own changes, the deletions of keys it pointed to, snapshots. */
export interface ObservedStep {
  readonly at: Date;
  /** The record's position in the log: the order of records of one instant, and their cause. */
  readonly position: bigint;
  readonly change: ObservedChange | SnapshotShows;
}

/**
 * A version of an observed alias. Evidence may begin after the alias did: a version whose start no
 * record shows has `validFrom` null (it held from before its first record) and no `fromPosition`,
 * and one whose target no record shows has `keyId` null (unknown, not absent).
 */
export interface ObservedVersion {
  readonly version: number;
  readonly keyId: string | null;
  readonly validFrom: Date | null;
  readonly fromPosition: bigint | null;
  readonly validTo: Date | null;
  readonly toPosition: bigint | null;
  /**
   * retargeted | deleted | key-deleted | re-created (a creation no deletion preceded in the records) |
   * snapshot-differs (a snapshot showed another target: a change the records lack)
   */
  readonly endedReason: string | null;
}

type Open = { -readonly [K in keyof ObservedVersion]: ObservedVersion[K] };

/**
 * An observed alias's versions from every record about it, folded in event time (CloudTrail delivers
 * late and out of order; records of one instant keep log order). Pure, and whole: the model replaces
 * the alias's versions with this, so a record imported late takes its place. Where the records do
 * not chain (an UpdateAlias or DeleteAlias of an alias no record created, a creation of one that
 * exists), the evidence began late or has a gap: the fold says so (null start or target) rather than
 * guess, and never throws.
 *
 * @example foldObservedAlias([update(t1, k2), delete(t2, k2)])
 *   // [{ keyId: null, validFrom: null, validTo: t1, endedReason: 'retargeted' }, { keyId: k2, validFrom: t1, validTo: t2, endedReason: 'deleted' }]
 */
export function foldObservedAlias(steps: readonly ObservedStep[]): ObservedVersion[] {
  const ordered = [...steps].sort((a, b) => a.at.getTime() - b.at.getTime() || (a.position < b.position ? -1 : 1));
  const versions: Open[] = [];
  let open: Open | undefined;
  const end = (step: ObservedStep, reason: string) => {
    open!.validTo = step.at;
    open!.toPosition = step.position;
    open!.endedReason = reason;
    open = undefined;
  };
  const begin = (keyId: string | null, step: ObservedStep | undefined) => {
    // A version no record began holds from the end of the one before it, or from before any record.
    const from = step ?? { at: versions[versions.length - 1]?.validTo ?? null, position: null };
    open = {
      version: versions.length + 1,
      keyId,
      validFrom: from.at,
      fromPosition: step ? step.position : null,
      validTo: null,
      toPosition: null,
      endedReason: null,
    };
    versions.push(open);
  };
  for (const step of ordered) {
    const change = step.change;
    if (change.kind === 'snapshot') {
      if (open && open.keyId === null) open.keyId = change.keyId;
      else if (open && open.keyId !== change.keyId) {
        end(step, 'snapshot-differs');
        begin(change.keyId, step);
      } else if (!open)
        // In the snapshot and not open by the records: from before them (none yet) or re-created unseen.
        begin(change.keyId, versions.length === 0 ? undefined : step);
      continue;
    }
    if (change.kind === 'key') {
      // Deleting a key deletes its aliases (docs/kms-behaviour.md#deleting-a-key); other key changes
      // leave them as they were.
      if (change.op === 'DeleteKey' && open?.keyId === change.keyId) end(step, 'key-deleted');
      continue;
    }
    const keyId = change.keyId ?? null;
    if (change.op === 'CreateAlias') {
      if (open) end(step, 're-created');
      begin(keyId, step);
    } else if (change.op === 'UpdateAlias') {
      if (!open) begin(null, undefined);
      end(step, 'retargeted');
      begin(keyId, step);
    } else {
      if (!open) begin(keyId, undefined);
      // The deletion names the target it ended (docs/kms-behaviour.md#cloudtrail-records): what was
      // unknown is known now.
      if (open!.keyId === null) open!.keyId = keyId;
      end(step, 'deleted');
    }
  }
  return versions;
}
