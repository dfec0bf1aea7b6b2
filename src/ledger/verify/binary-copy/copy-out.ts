import type { ClientBase, Connection, Submittable } from 'pg';

/**
 * A row of a binary COPY, in place: field i is `buffer[at[i] .. at[i] + length[i]]`, or NULL when
 * `at[i]` is -1. One object, refilled for each row and valid only during the callback: a million
 * rows of a dozen fields would otherwise be twelve million Buffer views for the collector.
 */
export interface BinaryRow {
  buffer: Buffer;
  fields: number;
  readonly at: Int32Array;
  readonly length: Int32Array;
}

/**
 * `COPY (query) TO STDOUT (FORMAT binary)` over a plain pg client, without pg-copy-streams: pg
 * hands a submitted query object each CopyData message, which the server sends one per row. Binary,
 * because every value then arrives as it is stored (no escaping, instants as integers, hashes as
 * bytes), and because it took PostgreSQL a fraction of the time a SELECT of text columns takes to
 * print them. `onRow` runs synchronously while the message is in hand; the socket waits meanwhile,
 * so a slow consumer slows the server down instead of filling memory.
 *
 * @example await copyOut(client, 'COPY (SELECT 1) TO STDOUT (FORMAT binary)', (row) => count++);
 */
export function copyOut(client: ClientBase, statement: string, onRow: (row: BinaryRow) => void): Promise<number> {
  return new Promise((resolve, reject) => {
    client.query(new CopyOut(statement, onRow, resolve, reject));
  });
}

/** PGCOPY\n\377\r\n\0, then flags (int32) and the header extension length (int32). */
const HEADER_LENGTH = 19;

class CopyOut implements Submittable {
  private headerSeen = false;
  private settled = false;
  private rows = 0;
  private readonly row: BinaryRow = {
    buffer: Buffer.alloc(0),
    fields: 0,
    at: new Int32Array(64),
    length: new Int32Array(64),
  };
  private failed: Error | undefined;

  constructor(
    private readonly statement: string,
    private readonly onRow: (row: BinaryRow) => void,
    private readonly resolve: (rows: number) => void,
    private readonly reject: (error: Error) => void,
  ) {}

  submit(connection: Connection): void {
    (connection as unknown as { query(text: string): void }).query(this.statement);
  }

  handleCopyData(message: { chunk: Buffer }): void {
    if (this.failed) return;
    const chunk = message.chunk;
    let at = 0;
    if (!this.headerSeen) {
      if (chunk.toString('latin1', 0, 11) !== 'PGCOPY\n\xff\r\n\0')
        return this.fail(new Error('not a binary COPY stream'));
      at = HEADER_LENGTH + chunk.readInt32BE(15);
      this.headerSeen = true;
      if (at >= chunk.length) return;
    }
    const fields = chunk.readInt16BE(at);
    if (fields === -1) return; // the trailer
    if (fields > this.row.at.length) return this.fail(new Error(`a COPY row of ${fields} fields`));
    at += 2;
    const row = this.row;
    row.buffer = chunk;
    row.fields = fields;
    for (let i = 0; i < fields; i++) {
      const length = chunk.readInt32BE(at);
      at += 4;
      row.length[i] = length;
      row.at[i] = length < 0 ? -1 : at;
      if (length > 0) at += length;
    }
    this.rows += 1;
    try {
      this.onRow(row);
    } catch (error) {
      this.fail(error as Error);
    }
  }

  handleReadyForQuery(): void {
    if (this.settled) return;
    this.settled = true;
    if (this.failed) this.reject(this.failed);
    else this.resolve(this.rows);
  }

  /** The server's error, or the connection's loss (after which no ReadyForQuery comes): settle now. */
  handleError(error: Error): void {
    if (this.settled) return;
    this.settled = true;
    this.reject(this.failed ?? error);
  }

  handleCommandComplete(): void {}
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
  handleCopyInResponse(): void {}

  /** A consumer's error: the rest of the stream is drained and ignored, and the COPY rejects at its end. */
  private fail(error: Error): void {
    this.failed ??= error;
  }
}
