import type { SignedDigest } from '../digest';
import { type ChainLink, GENESIS_HASH, entryHash } from '../hash-chain';
import { type Micros, hourEnd } from '../micro-time';

/** A ledger entry as stored, with what the event it names looks like now. */
export interface WalkEntry extends ChainLink {
  readonly seq: number;
  readonly sequencedAt: Micros | null;
  /** The event at `position` now; undefined when there is none. */
  readonly actual: ActualEvent | undefined;
  /** Whether entryHash is SHA-256(prevHash || eventHash), when the reader checked it already (a worker thread). */
  readonly entryOk?: boolean;
}

/**
 * A window of consecutive entries as pushWindow reads them (window-columns.ts makes one): numbers
 * straight from arrays, and strings only when asked for.
 */
export interface WalkWindow {
  readonly count: number;
  readonly seq: Float64Array;
  /** NaN for null. */
  readonly sequencedAt: Float64Array;
  /** Of the event at the position now; NaN for null. */
  readonly occurredAt: Float64Array;
  /** Entry i passed every check against its event and, unless it is the first, against entry i - 1. */
  clean(i: number): boolean;
  prevHash(i: number): string;
  entryHash(i: number): string;
  position(i: number): string;
  entry(i: number): WalkEntry;
}

export interface ActualEvent {
  /** Its hash now; null when it cannot even be read as an event. */
  readonly eventHash: string | null;
  /** The id of the event standing there; readers may leave the chained one when the hash matches. */
  readonly eventId: string;
  readonly occurredAt: Micros | null;
}

/** An entry that failed a check: kept for classification, which may look things up. */
export interface EntryProblem {
  readonly type: 'entry';
  readonly entry: WalkEntry;
  /** The sequence the entry should have had: the previous one's plus one. */
  readonly expectedSeq: number;
  readonly seqOk: boolean;
  /** Its prev_hash is the previous entry's entry_hash. */
  readonly prevOk: boolean;
  /** Its entry_hash is SHA-256(prev_hash || event_hash). */
  readonly entryOk: boolean;
  /** The event at its position hashes to its event_hash. */
  readonly eventOk: boolean;
}

/** A trusted digest that disagrees with the ledger over a range in which every entry checked out. */
export interface DigestRangeProblem {
  readonly type: 'digest-range';
  readonly digest: SignedDigest;
  readonly detail: string;
}

export type WalkProblem = EntryProblem | DigestRangeProblem;

export interface WalkResult {
  readonly entries: number;
  readonly lastSeq: number;
  readonly headHash: string;
  readonly problems: readonly WalkProblem[];
  /** Trusted digests whose entries are not all in the ledger any more (the tail was cut off). */
  readonly beyondHead: readonly SignedDigest[];
  /** Entries after the last trusted digest. */
  readonly undigested: number;
  /** The first entry sequenced after the hour in which the last digest ended: a digest was due by then. */
  readonly firstOverdue: WalkEntry | undefined;
}

interface Span {
  firstPosition: string | null;
  lastPosition: string | null;
  oldest: Micros | null;
  newest: Micros | null;
  problem: boolean;
}

/**
 * Walks the ledger in order, checking each entry against its event and its predecessor, and each
 * trusted digest against the entries it covers. Synchronous and without I/O, so the hot loop stays
 * cheap; what fails is kept (up to `maxProblems`) for classification afterwards. After a failed
 * entry the walk goes on from that entry's stored hash, so one tampered event is one finding, not
 * a cascade.
 */
export class ChainWalk {
  private readonly problems: WalkProblem[] = [];
  private readonly digests: SignedDigest[];
  private nextDigest = 0;
  private span: Span = ChainWalk.emptySpan();
  private count = 0;
  private lastSeq = 0;
  private head = GENESIS_HASH;
  private undigested = 0;
  private firstOverdue: WalkEntry | undefined;
  private readonly lastDigestEnd: number;
  private overdueAt: Micros | undefined;
  /** pushWindow's last clean entry, whose entry hash and position head and span.lastPosition have not taken yet. */
  private unsettled: { window: WalkWindow; i: number } | undefined;

  constructor(
    trusted: readonly SignedDigest[],
    private readonly maxProblems = 100,
  ) {
    this.digests = [...trusted].sort((a, b) => a.toLedgerSeq - b.toLedgerSeq || a.digestSeq - b.digestSeq);
    const last = this.digests.reduce<SignedDigest | undefined>(
      (l, d) => (!l || d.digestSeq > l.digestSeq ? d : l),
      undefined,
    );
    this.lastDigestEnd = last?.toLedgerSeq ?? 0;
    this.overdueAt = last ? hourEnd(last.periodEnd) : undefined;
    this.closeDigestsAt(0);
  }

