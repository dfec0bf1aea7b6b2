import { randomUUID } from 'node:crypto';

/** Ids, injected, so tests can predict them (design §8.6). */
export class IdGenerator {
  uuid(): string {
    return randomUUID();
  }
}
