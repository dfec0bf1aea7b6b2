import { randomUUID } from 'node:crypto';
import type { NewEvent } from '../../src/event-store/event.types';

/** A test event with a fresh id; override any field. */
export function anEvent(overrides: Partial<NewEvent> = {}): NewEvent {
  return {
    eventId: randomUUID(),
    type: 'Tested',
    tags: [],
    data: {},
    occurredAt: new Date('2026-11-28T12:00:00Z'),
    ...overrides,
  };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `condition` until it holds or `timeoutMs` passes; returns whether it held. */
export async function eventually(
  condition: () => boolean | Promise<boolean>,
  timeoutMs: number,
  stepMs = 10,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return true;
    if (Date.now() > deadline) return false;
    await sleep(stepMs);
  }
}
