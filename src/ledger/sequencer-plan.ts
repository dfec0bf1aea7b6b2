import type { Checkpoint } from '../event-store/event.types';
import { DIGEST_ALG, type DigestSigner, LEDGER_FORMAT, type SignedDigest, signDigest } from './digest';
import { type ChainLink, entryHash } from './hash-chain';
import { type Micros, hourEnd } from './micro-time';

/** Where the sequencer stands: the ledger_state row. */
export interface SequencerState {
  readonly ledgerSeq: number;
  readonly headHash: string;
  readonly checkpoint: Checkpoint;
  readonly digestSeq: number;
  readonly digestSignature: string | null;
  readonly digestToSeq: number;
  /** Start of the open digest period; null before the first batch (the ledger's genesis). */
  readonly periodStart: Micros | null;
  readonly pending: PendingSpan;
  /** The key the chain is signed with, once it has a digest. */
  readonly keyFingerprint: string | null;
}

/** What the entries since the last digest span; the next digest states it. */
export interface PendingSpan {
  readonly firstPosition: string | null;
  readonly lastPosition: string | null;
  readonly oldestOccurredAt: Micros | null;
  readonly newestOccurredAt: Micros | null;
}

/** An event read and hashed, in the order it was read. */
export interface HashedEvent {
  readonly position: string;
  readonly transactionId: string;
  readonly eventId: string;
  readonly eventHash: string;
  /** Null when the stored time is not a number (it is hashed as it is all the same). */
  readonly occurredAt: Micros | null;
}

export interface LedgerEntry extends ChainLink {
  readonly ledgerSeq: number;
  readonly sequencedAt: Micros;
}

export interface DigestPolicy {
  /** A digest whenever this many entries are undigested (10,000 by default). */
  readonly digestEvery: number;
  /** Hour digests one batch may write; more hours to close wait for the next batch. */
  readonly maxDigestsPerBatch: number;
}

export interface BatchPlan {
  readonly state: SequencerState;
  readonly entries: readonly LedgerEntry[];
  readonly digests: readonly SignedDigest[];
  /** Hours remain to close: call again at once (the events were left for then). */
  readonly hoursLeft: boolean;
}

/** The chain is signed by another key than this instance holds; it will not mix keys in one chain. */
export class LedgerKeyMismatch extends Error {
  override readonly name = 'LedgerKeyMismatch';
}

const EMPTY_SPAN: PendingSpan = {
  firstPosition: null,
  lastPosition: null,
  oldestOccurredAt: null,
  newestOccurredAt: null,
};

export const INITIAL_STATE: SequencerState = {
  ledgerSeq: 0,
  headHash: '0'.repeat(64),
  checkpoint: { transactionId: 0n, position: 0n },
  digestSeq: 0,
  digestSignature: null,
  digestToSeq: 0,
  periodStart: null,
  pending: EMPTY_SPAN,
  keyFingerprint: null,
};

/**
 * One batch of the sequencer, decided without I/O: first every hour that ended by `now` is closed
 * with a digest (empty if nothing was sequenced in it), then the events are chained in the order
 * given, with a digest each time `digestEvery` entries are undigested. Hours are closed first so that
 * every entry belongs to the period open when it was sequenced: that is what lets verify tell a
 * missing digest from one not due yet. After downtime the missed hours are closed as empty (nothing
 * was sequenced in them), and the events appended meanwhile are chained in the hour the sequencer
 * is back, with their own times in the digest's oldest/newest event time.
 *
 * `now` never goes back within a chain: a clock behind the open period counts as its start. The
 * service passes the real time (LedgerClock), never the controllable clock's, so no new chain is
 * dated ahead; a chain an older version dated ahead keeps its dates monotonic, at its open period's
 * start, until the real time reaches it (periods must follow each other for verify).
 */
export function planBatch(
  state: SequencerState,
  events: readonly HashedEvent[],
  now: Micros,
  policy: DigestPolicy,
  signer: DigestSigner,
): BatchPlan {
  if (state.keyFingerprint !== null && state.keyFingerprint !== signer.fingerprint)
    throw new LedgerKeyMismatch(
      `the ledger's digests are signed with key ${state.keyFingerprint}, but this instance holds key ${signer.fingerprint}: give every instance the same key file (ALIASTRAIL_LEDGER_KEY_FILE)`,
    );
  let s: Mutable<SequencerState> = { ...state, keyFingerprint: signer.fingerprint };
  const time = Math.max(now, state.periodStart ?? now);
  const digests: SignedDigest[] = [];
  const cut = (reason: 'hour' | 'count', periodEnd: Micros) => {
    const digest = signDigest(
      {
        format: LEDGER_FORMAT,
        reason,
        digestSeq: s.digestSeq + 1,
        fromLedgerSeq: s.digestToSeq + 1,
        toLedgerSeq: s.ledgerSeq,
        eventCount: s.ledgerSeq - s.digestToSeq,
        headHash: s.headHash,
        ...s.pending,
        periodStart: s.periodStart!,
        periodEnd,
        digestEvery: policy.digestEvery,
        signedAt: time,
        prevSignature: s.digestSignature,
        alg: DIGEST_ALG,
        keyFingerprint: signer.fingerprint,
      },
      signer,
    );
    digests.push(digest);
    s = {
      ...s,
      digestSeq: digest.digestSeq,
      digestSignature: digest.signature,
      digestToSeq: s.ledgerSeq,
      periodStart: periodEnd,
      pending: EMPTY_SPAN,
    };
  };

  if (s.periodStart === null) s.periodStart = time;
  while (hourEnd(s.periodStart!) <= time) {
    if (digests.length >= policy.maxDigestsPerBatch) return { state: s, entries: [], digests, hoursLeft: true };
    cut('hour', hourEnd(s.periodStart!));
  }

  const entries: LedgerEntry[] = [];
  for (const event of events) {
    const entry: LedgerEntry = {
      ledgerSeq: s.ledgerSeq + 1,
      position: event.position,
      transactionId: event.transactionId,
      eventId: event.eventId,
      eventHash: event.eventHash,
      prevHash: s.headHash,
      entryHash: entryHash(s.headHash, event.eventHash),
      sequencedAt: time,
    };
    entries.push(entry);
    s = {
      ...s,
      ledgerSeq: entry.ledgerSeq,
      headHash: entry.entryHash,
      checkpoint: { transactionId: BigInt(event.transactionId), position: BigInt(event.position) },
      pending: spanWith(s.pending, event),
    };
    if (s.ledgerSeq - s.digestToSeq >= policy.digestEvery) cut('count', time);
  }
  return { state: s, entries, digests, hoursLeft: false };
}

function spanWith(span: PendingSpan, event: HashedEvent): PendingSpan {
  const t = event.occurredAt;
  return {
    firstPosition: span.firstPosition ?? event.position,
    lastPosition: event.position,
    oldestOccurredAt: t === null ? span.oldestOccurredAt : Math.min(t, span.oldestOccurredAt ?? t),
    newestOccurredAt: t === null ? span.newestOccurredAt : Math.max(t, span.newestOccurredAt ?? t),
  };
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
