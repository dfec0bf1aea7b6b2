import { type WriteFailure, writeFailureOf } from './write-failure';

/** What became of a batch written by writeSplitting. */
export interface SplitOutcome<T> {
  readonly written: T[];
  /** Records the database refused even alone, each with its error: never to be tried again. */
  readonly setAside: { readonly item: T; readonly error: unknown }[];
  /** Records not written for now (database unavailable, or an error that may pass): hold them. */
  readonly held: T[];
  /** The error that stopped the batch when the database was unavailable. */
  readonly unavailable?: unknown;
}

/**
 * Writes `items` in order, so that one record the database refuses cannot keep the others out: a
 * refused chunk is split in halves and each half written on its own (bisection: k bad records
 * among n cost about 2·k·log2(n) writes), until the bad record stands alone and is set aside. When
 * the database is unavailable nothing more is tried: that chunk and all after it are held.
 * Writes take at most `maxChunk` items. `classify` is injectable for tests; every write of a chunk is
 * one `write` call.
 *
 * @example
 * const outcome = await writeSplitting(events, (chunk) => store.append(chunk));
 */
export async function writeSplitting<T>(
  items: readonly T[],
  write: (chunk: readonly T[]) => Promise<unknown>,
  maxChunk = Number.MAX_SAFE_INTEGER,
  classify: (error: unknown) => WriteFailure = writeFailureOf,
): Promise<SplitOutcome<T>> {
  const written: T[] = [];
  const setAside: { item: T; error: unknown }[] = [];
  const held: T[] = [];
  // Chunks still to write, the next one last (a stack keeps the order: halves go on back to front).
  // At most maxChunk a write: what piled up in an outage goes in statements of a bounded size,
  // which the statement timeout does not cut short on the database's return.
  const queue: T[][] = [];
  for (let start = 0; start < items.length; start += maxChunk) queue.unshift(items.slice(start, start + maxChunk));
  while (queue.length > 0) {
    const chunk = queue.pop()!;
    try {
      await write(chunk);
      written.push(...chunk);
    } catch (error) {
      const failure = classify(error);
      if (failure === 'unavailable') {
        held.push(...chunk, ...queue.reverse().flat());
        return { written, setAside, held, unavailable: error };
      }
      if (chunk.length > 1) {
        const middle = Math.ceil(chunk.length / 2);
        queue.push(chunk.slice(middle), chunk.slice(0, middle));
      } else if (failure === 'refused') setAside.push({ item: chunk[0]!, error });
      else held.push(chunk[0]!);
    }
  }
  return { written, setAside, held };
}
