import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Database } from '../database/database.types';
import type { Checkpoint } from '../event-store/event.types';
import { committedEventLinesAfter, committedEventsWaiting } from '../event-store/queries/ledger-reads';
import { type SignedDigest, digestDocument, digestOf } from './digest';
import { EVENT_LINE_SQL, type LedgerEventRow, parseEventLine } from './ledger-event';
import { type Micros, isoMicros, microsSql } from './micro-time';
import type { LedgerEntry, SequencerState } from './sequencer-plan';

/** ledger_state as text, so no value is rounded on the way (int8, xid8, bytea, timestamptz). */
interface StateRow {
  ledger_seq: string;
  head_hash: string;
  transaction_id: string;
  position: string;
  digest_seq: string;
  digest_signature: string | null;
  digest_to_seq: string;
  period_start: string | null;
  pending_first_position: string | null;
  pending_last_position: string | null;
  pending_oldest_occurred_at: string | null;
  pending_newest_occurred_at: string | null;
  key_fingerprint: string | null;
}

const STATE_COLUMNS = sql.raw(
  `ledger_seq::text, encode(head_hash, 'hex') AS head_hash, transaction_id::text, position::text, digest_seq::text,
   encode(digest_signature, 'hex') AS digest_signature, digest_to_seq::text, ${microsSql('period_start')} AS period_start,
   pending_first_position::text, pending_last_position::text,
   ${microsSql('pending_oldest_occurred_at')} AS pending_oldest_occurred_at,
   ${microsSql('pending_newest_occurred_at')} AS pending_newest_occurred_at, key_fingerprint`,
);

const micros = (text: string | null): Micros | null => (text === null ? null : Number(text));

function toState(row: StateRow): SequencerState {
  return {
    ledgerSeq: Number(row.ledger_seq),
    headHash: row.head_hash,
    checkpoint: { transactionId: BigInt(row.transaction_id), position: BigInt(row.position) },
    digestSeq: Number(row.digest_seq),
    digestSignature: row.digest_signature,
    digestToSeq: Number(row.digest_to_seq),
    periodStart: micros(row.period_start),
    pending: {
      firstPosition: row.pending_first_position,
      lastPosition: row.pending_last_position,
      oldestOccurredAt: micros(row.pending_oldest_occurred_at),
      newestOccurredAt: micros(row.pending_newest_occurred_at),
    },
    keyFingerprint: row.key_fingerprint,
  };
}

/** The sequencer's row as it is now. */
export async function readState(db: Kysely<Database>): Promise<SequencerState> {
  const { rows } = await sql<StateRow>`SELECT ${STATE_COLUMNS} FROM ledger_state`.execute(db);
  if (!rows[0]) throw new Error('ledger_state has no row: is migration 0011 applied?');
  return toState(rows[0]);
}

/**
 * Locks the sequencer's row for this transaction, or returns undefined at once when another
 * instance holds it: that one is sequencing, and this one has nothing to add (SKIP LOCKED).
 */
export async function lockState(trx: Kysely<Database>): Promise<SequencerState | undefined> {
  const { rows } = await sql<StateRow>`SELECT ${STATE_COLUMNS} FROM ledger_state FOR UPDATE SKIP LOCKED`.execute(trx);
  return rows[0] && toState(rows[0]);
}

/** Whether the barrier-safe read after `after` would return anything: the idle poll, without a lock. */
export function eventsWaiting(db: Kysely<Database>, after: Checkpoint): Promise<boolean> {
  return committedEventsWaiting(db, after);
}

/**
 * The next committed events after `after` in (transaction_id, position) order, never past the
 * oldest running transaction: EventStore.readAll's snapshot barrier, reading every column in the
 * exact text the ledger hashes (readAll rounds instants to milliseconds). The event store runs the
 * read; the hashed form (EVENT_LINE_SQL) is the ledger's business.
 */
export async function readEventsAfter(
  db: Kysely<Database>,
  after: Checkpoint,
  limit: number,
): Promise<LedgerEventRow[]> {
  const lines = await committedEventLinesAfter(db, after, limit, EVENT_LINE_SQL);
  return lines.map((line) => parseEventLine(line));
}

