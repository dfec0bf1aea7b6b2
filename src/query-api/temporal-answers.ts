import { formatCheckpoint } from '../event-store/checkpoint';
import type { Checkpoint } from '../event-store/event.types';
import { isFinal } from '../projections/temporal/stable-horizon';
import type { AliasVersion, SnapshotView } from '../projections/temporal/temporal-aliases.reader';
import type { Cut } from '../projections/temporal/temporal-cut';

/** An alias version as the REST API shows it: when it held, what it pointed to, who began and ended it. */
export function versionJson(version: AliasVersion) {
  return {
    aliasName: version.aliasName,
    version: version.version,
    // An observed account's evidence may not show the target or the start (AliasVersion): null, and said.
    targetKeyId: version.keyId,
    ...(version.keyId === null && { targetKnown: false }),
    validFrom: version.validFrom?.toISOString() ?? null,
    ...(version.validFrom === null && { beganBeforeEvidence: true }),
    validTo: version.validTo?.toISOString() ?? null,
    startedBy: version.startedBy ?? null,
    endedBy: version.endedBy ?? null,
    endedReason: version.endedReason ?? null,
  };
}

/**
 * Whether an answer at these cuts can still change. By position it cannot (that prefix of the log is
 * complete once applied); by time, only once the time is older than the snapshot's final horizon.
 */
export function finalAt(cuts: readonly Cut[], view: SnapshotView): boolean {
  return cuts.every((cut) => !('at' in cut) || isFinal(cut.at, view.finalBefore));
}

/** What every answer says about itself: the log position it reflects, and the final horizon. */
export function reflects(position: Checkpoint, view: SnapshotView) {
  return { position: formatCheckpoint(position), finalBefore: view.finalBefore?.toISOString() ?? null };
}

/** How an answer names one cut: `at` (a time) or `atPosition` (an event's position and its checkpoint). */
export function cutJson(cut: Cut, name = 'at') {
  return 'at' in cut
    ? { [name]: cut.at.toISOString() }
    : { [`${name}Position`]: cut.through.position.toString(), [`${name}Checkpoint`]: formatCheckpoint(cut.through) };
}
