/**
 * What verify can find. Event kinds: `edited` (an event no longer hashes to what was chained, or a
 * ledger entry was altered), `deleted` (a chained event or entry is gone), `inserted` (an event or
 * entry that was never chained sits among chained ones), `reordered` (chained events are intact but
 * stand elsewhere in the order). Digest kinds: `digest-missing` (a digest that must exist does not),
 * `digest-forged` (a digest's signature, key or chain link is wrong).
 */
export type TamperKind = 'edited' | 'deleted' | 'inserted' | 'reordered' | 'digest-missing' | 'digest-forged';

export interface Finding {
  readonly kind: TamperKind;
  /** The first ledger sequence number affected. */
  readonly ledgerSeq: number;
  /**
   * `entry`: this very entry. `digest-range`: the ledger's own hashes agree with the events, so
   * whoever changed the events recomputed the ledger too; only the signed digest disagrees, and it
   * places the change between ledgerSeq and toLedgerSeq. `digest`: a digest itself.
   */
  readonly scope: 'entry' | 'digest-range' | 'digest';
  readonly toLedgerSeq?: number;
  readonly digestSeq?: number;
  readonly position?: string;
  readonly eventId?: string;
  readonly detail: string;
}

/** Lowest ledger sequence first; at the same sequence, an entry's own finding before a digest's. */
export function compareFindings(a: Finding, b: Finding): number {
  const rank = { entry: 0, 'digest-range': 1, digest: 2 } as const;
  return a.ledgerSeq - b.ledgerSeq || rank[a.scope] - rank[b.scope];
}
