import { restError } from '../api-errors/rest-error';
import { compareCheckpoints, formatCheckpoint } from '../event-store/checkpoint';
import type { Checkpoint } from '../event-store/event.types';
import type { Snapshot, TemporalAliasesReader } from '../projections/temporal/temporal-aliases.reader';
import type { Cut } from '../projections/temporal/temporal-cut';
import type { AsOf } from './query-params';

export interface AsOfRequest {
  /** The cuts the answer is about, in the order `cuts` gives them back. */
  readonly asOf: readonly AsOf[];
  /** A position the projection must have applied first (read-your-writes), or the log's newest. */
  readonly waitForPosition?: bigint | 'latest';
  readonly waitTimeoutMs: number;
}

/** A request's cuts, resolved, and the checkpoint its answer must reflect (none when it names no position). */
export interface AsOfCuts {
  readonly cuts: readonly Cut[];
  readonly target: Checkpoint | undefined;
}

/** The projection has not applied a position yet: 503 with where it stands, so the client can retry. */
const notYetApplied = (position: bigint, checkpoint: Checkpoint, waitedMs: number) =>
  restError(
    503,
    'PositionNotYetApplied',
    `The temporal model has not applied position ${position} yet (waited ${waitedMs} ms); retry later.`,
    { position: formatCheckpoint(checkpoint) },
  );

/**
 * The cuts of an as-of request, ready to ask the reader. Every position named (`atPosition`,
 * `waitForPosition`) is resolved to its event's checkpoint first (400 when no committed event has
 * it), then waited for, bounded (503 after): a cut by position needs the projection to have applied
 * it, since the model can only subtract events from what it has applied, never add missing ones.
 */
export async function asOfCuts(reader: TemporalAliasesReader, request: AsOfRequest): Promise<AsOfCuts> {
  const checkpointOf = async (position: bigint): Promise<Checkpoint> => {
    const lookup = await reader.lookUpPosition(position);
    if ('found' in lookup) return lookup.found;
    throw lookup.missing === 'beyond-head'
      ? restError(400, 'PositionBeyondHead', `Position ${position} is beyond the log head (${lookup.head}).`)
      : restError(400, 'UnknownPosition', `No committed event has position ${position}.`);
  };
  const cuts: Cut[] = [];
  for (const asOf of request.asOf)
    cuts.push('time' in asOf ? { at: asOf.time } : { through: await checkpointOf(asOf.position) });
  const targets = cuts.flatMap((cut) => ('through' in cut ? [cut.through] : []));
  const waitFor = request.waitForPosition === 'latest' ? await reader.headPosition() : request.waitForPosition;
  // An empty log has nothing to wait for.
  if (waitFor !== undefined && waitFor > 0n) targets.push(await checkpointOf(waitFor));
  const target = targets.sort(compareCheckpoints).at(-1);
  if (target) {
    const outcome = await reader.waitFor(target, request.waitTimeoutMs);
    if (!outcome.reached) throw notYetApplied(target.position, outcome.checkpoint, request.waitTimeoutMs);
  }
  return { cuts, target };
}

/**
 * The snapshot, once it reflects the target: checked again on the snapshot itself, since the wait
 * saw one checkpoint and the answer reflects its own.
 */
export function reflecting<T>(target: Checkpoint | undefined, snapshot: Snapshot<T>): Snapshot<T> {
  if (target && compareCheckpoints(snapshot.position, target) < 0)
    throw notYetApplied(target.position, snapshot.position, 0);
  return snapshot;
}
