import { parentPort, workerData } from 'node:worker_threads';
import { openLedgerReader, readLedgerWindow } from './ledger-window';
import { transferables } from './window-columns';

/** A request to a window worker, and its answer (window-source.ts). */
export interface WindowRequest {
  readonly id: number;
  readonly after: number;
  readonly upTo: number;
  readonly withText: boolean;
}

/**
 * A worker thread that reads ledger windows on a connection of its own: reading and hashing the
 * events is most of verify's work, and each window stands alone, so several threads share it.
 */
if (parentPort) {
  const port = parentPort;
  const reader = openLedgerReader((workerData as { connectionString: string }).connectionString);
  reader.catch(() => undefined); // reported with the first request
  // One window at a time on the connection; the next request waits its turn.
  let queue: Promise<unknown> = Promise.resolve();
  port.on('message', (message: WindowRequest | { close: true }) => {
    queue = queue.then(async () => {
      if ('close' in message) {
        await (await reader.catch(() => undefined))?.end().catch(() => undefined);
        port.postMessage({ closed: true });
        return;
      }
      try {
        const window = await readLedgerWindow(await reader, message.after, message.upTo, {
          withText: message.withText,
        });
        // Moved, not copied: the window's arrays are this thread's no more.
        port.postMessage({ id: message.id, window }, transferables(window));
      } catch (error) {
        port.postMessage({ id: message.id, error: (error as Error).message });
      }
    });
  });
}
