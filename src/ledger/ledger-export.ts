import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Kysely } from 'kysely';
import type { Database } from '../database/database.types';
import { EXPORT_FILES, digestLine, ledgerLine, manifestOf, strayLine } from './export-format';
import { isoMicros } from './micro-time';
import { type LooseEvent, bufferOf, entryAt } from './verify/window-columns';
import { ledgerSnapshot } from './verify/online-verify';
import { ledgerWindows, openWindowSource } from './verify/window-source';

export interface ExportResult {
  readonly directory: string;
  readonly entries: number;
  readonly digests: number;
  readonly strays: number;
  readonly bytes: number;
}

export interface ExportOptions {
  /** The database again, for the connections that read the ledger (as verify's). */
  readonly connectionString: string;
  readonly workers?: number;
  readonly now?: Date;
  readonly onProgress?: (entries: number, total: number) => void;
}

/**
 * Writes the ledger up to its current head, the events it names (in the canonical text that was
 * hashed), the digests and any stray event into `directory` (export-format.ts), for
 * `verify --offline`. It reads as verify does, so it runs beside a live service and exports what
 * verify would check: a tampered database exports as tampered.
 */
export async function exportLedger(
  db: Kysely<Database>,
  directory: string,
  options: ExportOptions,
): Promise<ExportResult> {
  fs.mkdirSync(directory, { recursive: true });
  const snapshot = await ledgerSnapshot(db);
  let bytes = 0;
  const write = async (file: string, chunks: AsyncIterable<string> | Iterable<string>) => {
    const stream = fs.createWriteStream(path.join(directory, file), { highWaterMark: 4 << 20 });
    for await (const chunk of chunks) {
      bytes += Buffer.byteLength(chunk);
      if (!stream.write(chunk)) await new Promise<void>((resolve) => stream.once('drain', () => resolve()));
    }
    await new Promise<void>((resolve, reject) =>
      stream.end((error?: Error | null) => (error ? reject(error) : resolve())),
    );
  };

  await write(
    EXPORT_FILES.digests,
    snapshot.digests.map((digest) => `${digestLine(digest)}\n`),
  );
  const loose: LooseEvent[] = [];
  const fetched = new Set<string>();
  let entries = 0;
  const source = await openWindowSource(options.connectionString, { workers: options.workers, withText: true });
  try {
    await write(
      EXPORT_FILES.ledger,
      (async function* () {
        for await (const window of ledgerWindows(source, snapshot.headSeq, 5000, 2 * (options.workers ?? 4) + 1)) {
          loose.push(...window.loose);
          for (const position of window.fetchedByPosition) fetched.add(position);
          entries += window.count;
          let chunk = '';
          const bytes = bufferOf(window.bytes);
          for (let i = 0; i < window.count; i++) {
            const entry = entryAt(window, i, bytes);
            chunk += `${ledgerLine({
              seq: entry.seq,
              position: entry.position,
              transactionId: entry.transactionId,
              eventId: entry.eventId,
              eventHash: entry.eventHash,
              prevHash: entry.prevHash,
              entryHash: entry.entryHash,
              sequencedAt: entry.sequencedAt === null ? 'unreadable' : isoMicros(entry.sequencedAt),
              event: entry.actual === undefined ? null : (window.text?.[i] ?? null),
            })}\n`;
          }
          yield chunk;
          options.onProgress?.(entries, snapshot.headSeq);
        }
      })(),
    );
  } finally {
    await source.close();
  }
  const strays = loose.filter((event) => !fetched.has(event.position));
  await write(
    EXPORT_FILES.strays,
    strays.map(
      (stray) =>
        `${strayLine({ position: stray.position, transactionId: stray.transactionId, eventId: stray.eventId, event: stray.text ?? 'null' })}\n`,
    ),
  );
  const manifest = manifestOf({
    exported_at: (options.now ?? new Date()).toISOString(),
    entries,
    digests: snapshot.digests.length,
    strays: strays.length,
    head: { ledger_seq: snapshot.headSeq, transaction_id: snapshot.headTransactionId, position: snapshot.headPosition },
    state_digest_seq: snapshot.stateDigestSeq,
  });
  await write(EXPORT_FILES.manifest, [`${JSON.stringify(manifest, null, 2)}\n`]);
  return { directory, entries, digests: snapshot.digests.length, strays: strays.length, bytes };
}
