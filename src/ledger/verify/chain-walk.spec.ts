import { generateKeyPairSync } from 'node:crypto';
import fc from 'fast-check';
import { ed25519Signer } from '../digest';
import { entryHash, eventHash } from '../hash-chain';
import { INITIAL_STATE, planBatch } from '../sequencer-plan';
import { fingerprintOf } from '../signing-key';
import { ChainWalk, type WalkEntry, type WalkWindow } from './chain-walk';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const signer = ed25519Signer(privateKey, fingerprintOf(publicKey));
const HOUR = 3_600_000_000;

/** 40 entries made by planBatch, a digest every 6; the events stand untouched, an hour of entries apart every 7. */
function ledger() {
  const events = Array.from({ length: 40 }, (_, i) => ({
    position: String(10 * (i + 1)),
    transactionId: String(100 + i),
    eventId: `e${i + 1}`,
    eventHash: eventHash(`e${i + 1}`),
    occurredAt: 1_000_000 * i,
  }));
  const plan = planBatch(
    INITIAL_STATE,
    events,
    1_800_000_000_000_000,
    { digestEvery: 6, maxDigestsPerBatch: 10 },
    signer,
  );
  const entries: WalkEntry[] = plan.entries.map((entry, i) => ({
    ...entry,
    seq: entry.ledgerSeq,
    sequencedAt: entry.sequencedAt + Math.floor(i / 7) * HOUR,
    actual: { eventHash: entry.eventHash, eventId: entry.eventId, occurredAt: events[i]!.occurredAt },
  }));
  return { entries, digests: [...plan.digests] };
}

/** Ways to tamper with an entry as the walk sees it. */
const tamperings: ((e: WalkEntry) => WalkEntry)[] = [
  (e) => ({ ...e, actual: e.actual && { ...e.actual, eventHash: eventHash('edited') } }),
  (e) => ({ ...e, actual: undefined }),
  (e) => ({ ...e, actual: e.actual && { ...e.actual, eventHash: null } }),
  (e) => ({ ...e, prevHash: eventHash('prev') }),
  (e) => ({ ...e, entryHash: eventHash('entry') }),
  (e) => ({ ...e, seq: e.seq + 1 }),
  (e) => ({ ...e, seq: e.seq - 1 }),
  (e) => ({ ...e, position: `${e.position}1` }),
  (e) => ({ ...e, sequencedAt: null }),
  (e) => ({ ...e, actual: e.actual && { ...e.actual, occurredAt: null } }),
];

/**
 * A window over entries as window-columns.ts presents one: `clean` by the same rule markClean
 * applies to a window read from the database (every check an entry passes alone and against the
 * entry before it in the window).
 */
function windowOf(entries: readonly WalkEntry[]): WalkWindow {
  const clean = entries.map((e, i) => {
    const before = entries[i - 1];
    return (
      entryHash(e.prevHash, e.eventHash) === e.entryHash &&
      e.actual?.eventHash === e.eventHash &&
      (before === undefined || (e.seq === before.seq + 1 && e.prevHash === before.entryHash))
    );
  });
  return {
    count: entries.length,
    seq: Float64Array.from(entries, (e) => e.seq),
    sequencedAt: Float64Array.from(entries, (e) => e.sequencedAt ?? NaN),
    occurredAt: Float64Array.from(entries, (e) => e.actual?.occurredAt ?? NaN),
    clean: (i) => clean[i]!,
    prevHash: (i) => entries[i]!.prevHash,
    entryHash: (i) => entries[i]!.entryHash,
    position: (i) => entries[i]!.position,
    entry: (i) => entries[i]!,
  };
}

describe('ChainWalk.pushWindow', () => {
  it('ends as pushing every entry one by one does, whatever was tampered with and wherever windows are cut', () => {
    const base = ledger();
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(39), fc.nat(tamperings.length - 1)), { maxLength: 4 }),
        fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 12 }),
        fc.nat(3), // drop, duplicate or swap entries too
        fc.nat(39),
        fc.subarray(base.digests),
        (changes, cuts, reshape, at, digests) => {
          const entries = [...base.entries];
          for (const [i, how] of changes) entries[i] = tamperings[how]!(entries[i]!);
          if (reshape === 1) entries.splice(at, 1);
          if (reshape === 2) entries.splice(at, 0, entries[at]!);
          if (reshape === 3 && at < 39) [entries[at], entries[at + 1]] = [entries[at + 1]!, entries[at]!];

          const one = new ChainWalk(digests, 1000);
          for (const entry of entries) one.push(entry);
          const windows = new ChainWalk(digests, 1000);
          let from = 0;
          for (const size of [...cuts, entries.length]) {
            windows.pushWindow(windowOf(entries.slice(from, from + size)));
            from += size;
            if (from >= entries.length) break;
          }
          expect(windows.finish()).toEqual(one.finish());
        },
      ),
      { numRuns: 500 },
    );
  });

  it('takes an untouched ledger without a problem, and its head, digests and overdue entry as push does', () => {
    const { entries, digests } = ledger();
    const walk = new ChainWalk(digests.slice(0, 3));
    walk.pushWindow(windowOf(entries.slice(0, 17)));
    walk.pushWindow(windowOf(entries.slice(17)));
    const result = walk.finish();
    expect(result).toMatchObject({ entries: 40, lastSeq: 40, problems: [], headHash: entries[39]!.entryHash });
    expect(result.undigested).toBe(40 - digests[2]!.toLedgerSeq);
    expect(result.firstOverdue?.seq).toBeGreaterThan(digests[2]!.toLedgerSeq);
  });
});
