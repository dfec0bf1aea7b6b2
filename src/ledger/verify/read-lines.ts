import * as fs from 'node:fs';

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

/** The file's non-empty lines as strings (digests, strays, and the index that classification builds). */
export async function* readTextLines(file: string): AsyncGenerator<string> {
  for await (const chunk of readLineBytes(file))
    for (let i = 0; i < chunk.starts.length; i++) yield chunk.buffer.toString('utf8', chunk.starts[i], chunk.ends[i]);
}
