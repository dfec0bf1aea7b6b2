import type { Checkpoint } from '../event-store/event.types';
import { CheckpointWaiter } from './checkpoint-waiter';

const cp = (transactionId: bigint, position: bigint): Checkpoint => ({ transactionId, position });

describe('CheckpointWaiter', () => {
  it('answers at once when the checkpoint is there already', async () => {
    let reads = 0;
    const waiter = new CheckpointWaiter(async () => (reads++, cp(10n, 5n)), 5);
    await expect(waiter.waitFor(cp(9n, 7n), 1000)).resolves.toEqual({ reached: true, checkpoint: cp(10n, 5n) });
    expect(reads).toBe(1);
  });

  it('compares in log order, transaction id first, and resolves each waiter when its target is reached', async () => {
    let current = cp(10n, 5n);
    const waiter = new CheckpointWaiter(async () => current, 5);
    const near = waiter.waitFor(cp(10n, 9n), 5000);
    const far = waiter.waitFor(cp(12n, 1n), 5000);
    current = cp(11n, 2n);
    await expect(near).resolves.toEqual({ reached: true, checkpoint: cp(11n, 2n) });
    current = cp(12n, 3n);
    await expect(far).resolves.toEqual({ reached: true, checkpoint: cp(12n, 3n) });
  });

  it('gives up after the timeout with where the checkpoint stands', async () => {
    const waiter = new CheckpointWaiter(async () => cp(1n, 1n), 5);
    const started = Date.now();
    await expect(waiter.waitFor(cp(2n, 2n), 60)).resolves.toEqual({ reached: false, checkpoint: cp(1n, 1n) });
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
    await expect(waiter.waitFor(cp(2n, 2n), 0)).resolves.toEqual({ reached: false, checkpoint: cp(1n, 1n) });
  });

  it('fails the waiters when the checkpoint cannot be read', async () => {
    let reads = 0;
    const waiter = new CheckpointWaiter(async () => {
      if (reads++ > 0) throw new Error('connection lost');
      return cp(1n, 1n);
    }, 5);
    await expect(waiter.waitFor(cp(2n, 2n), 1000)).rejects.toThrow('connection lost');
  });
});
