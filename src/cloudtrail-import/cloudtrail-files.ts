import { createReadStream } from 'node:fs';
import { open, readFile, readdir, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { createGunzip, gunzipSync } from 'node:zlib';
import { type KmsRecord, RecordError, readRecord } from './cloudtrail-record';
import { RecordSplitter, SplitError } from './record-splitter';

/** A file of CloudTrail records to import, with its size (for progress). */
export interface CloudTrailFile {
  readonly path: string;
  readonly bytes: number;
}

/** Why a file could not be imported, naming it (and the record, when one is to blame). */
export class FileError extends Error {
  constructor(
    readonly file: string,
    readonly record: number | undefined,
    reason: string,
  ) {
    super(`${file}${record === undefined ? '' : `, record ${record}`}: ${reason}`);
  }
}

/** What reading one file found. */
export interface FileCounts {
  /** Every record, whatever its service. */
  records: number;
  /** The KMS records among them (handed on). */
  kms: number;
}

const RECORD_FILE = /\.(json|jsonl|ndjson)(\.gz)?$/i;

/**
 * The CloudTrail files under `paths` (files, or folders walked recursively), in path order. Digest
 * files (CloudTrail-Digest/) hold no records and are passed over, as is anything not named .json,
 * .jsonl or .ndjson (gzipped or not).
 */
export async function listCloudTrailFiles(paths: readonly string[]): Promise<CloudTrailFile[]> {
  const found: CloudTrailFile[] = [];
  const visit = async (at: string): Promise<void> => {
    const info = await stat(at);
    if (info.isDirectory()) {
      if (path.basename(at) === 'CloudTrail-Digest') return;
      for (const entry of (await readdir(at)).sort()) await visit(path.join(at, entry));
    } else if (info.isFile() && RECORD_FILE.test(at)) found.push({ path: at, bytes: info.size });
  };
  for (const start of paths) await visit(path.resolve(start));
  return found;
}

/** Whether a file starts with gzip's magic bytes (1f 8b): then it is gunzipped, whatever its name. */
async function isGzip(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await handle.read(head, 0, 2, 0);
    return bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    await handle.close();
  }
}

/** A failure of the consumer of records, carried through the file's own error handling unchanged. */
class ConsumerFailure extends Error {
  constructor(override readonly cause: unknown) {
    super('the consumer of records failed');
  }
}

/** Files up to this size on disk, gzipped, are inflated in one piece, to at most SMALL_INFLATED bytes. */
const SMALL_GZIP = 4 << 20;
const SMALL_INFLATED = 64 << 20;

/**
 * A small gzipped file inflated whole, or undefined when it is larger (on disk or inflated) and must
 * stream: memory stays bounded whatever a file holds. A corrupt one is a FileError as when streamed.
 */
async function inflatedSmallFile(file: string): Promise<{ bytes: Buffer; read: number } | undefined> {
  let compressed: Buffer;
  try {
    if ((await stat(file)).size > SMALL_GZIP) return undefined;
    compressed = await readFile(file);
  } catch (error) {
    throw new FileError(file, undefined, (error as Error).message);
  }
  try {
    return { bytes: gunzipSync(compressed, { maxOutputLength: SMALL_INFLATED }), read: compressed.length };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') return undefined;
    throw new FileError(file, undefined, `not a valid gzip file (${(error as Error).message})`);
  }
}

/**
 * Streams one file's records: each KMS record to `onKms` (awaited, so a slow consumer slows the
 * read and memory stays bounded), other services' counted. Throws FileError for a file that is
 * corrupt (gzip), cut short, not CloudTrail, or holds a record that cannot be read; `onBytes` hears
 * how far into the file (its size on disk) reading has come.
 */
export async function readCloudTrailFile(
  file: string,
  onKms: (record: KmsRecord) => Promise<void>,
  onBytes: (bytes: number) => void = () => undefined,
): Promise<FileCounts> {
  const counts: FileCounts = { records: 0, kms: 0 };
  const splitter = new RecordSplitter();
  // A file gone or unreadable since it was listed is this file's failure, named as the others are.
  const gzipped = await isGzip(file).catch((error: Error) => {
    throw new FileError(file, undefined, error.message);
  });
  const take = async (records: Buffer[]) => {
    for (const bytes of records) {
      counts.records++;
      let record;
      try {
        record = readRecord(bytes, splitter.shape!);
      } catch (error) {
        if (error instanceof RecordError) throw new FileError(file, counts.records, error.message);
        throw error;
      }
      if (record.kind === 'kms') {
        counts.kms++;
        // The consumer's failure (its database) is its own, not this file's: passed on as it is.
        await onKms(record).catch((error: unknown) => {
          throw new ConsumerFailure(error);
        });
      }
    }
  };
  // A small gzipped file (a log file as CloudTrail delivers it) is inflated at once: streamed, each
  // small chunk is a hop to the thread pool, and an import of many files mostly waited on them.
  const whole = gzipped ? await inflatedSmallFile(file) : undefined;
  if (whole) {
    onBytes(whole.read);
    try {
      await take(splitter.push(whole.bytes));
      await take(splitter.end());
    } catch (error) {
      if (error instanceof SplitError) throw new FileError(file, undefined, error.message);
      if (error instanceof ConsumerFailure) throw error.cause;
      throw error;
    }
    return counts;
  }
  const raw = createReadStream(file, { highWaterMark: 1 << 20 });
  // Gzipped, the bytes read from disk are counted as the gunzip stream takes them (pipe reads raw
  // too); plain, as the loop below takes them. Either way before any byte can flow unheard.
  const source = gzipped ? raw.pipe(createGunzip()) : raw;
  if (gzipped) {
    raw.on('data', (chunk) => onBytes(chunk.length));
    raw.on('error', (error) => source.destroy(error));
  }
  try {
    for await (const chunk of source) {
      if (!gzipped) onBytes((chunk as Buffer).length);
      await take(splitter.push(chunk as Buffer));
    }
    await take(splitter.end());
  } catch (error) {
    raw.destroy();
    if (error instanceof ConsumerFailure) throw error.cause;
    if (error instanceof FileError) throw error;
    if (error instanceof SplitError) throw new FileError(file, undefined, error.message);
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'Z_DATA_ERROR' || code === 'Z_BUF_ERROR' || code === 'ERR_STREAM_PREMATURE_CLOSE')
      throw new FileError(file, undefined, `not a valid gzip file (${(error as Error).message})`);
    throw new FileError(file, undefined, (error as Error).message);
  }
  return counts;
}
