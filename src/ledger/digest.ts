import { type KeyObject, sign, verify } from 'node:crypto';
import { canonicalJson } from './canonical-json';
import { type Micros, isoMicros } from './micro-time';

/** Names the rules a verifier applies: the event's canonical form, the chain and these digests. */
export const LEDGER_FORMAT = 'aliastrail-ledger/1';
export const DIGEST_ALG = 'Ed25519';

/**
 * What a digest states, all of it signed: which ledger entries were sequenced in its period
 * (from..to, none for a quiet hour), the chain's head after them, the positions and event times
 * they span, the policy it was cut under, and the previous digest's signature, which chains the
 * digests as CloudTrail chains its digest files.
 */
export interface DigestContent {
  readonly format: string;
  readonly reason: 'hour' | 'count';
  readonly digestSeq: number;
  readonly fromLedgerSeq: number;
  /** fromLedgerSeq - 1 for a digest without entries. */
  readonly toLedgerSeq: number;
  readonly eventCount: number;
  readonly headHash: string;
  readonly firstPosition: string | null;
  readonly lastPosition: string | null;
  readonly oldestOccurredAt: Micros | null;
  readonly newestOccurredAt: Micros | null;
  /** The period covers the entries sequenced at times in [periodStart, periodEnd]. */
  readonly periodStart: Micros;
  readonly periodEnd: Micros;
  /** The count policy in force: a digest is due whenever this many entries are undigested. */
  readonly digestEvery: number;
  readonly signedAt: Micros;
  /** Hex; null only for the first digest. */
  readonly prevSignature: string | null;
  readonly alg: string;
  /** SHA-256 of the public key (SPKI, DER) in hex: which key signed, without trusting the database for the key. */
  readonly keyFingerprint: string;
}

export interface SignedDigest extends DigestContent {
  /** Ed25519 over the UTF-8 of digestDocument(content), in hex. */
  readonly signature: string;
}

/** Signs on behalf of the ledger; the private key stays in the service's memory. */
export interface DigestSigner {
  readonly fingerprint: string;
  sign(document: string): string;
}

/** The signed text: RFC 8785 canonical JSON of the content, with the column names of ledger_digests. */
export function digestDocument(content: DigestContent): string {
  const instant = (micros: Micros | null) => (micros === null ? null : isoMicros(micros));
  return canonicalJson({
    format: content.format,
    reason: content.reason,
    digest_seq: content.digestSeq,
    from_ledger_seq: content.fromLedgerSeq,
    to_ledger_seq: content.toLedgerSeq,
    event_count: content.eventCount,
    head_hash: content.headHash,
    first_position: content.firstPosition,
    last_position: content.lastPosition,
    oldest_occurred_at: instant(content.oldestOccurredAt),
    newest_occurred_at: instant(content.newestOccurredAt),
    period_start: isoMicros(content.periodStart),
    period_end: isoMicros(content.periodEnd),
    digest_every: content.digestEvery,
    signed_at: isoMicros(content.signedAt),
    prev_signature: content.prevSignature,
    alg: content.alg,
    key_fingerprint: content.keyFingerprint,
  });
}

/**
 * A digest from a record of its document's members and its signature (a ledger_digests row, a
 * line of the export), instants read by `instant` (given neither null nor undefined). Read as
 * stored: a value that is not what was signed fails the signature.
 */
export function digestOf(v: Record<string, unknown>, instant: (value: unknown) => Micros): SignedDigest {
  const text = (name: string) => (v[name] === null || v[name] === undefined ? null : String(v[name]));
  const time = (name: string) => (v[name] === null || v[name] === undefined ? null : instant(v[name]));
  return {
    format: String(v.format),
    reason: v.reason as SignedDigest['reason'],
    digestSeq: Number(v.digest_seq),
    fromLedgerSeq: Number(v.from_ledger_seq),
    toLedgerSeq: Number(v.to_ledger_seq),
    eventCount: Number(v.event_count),
    headHash: String(v.head_hash),
    firstPosition: text('first_position'),
    lastPosition: text('last_position'),
    oldestOccurredAt: time('oldest_occurred_at'),
    newestOccurredAt: time('newest_occurred_at'),
    periodStart: time('period_start') ?? Number.NaN,
    periodEnd: time('period_end') ?? Number.NaN,
    digestEvery: Number(v.digest_every),
    signedAt: time('signed_at') ?? Number.NaN,
    prevSignature: text('prev_signature'),
    alg: String(v.alg),
    keyFingerprint: String(v.key_fingerprint),
    signature: String(v.signature),
  };
}

export function signDigest(content: DigestContent, signer: DigestSigner): SignedDigest {
  return { ...content, signature: signer.sign(digestDocument(content)) };
}

/** A signer over an Ed25519 private key. */
export function ed25519Signer(privateKey: KeyObject, fingerprint: string): DigestSigner {
  return { fingerprint, sign: (document) => sign(null, Buffer.from(document, 'utf8'), privateKey).toString('hex') };
}

/** Whether `publicKey` signed exactly this digest. */
export function digestSignatureValid(digest: SignedDigest, publicKey: KeyObject): boolean {
  if (digest.alg !== DIGEST_ALG || !/^[0-9a-f]{128}$/.test(digest.signature)) return false;
  try {
    return verify(null, Buffer.from(digestDocument(digest), 'utf8'), publicKey, Buffer.from(digest.signature, 'hex'));
  } catch {
    return false; // content that cannot even be written out (a time out of range) was not signed
  }
}
