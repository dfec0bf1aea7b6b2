import * as fs from 'node:fs';

/**
 * The lines of a text file, in batches, read in large chunks: a million-line export is read as
 * fast as the disk gives it. The stream's UTF-8 decoder keeps a character split between chunks whole.
 */
export async function* readLines(file: string): AsyncGenerator<string[]> {
  const stream = fs.createReadStream(file, { encoding: 'utf8', highWaterMark: 8 << 20 });
  let rest = '';
  for await (const chunk of stream as AsyncIterable<string>) {
    const text = rest + chunk;
    const end = text.lastIndexOf('\n');
    if (end < 0) {
      rest = text;
      continue;
    }
    rest = text.slice(end + 1);
    yield text.slice(0, end).split('\n');
  }
  if (rest.length > 0) yield [rest];
}

/** A chunk of a file and where its whole lines are in it (without their newlines). */
export interface LineChunk {
  readonly buffer: Buffer;
  readonly starts: number[];
  readonly ends: number[];
}

/**
 * The lines of a file as byte ranges, never decoded: offline verify hashes each event's bytes as
 * they stand in the file, and decodes only a line's short head.
 */
export async function* readLineBytes(file: string): AsyncGenerator<LineChunk> {
  const stream = fs.createReadStream(file, { highWaterMark: 8 << 20 });
  let rest: Buffer = Buffer.alloc(0);
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const buffer = rest.length > 0 ? Buffer.concat([rest, chunk]) : chunk;
    const starts: number[] = [];
    const ends: number[] = [];
    let start = 0;
    for (let newline = buffer.indexOf(0x0a); newline >= 0; newline = buffer.indexOf(0x0a, start)) {
      if (newline > start) {
        starts.push(start);
        ends.push(newline);
      }
      start = newline + 1;
    }
    rest = buffer.subarray(start);
    if (starts.length > 0) yield { buffer, starts, ends };
  }
  if (rest.length > 0) yield { buffer: rest, starts: [0], ends: [rest.length] };
}
