import type { Unapplied } from '../../event-store/log-positions';

/**
 * When answers "at T" become final. The database rejects, at commit, any event older than the cap
 * (db/migrations/0007), so an event committed at C has a time >= C - cap. Take a moment M at which the
 * next transaction id was X: a transaction with an id >= X got it after M, so it commits after M and
 * its events have times > M - cap. Once a reader's snapshot shows every transaction below X ended
 * (its xmin >= X), each event with a time <= T < M - cap is either committed and visible to it, or can
 * never exist. If the visible ones are all applied (none unapplied is that old), the projection's
 * answer at T is final: nothing can change it later.
 *
 * The moment itself cannot be "now" while transactions run (one still committing might have passed
 * its check long ago), hence the remembered moments of earlier snapshots.
 */

/** A moment a snapshot was taken: the time (at or before the snapshot) and its xmax. */
export interface SnapshotMoment {
  readonly at: Date;
  readonly xmax: bigint;
}

/** What one reader snapshot shows, besides the moment it settles (see SnapshotMoments). */
export interface SnapshotFacts {
  /** The cap the database enforces; undefined when it is off. */
  readonly capMs: number | undefined;
  readonly unapplied: Unapplied;
  /** The limit `unapplied` was read with: more means the oldest one is unknown. */
  readonly unappliedLimit: number;
}

/**
 * The time before which every answer of this snapshot is final (exclusive), or undefined when none
 * is. `settled` is the latest moment whose transactions had all ended by this snapshot.
 *
 * @example finalBefore(facts, settled) // 2026-03-01T13:59:50Z with a 10 s cap and settled at 14:00:00Z
 */
export function finalBefore(facts: SnapshotFacts, settled: SnapshotMoment | undefined): Date | undefined {
  if (facts.capMs === undefined || settled === undefined) return undefined;
  if (facts.unapplied.count > facts.unappliedLimit) return undefined;
  const capped = settled.at.getTime() - facts.capMs;
  const oldest = facts.unapplied.oldestOccurredAt?.getTime() ?? Infinity;
  return new Date(Math.min(capped, oldest));
}

/** Whether an answer about `time` is final, given the horizon of its snapshot. */
export function isFinal(time: Date, horizon: Date | undefined): boolean {
  return horizon !== undefined && time.getTime() < horizon.getTime();
}

/**
 * Moments of earlier snapshots, spaced out and bounded, from which `settledBy` picks the latest whose
 * transactions have all ended. Moments older than the last one picked can never be better later
 * (snapshots' xmin only grows), so they are dropped.
 */
export class SnapshotMoments {
  private moments: SnapshotMoment[] = [];

  constructor(
    private readonly max = 256,
    private readonly spacingMs = 20,
  ) {}

  record(moment: SnapshotMoment): void {
    const last = this.moments[this.moments.length - 1];
    if (last && moment.at.getTime() < last.at.getTime() + this.spacingMs) return;
    this.moments.push(moment);
    if (this.moments.length > this.max) this.moments.shift();
  }

  /** The latest recorded moment every transaction of which ended before a snapshot with this xmin. */
  settledBy(xmin: bigint): SnapshotMoment | undefined {
    let best: SnapshotMoment | undefined;
    for (const moment of this.moments) if (moment.xmax <= xmin && (!best || moment.at > best.at)) best = moment;
    if (best) this.moments = this.moments.filter((moment) => moment.at >= best.at);
    return best;
  }
}
