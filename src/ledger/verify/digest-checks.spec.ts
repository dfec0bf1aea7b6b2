import { generateKeyPairSync } from 'node:crypto';
import { type SignedDigest, ed25519Signer, signDigest } from '../digest';
import { HOUR_MICROS } from '../micro-time';
import { INITIAL_STATE, planBatch } from '../sequencer-plan';
import { fingerprintOf } from '../signing-key';
import { checkDigests } from './digest-checks';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const signer = ed25519Signer(privateKey, fingerprintOf(publicKey));
const keys = new Map([[signer.fingerprint, publicKey]]);
const T0 = Date.parse('2026-11-28T10:00:00Z') * 1000;

/** Five hour digests, empty (quiet hours). */
function quietHours(): SignedDigest[] {
  const start = planBatch(INITIAL_STATE, [], T0, { digestEvery: 10, maxDigestsPerBatch: 10 }, signer);
  return [
    ...planBatch(start.state, [], T0 + 5 * HOUR_MICROS, { digestEvery: 10, maxDigestsPerBatch: 10 }, signer).digests,
  ];
}

describe('checkDigests', () => {
  it('trusts a gapless chain of digests signed by a known key', () => {
    expect(checkDigests(quietHours(), keys)).toMatchObject({ findings: [], trusted: { length: 5 } });
  });

  it('reports a gap as missing, once per gap', () => {
    const digests = quietHours().filter((d) => d.digestSeq !== 2 && d.digestSeq !== 3);
    expect(checkDigests(digests, keys).findings).toEqual([
      expect.objectContaining({ kind: 'digest-missing', digestSeq: 2, detail: 'digests 2 to 3 are missing' }),
    ]);
  });

  it('reports a digest signed by an unknown key, or not matching its signature', () => {
    const { publicKey: other } = generateKeyPairSync('ed25519');
    expect(checkDigests(quietHours(), new Map([[signer.fingerprint, other]])).findings[0]).toMatchObject({
      kind: 'digest-forged',
      digestSeq: 1,
    });
    expect(checkDigests(quietHours(), new Map()).findings[0]).toMatchObject({
      kind: 'digest-forged',
      detail: expect.stringContaining('unknown key'),
    });
  });

  it('reports a validly signed digest that breaks the chain or the rules', () => {
    const digests = quietHours();
    // Signed with the right key (a rogue signer), but chained to nothing and crossing an hour.
    const rogue = signDigest(
      { ...digests[2]!, prevSignature: null, periodEnd: digests[2]!.periodEnd + HOUR_MICROS },
      signer,
    );
    const findings = checkDigests([...digests.slice(0, 2), rogue, ...digests.slice(3)], keys).findings;
    expect(findings[0]).toMatchObject({
      kind: 'digest-forged',
      digestSeq: 3,
      detail: expect.stringContaining("does not chain to digest 2's signature"),
    });
    expect(findings[1]).toMatchObject({ kind: 'digest-forged', digestSeq: 4 }); // its successor no longer follows
  });

  it('reports a digest that appears twice', () => {
    const digests = quietHours();
    expect(checkDigests([...digests, digests[1]!], keys).findings[0]).toMatchObject({
      kind: 'digest-forged',
      digestSeq: 2,
      detail: 'digest 2 appears twice',
    });
  });
});
