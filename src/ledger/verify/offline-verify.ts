import type { KeyObject } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { canonicalJson } from '../canonical-json';
import {
  EXPORT_FILES,
  type ExportManifest,
  type LedgerLine,
  occurredAtOf,
  occurredAtOfBytes,
  parseDigestLine,
  parseLedgerLine,
  parseLedgerLineBytes,
  parseStrayLine,
  recanonicalised,
} from '../export-format';
import { eventHash } from '../hash-chain';
import { parseIsoMicros } from '../micro-time';
import { type ActualEvent, ChainWalk, type WalkEntry } from './chain-walk';
import type { Lookups } from './classify';
import { checkDigests } from './digest-checks';
import { readLineBytes, readTextLines } from './read-lines';
import { type VerifyReport, buildReport } from './verify-report';

export interface OfflineVerifyOptions {
  readonly publicKeys: ReadonlyMap<string, KeyObject>;
}

/**
 * Verifies an export (export-format.ts) with no database: the same checks and classification as
 * online, over the files. Only the public keys given are trusted; the files vouch for nothing.
 */
export async function verifyOffline(directory: string, options: OfflineVerifyOptions): Promise<VerifyReport> {
  const startedAt = Date.now();
  const file = (name: string) => path.join(directory, name);
  for (const name of [EXPORT_FILES.ledger, EXPORT_FILES.digests, EXPORT_FILES.manifest])
    if (!fs.existsSync(file(name))) throw new Error(`${directory} is not a ledger export: ${name} is missing`);
  const manifest = JSON.parse(fs.readFileSync(file(EXPORT_FILES.manifest), 'utf8')) as ExportManifest;
  const digests = [];
  for await (const line of readTextLines(file(EXPORT_FILES.digests))) digests.push(parseDigestLine(line));
  const digestCheck = checkDigests(digests, options.publicKeys);
  const walk = new ChainWalk(digestCheck.trusted);
  for await (const chunk of readLineBytes(file(EXPORT_FILES.ledger)))
    for (let i = 0; i < chunk.starts.length; i++)
      walk.push(walkEntryOf(chunk.buffer, chunk.starts[i]!, chunk.ends[i]!));
  const strays = [];
  if (fs.existsSync(file(EXPORT_FILES.strays)))
    for await (const line of readTextLines(file(EXPORT_FILES.strays))) strays.push(parseStrayLine(line));
  return buildReport({
    mode: 'offline',
    walk: walk.finish(),
    digests,
    digestCheck,
    strays,
    lookups: fileLookups(file(EXPORT_FILES.ledger), strays),
    publicKeys: options.publicKeys,
    startedAt,
    stateDigestSeq: manifest.state_digest_seq,
  });
}

function instantOrNull(text: string): number | null {
  try {
    return parseIsoMicros(text);
  } catch {
    return null;
  }
}

/** A line as written is read in place (its event hashed as bytes); any other through JSON.parse. */
function walkEntryOf(buffer: Buffer, start: number, end: number): WalkEntry {
  const line = parseLedgerLineBytes(buffer, start, end);
  if (!line) return walkEntry(parseLedgerLine(buffer.toString('utf8', start, end)));
  let actual: ActualEvent | undefined;
  if (line.eventStart >= 0) {
    const hash = eventHash(buffer.subarray(line.eventStart, line.eventEnd));
    actual =
      hash === line.eventHash
        ? {
            eventHash: hash,
            eventId: line.eventId,
            occurredAt: occurredAtOfBytes(buffer, line.eventStart, line.eventEnd),
          }
        : actualOf(buffer.toString('utf8', line.eventStart, line.eventEnd), line.eventHash, line.eventId);
  }
  return { ...fields(line), actual };
}

function fields(line: Omit<LedgerLine, 'event'>): Omit<WalkEntry, 'actual'> {
  return {
    seq: line.seq,
    position: line.position,
    transactionId: line.transactionId,
    eventId: line.eventId,
    eventHash: line.eventHash,
    prevHash: line.prevHash,
    entryHash: line.entryHash,
    sequencedAt: instantOrNull(line.sequencedAt),
  };
}

function walkEntry(line: LedgerLine): WalkEntry {
  return {
    ...fields(line),
    actual: line.event === null ? undefined : actualOf(line.event, line.eventHash, line.eventId),
  };
}

/**
 * The event as exported: its bytes hashed as they stand (they were written canonical); only when
 * that does not match is it parsed, canonicalised again (a reformatted file) and its id read.
 */
function actualOf(text: string, chained: string, chainedId: string): ActualEvent {
  const hash = eventHash(text);
  if (hash === chained) return { eventHash: hash, eventId: chainedId, occurredAt: occurredAtOf(text) };
  const canonical = recanonicalised(text);
  const fields = canonical === null ? undefined : (JSON.parse(canonical) as { event_id?: unknown });
  return {
    eventHash: canonical === null ? null : eventHash(canonical),
    eventId: typeof fields?.event_id === 'string' ? fields.event_id : '',
    occurredAt: canonical === null ? null : occurredAtOf(canonical),
  };
}

interface FileIndex {
  bySeqHash: Map<string, number>;
  byPosition: Map<string, number>;
  events: Map<string, string>;
  keys: { transactionId: bigint; position: bigint; seq: number }[];
}

/**
 * Classification's lookups over the files: an index of the whole ledger file, built at the first
 * question (only verify runs that find something ask any).
 */
function fileLookups(ledgerFile: string, strays: readonly { event: string }[]): Lookups {
  let index: Promise<FileIndex> | undefined;
  const build = async (): Promise<FileIndex> => {
    const built: FileIndex = { bySeqHash: new Map(), byPosition: new Map(), events: new Map(), keys: [] };
    const addEvent = (text: string) => {
      const canonical = recanonicalised(text);
      const id = canonical && (JSON.parse(canonical) as { event_id?: unknown }).event_id;
      if (typeof id === 'string') built.events.set(id, canonical!);
    };
    for await (const text of readTextLines(ledgerFile)) {
      const line = parseLedgerLine(text);
      built.bySeqHash.set(line.entryHash, line.seq);
      built.byPosition.set(line.position, line.seq);
      built.keys.push({ transactionId: BigInt(line.transactionId), position: BigInt(line.position), seq: line.seq });
      if (line.event !== null) addEvent(line.event);
    }
    for (const stray of strays) addEvent(stray.event);
    return built;
  };
  const get = () => (index ??= build());
  return {
    seqOfEntryHash: async (hash) => (await get()).bySeqHash.get(hash),
    seqOfPosition: async (position) => (await get()).byPosition.get(position),
    seqAfter: async (transactionId, position) => {
      const tx = BigInt(transactionId);
      const pos = BigInt(position);
      let best: number | undefined;
      for (const key of (await get()).keys)
        if (
          (key.transactionId > tx || (key.transactionId === tx && key.position > pos)) &&
          (best === undefined || key.seq < best)
        )
          best = key.seq;
      return best;
    },
    eventNow: async (eventId, position) => {
      const canonical = (await get()).events.get(eventId);
      if (canonical === undefined) return undefined;
      const event = JSON.parse(canonical) as { position: string };
      return {
        position: event.position,
        hashThere: eventHash(canonical),
        hashHere: eventHash(canonicalJson({ ...event, position })),
      };
    },
  };
}
