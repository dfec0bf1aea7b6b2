import type { KeyObject } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../database/database.types';
import { eventLineById, eventsAfterCapped } from '../../event-store/queries/ledger-reads';
import type { SignedDigest } from '../digest';
import { eventHash } from '../hash-chain';
import { EVENT_LINE_SQL, type LedgerEventRow, canonicalEvent, parseEventLine } from '../ledger-event';
import { readDigests } from '../ledger-store';
import { type ActualEvent, ChainWalk } from './chain-walk';
import type { Lookups } from './classify';
import { checkDigests } from './digest-checks';
import { type LooseEvent, walkWindowOf } from './window-columns';
import { type VerifyReport, buildReport } from './verify-report';
import { ledgerWindows, openWindowSource } from './window-source';

export interface OnlineVerifyOptions {
  /** Keyed by fingerprint (signing-key.ts fingerprintOf). */
  readonly publicKeys: ReadonlyMap<string, KeyObject>;
  /** The database again, for the connections that read the ledger (one per worker thread). */
  readonly connectionString: string;
  /** Worker threads reading and hashing (window-source.ts); 0 reads in this thread. */
  readonly workers?: number;
  /** Ledger entries per window. */
  readonly windowSize?: number;
  readonly onProgress?: (entries: number, total: number) => void;
}

/** What verify fixes at its start, in one snapshot: the ledger up to here, and the digests then. */
export interface LedgerSnapshot {
  readonly headSeq: number;
  readonly headTransactionId: string;
  readonly headPosition: string;
  readonly stateDigestSeq: number;
  readonly digests: SignedDigest[];
}

/**
 * Verifies the ledger in the database: every entry against its event and its
 * predecessor, every digest against its signature, its predecessor and the entries it covers, and
 * every event in the stretch of log the ledger covers for an entry. The service may keep appending
 * meanwhile: the walk ends at the head seen at the start and holds no snapshot for longer than a
 * window's read.
 */
export async function verifyOnline(db: Kysely<Database>, options: OnlineVerifyOptions): Promise<VerifyReport> {
  const startedAt = Date.now();
  const snapshot = await ledgerSnapshot(db);
  const digestCheck = checkDigests(snapshot.digests, options.publicKeys);
  const walk = new ChainWalk(digestCheck.trusted);
  const loose: LooseEvent[] = [];
  const fetched = new Set<string>();
  const workers = options.workers;
  const source = await openWindowSource(options.connectionString, { workers });
  try {
    for await (const window of ledgerWindows(
      source,
      snapshot.headSeq,
      options.windowSize ?? 5000,
      2 * (workers ?? 4) + 1,
    )) {
      walk.pushWindow(walkWindowOf(window));
      loose.push(...window.loose);
      for (const position of window.fetchedByPosition) fetched.add(position);
      if (window.count > 0) options.onProgress?.(window.seq[window.count - 1]!, snapshot.headSeq);
    }
  } finally {
    await source.close();
  }
  const head = { transactionId: snapshot.headTransactionId, position: snapshot.headPosition };
  return buildReport({
    mode: 'online',
    walk: walk.finish(),
    digests: snapshot.digests,
    digestCheck,
    // A loose event that another window fetched by position belongs to an entry: it was moved, not added.
    strays: loose.filter((event) => !fetched.has(event.position)),
    lookups: sqlLookups(db),
    publicKeys: options.publicKeys,
    startedAt,
    stateDigestSeq: snapshot.stateDigestSeq,
    // Events after the head, not chained yet: counted up to a cap, since only a rough figure is wanted.
    unsequencedEvents: await eventsAfterCapped(db, head),
  });
}

export async function ledgerSnapshot(db: Kysely<Database>): Promise<LedgerSnapshot> {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      const { rows } = await sql<{ seq: string | null; tx: string | null; pos: string | null; digest_seq: string }>`
        SELECT l.ledger_seq::text AS seq, l.transaction_id::text AS tx, l.position::text AS pos,
               (SELECT digest_seq::text FROM ledger_state) AS digest_seq
          FROM (SELECT 1) AS one LEFT JOIN LATERAL (SELECT * FROM ledger ORDER BY ledger_seq DESC LIMIT 1) l ON true`.execute(
        trx,
      );
      const head = rows[0]!;
      return {
        headSeq: Number(head.seq ?? 0),
        headTransactionId: head.tx ?? '0',
        headPosition: head.pos ?? '0',
        stateDigestSeq: Number(head.digest_seq),
        digests: await readDigests(trx),
      };
    });
}

/** An event's hash as it stands, or as if it stood at `position`. */
export function actualEvent(event: LedgerEventRow, position?: string): ActualEvent {
  let hash: string | null;
  try {
    hash = eventHash(canonicalEvent(event, position));
  } catch {
    hash = null;
  }
  return {
    eventHash: hash,
    eventId: event.eventId,
    occurredAt: typeof event.occurredAt === 'number' ? event.occurredAt : null,
  };
}

/** Classification's questions, as SQL; they run only for what failed, so a scan is acceptable. */
export function sqlLookups(db: Kysely<Database>): Lookups {
  const one = async (query: ReturnType<typeof sql<{ seq: string | null }>>) => {
    const { rows } = await query.execute(db);
    return rows[0]?.seq == null ? undefined : Number(rows[0].seq);
  };
  return {
    seqOfEntryHash: (hash) =>
      one(sql`SELECT ledger_seq::text AS seq FROM ledger WHERE entry_hash = decode(${hash}, 'hex') LIMIT 1`),
    seqOfPosition: (position) =>
      one(sql`SELECT ledger_seq::text AS seq FROM ledger WHERE position = ${position}::bigint`),
    seqAfter: (transactionId, position) =>
      one(sql`SELECT min(ledger_seq)::text AS seq FROM ledger
               WHERE (transaction_id, position) > (${transactionId}::xid8, ${position}::bigint)`),
    eventNow: async (eventId, position) => {
      const line = await eventLineById(db, eventId, EVENT_LINE_SQL);
      if (line === undefined) return undefined;
      let event: LedgerEventRow;
      try {
        event = parseEventLine(line);
      } catch {
        return undefined;
      }
      return {
        position: event.position,
        hashThere: actualEvent(event).eventHash ?? '',
        hashHere: actualEvent(event, position).eventHash ?? '',
      };
    },
  };
}
