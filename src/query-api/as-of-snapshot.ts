import { BadRequestException, HttpException, HttpStatus } from '@nestjs/common';
import { compareCheckpoints, formatCheckpoint } from '../event-store/checkpoint';
import type { Checkpoint } from '../event-store/event.types';
import type { SnapshotView, TemporalAliasesReader } from '../projections/temporal/temporal-aliases.reader';
import type { Cut } from '../projections/temporal/temporal-cut';
import type { AsOf } from './query-params';

export interface AsOfRequest {
  /** The cuts the answer is about, in the order `work` receives them. */
  readonly asOf: readonly AsOf[];
  /** A position the projection must have applied first (read-your-writes). */
  readonly waitForPosition?: bigint;
  readonly waitTimeoutMs: number;
}

/** The projection has not applied a position yet: 503 with where it stands, so the client can retry. */
function notYetApplied(position: bigint, checkpoint: Checkpoint, waitedMs: number): HttpException {
  return new HttpException(
    {
      error: {
        code: 'PositionNotYetApplied',
        message: `The temporal model has not applied position ${position} yet (waited ${waitedMs} ms); retry later.`,
      },
      position: formatCheckpoint(checkpoint),
    },
    HttpStatus.SERVICE_UNAVAILABLE,
  );
}

/**
 * Asks `question` of one snapshot, then `respond`s with its answer, the position it reflects and
 * its finality. Every position named (`atPosition`, `waitForPosition`) is
 * resolved to its event's checkpoint first (400 when no committed event has it), then waited for,
 * bounded: a cut by position needs the projection to have applied it, since the model can only
 * subtract events from what it has applied, never add missing ones.
 */
export async function asOfSnapshot<A, T>(
  reader: TemporalAliasesReader,
  request: AsOfRequest,
  question: (reader: TemporalAliasesReader, cuts: Cut[]) => Promise<A>,
  respond: (answer: A, cuts: Cut[], position: Checkpoint, view: SnapshotView) => T,
): Promise<T> {
  const checkpointOf = async (position: bigint): Promise<Checkpoint> => {
    const lookup = await reader.lookUpPosition(position);
    if ('found' in lookup) return lookup.found;
    throw new BadRequestException({
      error:
        lookup.missing === 'beyond-head'
          ? { code: 'PositionBeyondHead', message: `Position ${position} is beyond the log head (${lookup.head}).` }
          : { code: 'UnknownPosition', message: `No committed event has position ${position}.` },
    });
  };
  const cuts: Cut[] = [];
  for (const asOf of request.asOf)
    cuts.push('time' in asOf ? { at: asOf.time } : { through: await checkpointOf(asOf.position) });
  const targets = cuts.flatMap((cut) => ('through' in cut ? [cut.through] : []));
  if (request.waitForPosition !== undefined) targets.push(await checkpointOf(request.waitForPosition));
  const target = targets.sort(compareCheckpoints).at(-1);
  if (target) {
    const outcome = await reader.waitFor(target, request.waitTimeoutMs);
    if (!outcome.reached) throw notYetApplied(target.position, outcome.checkpoint, request.waitTimeoutMs);
  }
  const { answer, position, view } = await reader.snapshot((snapshot) => question(snapshot, cuts));
  // Checked again on the snapshot itself: the wait saw the checkpoint, the answer reflects this one.
  if (target && compareCheckpoints(position, target) < 0) throw notYetApplied(target.position, position, 0);
  return respond(answer, cuts, position, view);
}