  push(entry: WalkEntry): void {
    this.settle();
    const expectedSeq = this.lastSeq + 1;
    const seqOk = entry.seq === expectedSeq;
    const prevOk = entry.prevHash === this.head;
    const entryOk = entry.entryOk ?? entryHash(entry.prevHash, entry.eventHash) === entry.entryHash;
    const eventOk = entry.actual !== undefined && entry.actual.eventHash === entry.eventHash;
    if (!(seqOk && prevOk && entryOk && eventOk)) {
      this.keep({ type: 'entry', entry, expectedSeq, seqOk, prevOk, entryOk, eventOk });
      this.span.problem = true;
    }
    this.count += 1;
    this.head = entry.entryHash;
    this.lastSeq = Math.max(entry.seq, expectedSeq);
    this.addToSpan(entry);
    if (this.undigestedOverdue(entry.seq, entry.sequencedAt ?? NaN)) this.firstOverdue = entry;
    this.closeDigestsAt(entry.seq);
  }

  /**
   * push for each entry of the window, with the same outcome. An entry the window found clean, that
   * follows the walk's head, only moves the counters on: no object, no hex, until an entry fails, a
   * digest closes or the window ends, when the head and the span's last position are written out.
   */
  pushWindow(w: WalkWindow): void {
    let follows = false; // entry i - 1 was taken here, so the window's check of i against it stands
    for (let i = 0; i < w.count; i++) {
      const seq = w.seq[i]!;
      if (!w.clean(i) || !(follows || (seq === this.lastSeq + 1 && w.prevHash(i) === this.head))) {
        this.push(w.entry(i));
        follows = false;
        continue;
      }
      follows = true;
      this.count += 1;
      this.lastSeq = seq;
      this.unsettled = { window: w, i };
      if (this.span.firstPosition === null) this.span.firstPosition = w.position(i);
      this.widenSpan(w.occurredAt[i]!);
      if (this.undigestedOverdue(seq, w.sequencedAt[i]!)) this.firstOverdue = w.entry(i);
      if (this.nextDigest < this.digests.length && this.digests[this.nextDigest]!.toLedgerSeq <= seq) {
        this.settle();
        this.closeDigestsAt(seq);
      }
    }
    this.settle();
  }

  finish(): WalkResult {
    this.settle();
    return {
      entries: this.count,
      lastSeq: this.lastSeq,
      headHash: this.head,
      problems: this.problems,
      beyondHead: this.digests.slice(this.nextDigest).filter((d) => d.toLedgerSeq > this.lastSeq),
      undigested: this.undigested,
      firstOverdue: this.firstOverdue,
    };
  }

  private keep(problem: WalkProblem): void {
    if (this.problems.length < this.maxProblems) this.problems.push(problem);
  }

  private addToSpan(entry: WalkEntry): void {
    this.span.firstPosition ??= entry.position;
    this.span.lastPosition = entry.position;
    this.widenSpan(entry.actual?.occurredAt ?? NaN);
  }

  /** Counts an entry after the last digest; true when it is the first sequenced after a digest was due. */
  private undigestedOverdue(seq: number, sequencedAt: number): boolean {
    if (seq <= this.lastDigestEnd) return false;
    this.undigested += 1;
    if (this.firstOverdue !== undefined || Number.isNaN(sequencedAt)) return false;
    // Without any digest, the hour of the first entry had to end with one.
    this.overdueAt ??= hourEnd(sequencedAt);
    return sequencedAt >= this.overdueAt;
  }

  /** The span's event times take `t` in (NaN: none). */
  private widenSpan(t: number): void {
    if (Number.isNaN(t)) return;
    const span = this.span;
    span.oldest = span.oldest === null ? t : Math.min(span.oldest, t);
    span.newest = span.newest === null ? t : Math.max(span.newest, t);
  }

  /** Writes out what pushWindow left unsettled: the head, and the span's last position. */
  private settle(): void {
    if (!this.unsettled) return;
    const { window, i } = this.unsettled;
    this.unsettled = undefined;
    this.head = window.entryHash(i);
    this.span.lastPosition = window.position(i);
  }

  /** Compares every digest that ends at `seq` with what the walk saw since the previous one. */
  private closeDigestsAt(seq: number): void {
    while (this.nextDigest < this.digests.length && this.digests[this.nextDigest]!.toLedgerSeq <= seq) {
      const digest = this.digests[this.nextDigest++]!;
      if (digest.toLedgerSeq === seq) {
        const empty = digest.eventCount === 0;
        const span = empty ? ChainWalk.emptySpan() : this.span;
        const mismatch =
          digest.headHash !== this.head
            ? `states head ${digest.headHash.slice(0, 16)}… after ledger sequence ${seq}, but the ledger has ${this.head.slice(0, 16)}…`
            : digest.firstPosition !== span.firstPosition || digest.lastPosition !== span.lastPosition
              ? `states positions ${digest.firstPosition}..${digest.lastPosition}, but the ledger has ${span.firstPosition}..${span.lastPosition}`
              : digest.oldestOccurredAt !== span.oldest || digest.newestOccurredAt !== span.newest
                ? 'states other event times than the events have'
                : undefined;
        if (mismatch && !this.span.problem)
          this.keep({ type: 'digest-range', digest, detail: `digest ${digest.digestSeq} ${mismatch}` });
      }
      if (digest.eventCount > 0 || digest.toLedgerSeq < seq) this.span = ChainWalk.emptySpan();
    }
  }

  private static emptySpan(): Span {
    return { firstPosition: null, lastPosition: null, oldest: null, newest: null, problem: false };
  }
}
