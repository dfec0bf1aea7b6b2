import type { KeyObject } from 'node:crypto';
import { DIGEST_ALG, LEDGER_FORMAT, type SignedDigest, digestSignatureValid } from '../digest';
import { HOUR_MICROS, hourEnd } from '../micro-time';
import type { Finding } from './finding';

export interface DigestCheck {
  /** Digests signed by a known key: what they state is authentic, whatever else is wrong. */
  readonly trusted: readonly SignedDigest[];
  readonly findings: readonly Finding[];
}

/**
 * Checks the digests among themselves: numbered 1, 2, 3… without gaps, each signed by one of
 * `publicKeys` (by fingerprint), each chained to its predecessor (its signature, the next ledger
 * sequence, the next period), each within the ledger's rules (a period never crosses an hour
 * boundary; an hour digest ends on one; a count digest holds exactly its policy's count).
 * Whether they agree with the ledger is the chain walk's part.
 */
export function checkDigests(
  digests: readonly SignedDigest[],
  publicKeys: ReadonlyMap<string, KeyObject>,
): DigestCheck {
  const sorted = [...digests].sort((a, b) => a.digestSeq - b.digestSeq);
  const findings: Finding[] = [];
  const trusted: SignedDigest[] = [];
  let previous: SignedDigest | undefined;
  let expected = 1;
  const forged = (digest: SignedDigest, detail: string) =>
    findings.push({
      kind: 'digest-forged',
      scope: 'digest',
      ledgerSeq: previous ? previous.toLedgerSeq + 1 : 1,
      digestSeq: digest.digestSeq,
      detail: `digest ${digest.digestSeq} ${detail}`,
    });
  for (const digest of sorted) {
    if (digest.digestSeq < expected) {
      forged(digest, 'appears twice');
      continue;
    }
    if (digest.digestSeq > expected) {
      findings.push({
        kind: 'digest-missing',
        scope: 'digest',
        ledgerSeq: previous ? previous.toLedgerSeq + 1 : 1,
        digestSeq: expected,
        detail:
          digest.digestSeq === expected + 1
            ? `digest ${expected} is missing`
            : `digests ${expected} to ${digest.digestSeq - 1} are missing`,
      });
      previous = undefined; // nothing to chain the next one to
    }
    expected = digest.digestSeq + 1;
    const key = publicKeys.get(digest.keyFingerprint);
    if (!key) forged(digest, `is signed by an unknown key (${digest.keyFingerprint})`);
    else if (!digestSignatureValid(digest, key)) forged(digest, 'does not match its signature');
    else {
      trusted.push(digest);
      const broken = previous
        ? brokenLink(previous, digest)
        : digest.digestSeq === 1
          ? firstDigestProblem(digest)
          : undefined;
      const rule = brokenRule(digest);
      if (broken ?? rule) forged(digest, (broken ?? rule)!);
    }
    previous = digest;
  }
  return { trusted, findings };
}

function brokenLink(previous: SignedDigest, digest: SignedDigest): string | undefined {
  if (digest.prevSignature !== previous.signature) return `does not chain to digest ${previous.digestSeq}'s signature`;
  if (digest.fromLedgerSeq !== previous.toLedgerSeq + 1)
    return `starts at ledger sequence ${digest.fromLedgerSeq}, not ${previous.toLedgerSeq + 1}`;
  if (digest.periodStart !== previous.periodEnd)
    return `does not start where digest ${previous.digestSeq}'s period ends`;
  return undefined;
}

function firstDigestProblem(digest: SignedDigest): string | undefined {
  if (digest.prevSignature !== null) return 'is the first, yet chains to a previous signature';
  if (digest.fromLedgerSeq !== 1) return `is the first, yet starts at ledger sequence ${digest.fromLedgerSeq}`;
  return undefined;
}

function brokenRule(digest: SignedDigest): string | undefined {
  if (digest.format !== LEDGER_FORMAT || digest.alg !== DIGEST_ALG)
    return `has an unknown format ${digest.format}/${digest.alg}`;
  if (digest.toLedgerSeq - digest.fromLedgerSeq + 1 !== digest.eventCount) return 'counts its entries wrong';
  if (digest.periodEnd < digest.periodStart || digest.periodEnd > hourEnd(digest.periodStart))
    return 'has a period that crosses an hour boundary';
  if (digest.reason === 'hour' && digest.periodEnd % HOUR_MICROS !== 0)
    return 'is an hour digest that does not end on the hour';
  if (digest.reason === 'count' && digest.eventCount !== digest.digestEvery)
    return `is a count digest of ${digest.eventCount} entries, not ${digest.digestEvery}`;
  return undefined;
}
