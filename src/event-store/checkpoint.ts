import type { Checkpoint, StoredEvent } from './event.types';

/** Before every event. */
export const START: Checkpoint = Object.freeze({ transactionId: 0n, position: 0n });

export function checkpointOf(event: Pick<StoredEvent, 'transactionId' | 'position'>): Checkpoint {
  return { transactionId: event.transactionId, position: event.position };
}

export function compareCheckpoints(a: Checkpoint, b: Checkpoint): number {
  if (a.transactionId !== b.transactionId) return a.transactionId < b.transactionId ? -1 : 1;
  if (a.position !== b.position) return a.position < b.position ? -1 : 1;
  return 0;
}

/** `"<transaction id>:<position>"`, zero-padded so that the strings sort like the checkpoints. */
export function formatCheckpoint(checkpoint: Checkpoint): string {
  return `${checkpoint.transactionId.toString().padStart(20, '0')}:${checkpoint.position.toString().padStart(19, '0')}`;
}

export function parseCheckpoint(text: string): Checkpoint {
  const match = /^(\d{1,20}):(\d{1,19})$/.exec(text);
  if (!match) throw new Error(`not a checkpoint: ${JSON.stringify(text)}`);
  return { transactionId: BigInt(match[1]!), position: BigInt(match[2]!) };
}
