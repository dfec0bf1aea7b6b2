import type { ClientBase, Connection, Submittable } from 'pg';

/** The parts of pg's Connection a COPY FROM STDIN uses (pg has them; its types do not list them). */
interface CopyConnection {
  readonly stream: Connection['stream'];
  query(text: string): void;
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
  sendCopyFail(message: string): void;
}

/**
 * COPY … FROM STDIN over a plain pg client, without pg-copy-streams: pg hands a submitted query
 * object the server's CopyInResponse, and we send the rows as CopyData, waiting for the socket to
 * drain so that a fast producer does not buffer the whole load in memory.
 *
 * @example
 * const rows = await copyIn(client, 'COPY t (a, b) FROM STDIN', chunksOfTextRows());
 */
export function copyIn(client: ClientBase, statement: string, chunks: AsyncIterable<Buffer>): Promise<number> {
  return new Promise((resolve, reject) => {
    client.query(new CopyIn(statement, chunks, resolve, reject));
  });
}

class CopyIn implements Submittable {
  private rows = 0;
  private failed: Error | undefined;
  private settled = false;

  constructor(
    private readonly statement: string,
    private readonly chunks: AsyncIterable<Buffer>,
    private readonly resolve: (rows: number) => void,
    private readonly reject: (error: Error) => void,
  ) {}

  submit(connection: Connection): void {
    (connection as unknown as CopyConnection).query(this.statement);
  }

  handleCopyInResponse(connection: CopyConnection): void {
    void this.pump(connection);
  }

  handleCommandComplete(message: { text?: string }): void {
    this.rows = Number(/^COPY (\d+)/.exec(message.text ?? '')?.[1] ?? 0);
  }

  handleReadyForQuery(): void {
    this.settle();
  }

  /** The server refused the COPY: pg delivers it here, and no ReadyForQuery reaches this object after. */
  handleError(error: Error): void {
    this.failed ??= error;
    this.settle();
  }

  handleCopyData(): void {}
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}

  private async pump(connection: CopyConnection): Promise<void> {
    try {
      for await (const chunk of this.chunks) {
        if (this.settled) return;
        connection.sendCopyFromChunk(chunk);
        if (connection.stream.writableNeedDrain)
          await new Promise((drained) => connection.stream.once('drain', drained));
      }
      connection.endCopyFrom();
    } catch (error) {
      // The server answers CopyFail with an error, which settles this COPY.
      this.failed = error as Error;
      connection.sendCopyFail(String((error as Error).message));
    }
  }

  private settle(): void {
    if (this.settled) return;
    this.settled = true;
    if (this.failed) this.reject(this.failed);
    else this.resolve(this.rows);
  }
}