/** Appends the batch's entries and digests and moves the state row, in the caller's transaction. */
export async function writeBatch(
  trx: Kysely<Database>,
  entries: readonly LedgerEntry[],
  digests: readonly SignedDigest[],
  state: SequencerState,
): Promise<void> {
  if (entries.length > 0)
    await sql`
      INSERT INTO ledger (ledger_seq, position, transaction_id, event_id, event_hash, prev_hash, entry_hash, sequenced_at)
      SELECT u.s, u.p, u.t::xid8, u.e::uuid, decode(u.eh, 'hex'), decode(u.ph, 'hex'), decode(u.h, 'hex'), u.at::timestamptz
        FROM unnest(${entries.map((e) => e.ledgerSeq)}::bigint[], ${entries.map((e) => e.position)}::bigint[],
                    ${entries.map((e) => e.transactionId)}::text[], ${entries.map((e) => e.eventId)}::text[],
                    ${entries.map((e) => e.eventHash)}::text[], ${entries.map((e) => e.prevHash)}::text[],
                    ${entries.map((e) => e.entryHash)}::text[], ${entries.map((e) => isoMicros(e.sequencedAt))}::text[])
             AS u(s, p, t, e, eh, ph, h, at)`.execute(trx);
  if (digests.length > 0)
    await sql`
      INSERT INTO ledger_digests (digest_seq, format, reason, from_ledger_seq, to_ledger_seq, event_count, head_hash,
                                  first_position, last_position, oldest_occurred_at, newest_occurred_at, period_start,
                                  period_end, digest_every, signed_at, prev_signature, alg, key_fingerprint, signature)
      SELECT d.digest_seq, d.format, d.reason, d.from_ledger_seq, d.to_ledger_seq, d.event_count, decode(d.head_hash, 'hex'),
             d.first_position, d.last_position, d.oldest_occurred_at, d.newest_occurred_at, d.period_start,
             d.period_end, d.digest_every, d.signed_at, decode(d.prev_signature, 'hex'), d.alg, d.key_fingerprint,
             decode(d.signature, 'hex')
        FROM jsonb_to_recordset(${JSON.stringify(digests.map(digestRecord))}::jsonb) AS d(
             digest_seq bigint, format text, reason text, from_ledger_seq bigint, to_ledger_seq bigint, event_count integer,
             head_hash text, first_position bigint, last_position bigint, oldest_occurred_at timestamptz,
             newest_occurred_at timestamptz, period_start timestamptz, period_end timestamptz, digest_every integer,
             signed_at timestamptz, prev_signature text, alg text, key_fingerprint text, signature text)`.execute(trx);
  const instant = (t: Micros | null) => (t === null ? null : isoMicros(t));
  await sql`
    UPDATE ledger_state
       SET ledger_seq = ${state.ledgerSeq}, head_hash = decode(${state.headHash}, 'hex'),
           transaction_id = ${state.checkpoint.transactionId.toString()}::xid8, position = ${state.checkpoint.position.toString()}::bigint,
           digest_seq = ${state.digestSeq}, digest_signature = decode(${state.digestSignature}, 'hex'),
           digest_to_seq = ${state.digestToSeq}, period_start = ${instant(state.periodStart)}::timestamptz,
           pending_first_position = ${state.pending.firstPosition}::bigint, pending_last_position = ${state.pending.lastPosition}::bigint,
           pending_oldest_occurred_at = ${instant(state.pending.oldestOccurredAt)}::timestamptz,
           pending_newest_occurred_at = ${instant(state.pending.newestOccurredAt)}::timestamptz,
           key_fingerprint = ${state.keyFingerprint}, updated_at = clock_timestamp()`.execute(trx);
}

/** A digest as ledger_digests' columns: its signed document's members (column names) and its signature. */
function digestRecord(d: SignedDigest): object {
  return { ...(JSON.parse(digestDocument(d)) as object), signature: d.signature };
}

/** Every digest, in order, as stored (a value that is not what was signed fails its signature). */
export async function readDigests(db: Kysely<Database>): Promise<SignedDigest[]> {
  return selectDigests(db, sql`ORDER BY d.digest_seq`);
}

/** The latest digest as stored; undefined before the first. */
export async function readLastDigest(db: Kysely<Database>): Promise<SignedDigest | undefined> {
  return (await selectDigests(db, sql`ORDER BY d.digest_seq DESC LIMIT 1`))[0];
}

async function selectDigests(db: Kysely<Database>, order: RawBuilder<unknown>): Promise<SignedDigest[]> {
  const { rows } = await sql<Record<string, string | null>>`
    SELECT digest_seq::text, format, reason, from_ledger_seq::text, to_ledger_seq::text, event_count::text,
           encode(head_hash, 'hex') AS head_hash, first_position::text, last_position::text,
           ${sql.raw(microsSql('oldest_occurred_at'))} AS oldest_occurred_at,
           ${sql.raw(microsSql('newest_occurred_at'))} AS newest_occurred_at,
           ${sql.raw(microsSql('period_start'))} AS period_start, ${sql.raw(microsSql('period_end'))} AS period_end,
           digest_every::text, ${sql.raw(microsSql('signed_at'))} AS signed_at,
           encode(prev_signature, 'hex') AS prev_signature, alg, key_fingerprint, encode(signature, 'hex') AS signature
      FROM ledger_digests d ${order}`.execute(db);
  return rows.map((row) => digestOf(row, Number));
}
