import { randomUUID } from 'node:crypto';

/** Ids, injected, so tests can predict them. */
export class IdGenerator {
  uuid(): string {
    return randomUUID();
  }
}
