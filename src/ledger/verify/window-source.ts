import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { openLedgerReader, readLedgerWindow } from './ledger-window';
import type { LedgerWindow } from './window-columns';
import type { WindowRequest } from './window-worker';

/** Reads ledger windows, in worker threads when it can. */
export interface WindowSource {
  read(after: number, upTo: number): Promise<LedgerWindow>;
  close(): Promise<void>;
}

export interface WindowSourceOptions {
  /** Threads to read in; 0 reads in this thread. Default: one per CPU, at most four. */
  readonly workers?: number;
  readonly withText?: boolean;
}

/**
 * Worker threads need the compiled worker (dist/…/window-worker.js); run from TypeScript sources
 * (jest), there is none, and the windows are read in this thread by the same readLedgerWindow.
 */
export async function openWindowSource(
  connectionString: string,
  options: WindowSourceOptions = {},
): Promise<WindowSource> {
  const file = path.join(__dirname, 'window-worker.js');
  const count = options.workers ?? Math.min(4, os.availableParallelism());
  if (count > 0 && fs.existsSync(file))
    return new WorkerWindows(file, connectionString, count, options.withText ?? false);
  const client = await openLedgerReader(connectionString);
  let queue = Promise.resolve();
  return {
    read: (after, upTo) => {
      const read = queue.then(() => readLedgerWindow(client, after, upTo, { withText: options.withText }));
      queue = read.then(
        () => undefined,
        () => undefined,
      );
      return read;
    },
    close: () => client.end(),
  };
}

class WorkerWindows implements WindowSource {
  private readonly workers: Worker[];
  private readonly pending = new Map<number, { resolve: (w: LedgerWindow) => void; reject: (e: Error) => void }>();
  private next = 0;

  constructor(
    file: string,
    connectionString: string,
    count: number,
    private readonly withText: boolean,
  ) {
    this.workers = Array.from({ length: count }, () => {
      const worker = new Worker(file, { workerData: { connectionString } });
      worker.on('message', (message: { id: number; window?: LedgerWindow; error?: string }) => {
        const waiting = this.pending.get(message.id);
        if (!waiting) return;
        this.pending.delete(message.id);
        if (message.error !== undefined) waiting.reject(new Error(message.error));
        else waiting.resolve(message.window!);
      });
      worker.on('error', (error) => this.failAll(error));
      return worker;
    });
  }

  read(after: number, upTo: number): Promise<LedgerWindow> {
    const id = this.next++;
    const request: WindowRequest = { id, after, upTo, withText: this.withText };
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.workers[id % this.workers.length]!.postMessage(request);
    });
  }

  async close(): Promise<void> {
    await Promise.all(
      this.workers.map(
        (worker) =>
          new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, 5000);
            worker.once('message', () => {
              clearTimeout(timer);
              resolve();
            });
            worker.postMessage({ close: true });
          }),
      ),
    );
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }

  private failAll(error: Error): void {
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }
}

/**
 * The windows of ledger sequences 1..headSeq in order, `ahead` of them requested before the first is
 * consumed, so every worker has work while the caller walks.
 */
export async function* ledgerWindows(
  source: WindowSource,
  headSeq: number,
  size: number,
  ahead: number,
): AsyncGenerator<LedgerWindow> {
  const requested: Promise<LedgerWindow>[] = [];
  let after = 0;
  const request = () => {
    if (after >= headSeq) return;
    const upTo = Math.min(after + size, headSeq);
    const read = source.read(after, upTo);
    read.catch(() => undefined); // rethrown where it is awaited; the ones after a failure are not
    requested.push(read);
    after = upTo;
  };
  for (let i = 0; i < ahead; i++) request();
  while (requested.length > 0) {
    const window = await requested.shift()!;
    request();
    yield window;
  }
}
