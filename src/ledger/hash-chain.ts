import { hash } from 'node:crypto';

/** The hash before the first entry: what entry 1 chains to, and the head of an empty ledger. */
export const GENESIS_HASH = '0'.repeat(64);

/** SHA-256 of an event's canonical text (ledger-event.ts), or of its UTF-8 bytes, in hex. */
export function eventHash(canonical: string | Buffer): string {
  return hash('sha256', canonical, 'hex');
}

/**
 * entry_hash = SHA-256(prev_hash || event_hash), over the 64 raw bytes. Chaining the event's hash
 * rather than its text costs one more 64-byte hash and lets verify check an event against its own
 * entry, so it can say which event changed and how, not only that the chain broke after it.
 */
export function entryHash(prevHash: string, eventHashHex: string): string {
  return hash('sha256', Buffer.from(prevHash + eventHashHex, 'hex'), 'hex');
}

/** What every form of a ledger entry names: the event it chains and the hashes that chain it. */
export interface ChainLink {
  readonly position: string;
  readonly transactionId: string;
  readonly eventId: string;
  readonly eventHash: string;
  readonly prevHash: string;
  readonly entryHash: string;
}
