import { generateKeyPairSync } from 'node:crypto';
import fc from 'fast-check';
import { type SignedDigest, digestSignatureValid, ed25519Signer } from './digest';
import { GENESIS_HASH, entryHash, eventHash } from './hash-chain';
import { HOUR_MICROS } from './micro-time';
import {
  type HashedEvent,
  INITIAL_STATE,
  type LedgerEntry,
  LedgerKeyMismatch,
  type SequencerState,
  planBatch,
} from './sequencer-plan';
import { fingerprintOf } from './signing-key';
import { ChainWalk } from './verify/chain-walk';
import { checkDigests } from './verify/digest-checks';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const signer = ed25519Signer(privateKey, fingerprintOf(publicKey));
const keys = new Map([[signer.fingerprint, publicKey]]);
const T0 = Date.parse('2026-11-28T10:30:00Z') * 1000;
const policy = { digestEvery: 3, maxDigestsPerBatch: 100 };

let position = 0;
const events = (n: number): HashedEvent[] =>
  Array.from({ length: n }, () => {
    position += 2; // positions have gaps
    return {
      position: String(position),
      transactionId: String(1000 + position),
      eventId: `e${position}`,
      eventHash: eventHash(`{"p":${position}}`),
      occurredAt: T0 - position,
    };
  });

describe('planBatch', () => {
  it('chains events in the order given, from the genesis hash, with gapless sequence numbers', () => {
    const batch = events(2);
    const plan = planBatch(INITIAL_STATE, batch, T0, policy, signer);
    expect(plan.entries.map((e) => e.ledgerSeq)).toEqual([1, 2]);
    expect(plan.entries[0]).toMatchObject({
      prevHash: GENESIS_HASH,
      entryHash: entryHash(GENESIS_HASH, batch[0]!.eventHash),
      sequencedAt: T0,
    });
    expect(plan.entries[1]!.prevHash).toBe(plan.entries[0]!.entryHash);
    expect(plan.state).toMatchObject({
      ledgerSeq: 2,
      headHash: plan.entries[1]!.entryHash,
      periodStart: T0,
      digestSeq: 0,
    });
    expect(plan.state.checkpoint).toEqual({
      transactionId: BigInt(batch[1]!.transactionId),
      position: BigInt(batch[1]!.position),
    });
  });

  it('signs a digest each time digestEvery entries are undigested, chained by signature', () => {
    const plan = planBatch(INITIAL_STATE, events(7), T0, policy, signer);
    expect(plan.digests.map((d) => [d.reason, d.fromLedgerSeq, d.toLedgerSeq, d.eventCount])).toEqual([
      ['count', 1, 3, 3],
      ['count', 4, 6, 3],
    ]);
    const [first, second] = plan.digests as [SignedDigest, SignedDigest];
    expect(first.prevSignature).toBeNull();
    expect(second.prevSignature).toBe(first.signature);
    expect(second.headHash).toBe(plan.entries[5]!.entryHash);
    expect(digestSignatureValid(second, publicKey)).toBe(true);
    expect(digestSignatureValid({ ...second, eventCount: 4 }, publicKey)).toBe(false);
    expect(plan.state).toMatchObject({
      digestToSeq: 6,
      digestSeq: 2,
      pending: { firstPosition: plan.entries[6]!.position },
    });
  });

  it('closes each hour that ended before chaining, with empty digests for quiet hours', () => {
    const first = planBatch(INITIAL_STATE, events(1), T0, policy, signer);
    const later = planBatch(first.state, events(1), T0 + 3 * HOUR_MICROS, policy, signer);
    expect(later.digests.map((d) => [d.reason, d.eventCount, d.periodStart, d.periodEnd])).toEqual([
      ['hour', 1, T0, T0 + HOUR_MICROS / 2], // 10:30 to 11:00, with the first entry
      ['hour', 0, T0 + HOUR_MICROS / 2, T0 + (3 * HOUR_MICROS) / 2],
      ['hour', 0, T0 + (3 * HOUR_MICROS) / 2, T0 + (5 * HOUR_MICROS) / 2],
    ]);
    expect(later.entries[0]).toMatchObject({ ledgerSeq: 2, sequencedAt: T0 + 3 * HOUR_MICROS });
    expect(later.state.periodStart).toBe(T0 + (5 * HOUR_MICROS) / 2);
  });

  it('leaves the events for later when more hours are due than a batch may close', () => {
    const first = planBatch(INITIAL_STATE, [], T0, policy, signer);
    const plan = planBatch(first.state, events(2), T0 + 10 * HOUR_MICROS, { ...policy, maxDigestsPerBatch: 4 }, signer);
    expect(plan).toMatchObject({ hoursLeft: true, entries: [] });
    expect(plan.digests).toHaveLength(4);
  });

  it('never lets time run back within the open period', () => {
    const first = planBatch(INITIAL_STATE, [], T0, policy, signer);
    const plan = planBatch(first.state, events(1), T0 - 5_000_000, policy, signer);
    expect(plan.entries[0]!.sequencedAt).toBe(T0);
  });

  it('refuses to sign a chain signed with another key', () => {
    const signed: SequencerState = { ...INITIAL_STATE, keyFingerprint: 'someone else' };
    expect(() => planBatch(signed, events(1), T0, policy, signer)).toThrow(LedgerKeyMismatch);
  });

  it('makes ledgers that verify, for any batches at any times', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ size: fc.nat(8), advance: fc.nat(2 * HOUR_MICROS) }), { maxLength: 30 }),
        fc.integer({ min: 1, max: 6 }),
        (batches, digestEvery) => {
          let state = INITIAL_STATE;
          let now = T0;
          const entries: LedgerEntry[] = [];
          const digests: SignedDigest[] = [];
          const byPosition = new Map<string, HashedEvent>();
          for (const { size, advance } of batches) {
            now += advance;
            const batch = events(size);
            batch.forEach((event) => byPosition.set(event.position, event));
            let plan = planBatch(state, batch, now, { digestEvery, maxDigestsPerBatch: 3 }, signer);
            digests.push(...plan.digests);
            while (plan.hoursLeft) {
              plan = planBatch(plan.state, batch, now, { digestEvery, maxDigestsPerBatch: 3 }, signer);
              digests.push(...plan.digests);
            }
            entries.push(...plan.entries);
            state = plan.state;
          }
          const check = checkDigests(digests, keys);
          expect(check.findings).toEqual([]);
          const walk = new ChainWalk(check.trusted);
          for (const entry of entries)
            walk.push({
              ...entry,
              seq: entry.ledgerSeq,
              actual: { ...byPosition.get(entry.position)!, eventHash: byPosition.get(entry.position)!.eventHash },
            });
          const result = walk.finish();
          expect(result.problems).toEqual([]);
          expect(result.undigested).toBeLessThan(digestEvery);
          expect(result.firstOverdue).toBeUndefined();
          expect(entries.map((e) => e.ledgerSeq)).toEqual(entries.map((_, i) => i + 1));
        },
      ),
      { numRuns: 150 },
    );
  });
});
