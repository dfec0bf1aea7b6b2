import type { SignedDigest } from '../digest';
import { GENESIS_HASH } from '../hash-chain';
import type { DigestRangeProblem, EntryProblem, WalkResult } from './chain-walk';
import type { Finding } from './finding';

/** Questions classification asks of the ledger and the events (SQL online, an index of the files offline). */
export interface Lookups {
  /** The sequence of the entry whose stored entry_hash this is. */
  seqOfEntryHash(entryHash: string): Promise<number | undefined>;
  /** The sequence of the entry that names this position. */
  seqOfPosition(position: string): Promise<number | undefined>;
  /**
   * Where the event with this id stands now, and what it hashes to there and as if it stood at
   * `position`: an event that was moved hashes as chained at one of the two.
   */
  eventNow(
    eventId: string,
    position: string,
  ): Promise<{ position: string; hashThere: string; hashHere: string } | undefined>;
  /** The first entry after this place in log order, (transaction id, position): where a stray event would sit. */
  seqAfter(transactionId: string, position: string): Promise<number | undefined>;
}

/** An event behind the ledger's head that no entry names. */
export interface StrayEvent {
  readonly position: string;
  readonly transactionId: string;
  readonly eventId: string;
}

/**
 * A stray event: the sequencer reads below the snapshot barrier, so no event can commit behind it
 * later; one that sits there now was put there by hand.
 */
export async function classifyStray(stray: StrayEvent, walk: WalkResult, lookups: Lookups): Promise<Finding> {
  const seq = (await lookups.seqAfter(stray.transactionId, stray.position)) ?? walk.lastSeq + 1;
  return {
    kind: 'inserted',
    ledgerSeq: seq,
    scope: 'entry',
    position: stray.position,
    eventId: stray.eventId,
    detail: `event ${stray.eventId} (position ${stray.position}, transaction ${stray.transactionId}) stands before ledger entry ${seq} in the log but was never chained`,
  };
}

/** Names the tampering behind an entry that failed (see Finding for the kinds). */
export async function classifyEntry(problem: EntryProblem, lookups: Lookups): Promise<Finding> {
  const { entry, expectedSeq: seq } = problem;
  const at = (kind: Finding['kind'], ledgerSeq: number, detail: string): Finding => ({
    kind,
    ledgerSeq,
    scope: 'entry',
    position: entry.position,
    eventId: entry.eventId,
    detail,
  });
  if (!problem.prevOk) {
    // The entry does not chain to the one before it: which entry does it chain to?
    const target = entry.prevHash === GENESIS_HASH ? 0 : await lookups.seqOfEntryHash(entry.prevHash);
    if (target === undefined)
      return at('deleted', seq, `ledger entry ${entry.seq} chains to an entry that is no longer in the ledger`);
    if (target < seq - 1)
      return at(
        'inserted',
        target + 1,
        `entries ${target + 1}..${seq - 1} were never chained: entry ${entry.seq} follows ${target}`,
      );
    return at('reordered', seq, `ledger entry ${entry.seq} chains to entry ${target}, which comes after it`);
  }
  if (!problem.seqOk)
    return entry.seq > seq
      ? at('deleted', seq, `ledger sequence ${seq} is missing; the chain goes on at ${entry.seq}`)
      : at('inserted', seq, `ledger sequence ${entry.seq} appears again after ${seq - 1}`);
  if (!problem.eventOk) {
    const actual = entry.actual;
    if (actual && actual.eventId === entry.eventId)
      return at('edited', seq, `event ${entry.eventId} at position ${entry.position} no longer hashes as chained`);
    const now = await lookups.eventNow(entry.eventId, entry.position);
    if (now && (now.hashHere === entry.eventHash || now.hashThere === entry.eventHash))
      return at(
        'reordered',
        seq,
        `event ${entry.eventId}, chained at position ${entry.position}, now stands at position ${now.position}`,
      );
    if (!actual && !now) return at('deleted', seq, `event ${entry.eventId} at position ${entry.position} is gone`);
    if (!actual)
      return at('edited', seq, `event ${entry.eventId} was moved from position ${entry.position} and changed`);
    return at(
      'edited',
      seq,
      `position ${entry.position} holds event ${actual.eventId} instead of the chained ${entry.eventId}`,
    );
  }
  return at('edited', seq, `ledger entry ${entry.seq}'s entry_hash is not the hash of its prev_hash and event_hash`);
}

/**
 * A signed digest disagrees with a stretch of ledger whose entries all agree with their events:
 * the ledger was recomputed after the events were changed. The digest's last position tells
 * which way: if its entry now sits later, entries were taken out before it; earlier, put in.
 */
export async function classifyDigestRange(problem: DigestRangeProblem, lookups: Lookups): Promise<Finding> {
  const digest = problem.digest;
  const moved = digest.lastPosition === null ? digest.toLedgerSeq : await lookups.seqOfPosition(digest.lastPosition);
  const kind =
    moved === undefined || moved > digest.toLedgerSeq ? 'deleted' : moved < digest.toLedgerSeq ? 'inserted' : 'edited';
  return {
    kind,
    ledgerSeq: digest.fromLedgerSeq,
    toLedgerSeq: digest.toLedgerSeq,
    digestSeq: digest.digestSeq,
    scope: 'digest-range',
    detail: `${problem.detail}; the ledger was recomputed to match, so only the digest's range is known`,
  };
}

/**
 * What the end of the walk shows: digested entries that are gone, and a digest that was due and is
 * not there (by count, by the hour, or by the sequencer's own record of how many it wrote).
 * `lastDigest` is the highest-numbered digest, trusted or not: when it is forged, that is the finding.
 */
export function tailFindings(
  walk: WalkResult,
  lastDigest: SignedDigest | undefined,
  lastTrusted: boolean,
  stateDigestSeq?: number,
): Finding[] {
  const findings: Finding[] = [];
  for (const digest of walk.beyondHead.slice(0, 1))
    findings.push({
      kind: 'deleted',
      ledgerSeq: walk.lastSeq + 1,
      toLedgerSeq: digest.toLedgerSeq,
      digestSeq: digest.digestSeq,
      scope: 'digest-range',
      detail: `digest ${digest.digestSeq} signed entries up to ${digest.toLedgerSeq}, but the ledger ends at ${walk.lastSeq}`,
    });
  if (lastDigest && !lastTrusted) return findings;
  const missing = (detail: string): Finding => ({
    kind: 'digest-missing',
    ledgerSeq: (lastDigest?.toLedgerSeq ?? 0) + 1,
    scope: 'digest',
    digestSeq: (lastDigest?.digestSeq ?? 0) + 1,
    detail,
  });
  if (lastDigest && walk.undigested >= lastDigest.digestEvery)
    findings.push(
      missing(`${walk.undigested} entries follow the last digest, but one is due every ${lastDigest.digestEvery}`),
    );
  else if (walk.firstOverdue)
    findings.push(
      missing(
        `entry ${walk.firstOverdue.seq} was sequenced after the hour in which the last digest ended, yet no digest closed that hour`,
      ),
    );
  else if (stateDigestSeq !== undefined && stateDigestSeq > (lastDigest?.digestSeq ?? 0))
    findings.push(
      missing(
        `the sequencer wrote digests up to ${stateDigestSeq}, the last one here is ${lastDigest?.digestSeq ?? 'none'}`,
      ),
    );
  return findings;
}
