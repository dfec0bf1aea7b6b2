import { checkpointOf } from '../../src/event-store/checkpoint';
import { EventStore } from '../../src/event-store/event-store';
import type { Checkpoint, NewEvent, StoredEvent } from '../../src/event-store/event.types';
import { ProjectionRunner } from '../../src/projections/projection-runner';
import { TemporalAliasesProjection } from '../../src/projections/temporal/temporal-aliases.projection';
import { TemporalAliasesReader } from '../../src/projections/temporal/temporal-aliases.reader';
import { type TestDatabase, createTestDatabase } from './test-database';

/** A fresh database with the temporal projection running on it, and a way to feed it. */
export interface TemporalFixture {
  readonly database: TestDatabase;
  readonly store: EventStore;
  readonly reader: TemporalAliasesReader;
  /**
   * Appends one transaction per event, or all in one (so the projection gets them in one batch),
   * and waits until the projection has applied them; the stored events come back in log order.
   */
  appendApplied(events: readonly NewEvent[], together: boolean): Promise<StoredEvent[]>;
  /** Waits until the projection has applied everything up to `last`. */
  applied(last: Checkpoint): Promise<void>;
  close(): Promise<void>;
}

export async function startTemporal(): Promise<TemporalFixture> {
  const database = await createTestDatabase();
  const store = new EventStore(database.pool, database.db);
  const reader = new TemporalAliasesReader(database.db);
  const runner = new ProjectionRunner(store, database.db, undefined, new TemporalAliasesProjection(), {
    pollIntervalMs: 10,
  });
  await runner.start();
  const applied = async (last: Checkpoint) => {
    const outcome = await reader.waitFor(last, 10_000);
    if (!outcome.reached) throw new Error('the projection did not catch up');
  };
  return {
    database,
    store,
    reader,
    async appendApplied(events, together) {
      const stored: StoredEvent[] = [];
      if (together) stored.push(...(await store.append(events)).events);
      else for (const event of events) stored.push(...(await store.append([event])).events);
      await applied(checkpointOf(stored.at(-1)!));
      return stored;
    },
    applied,
    async close() {
      await runner.stop();
      await database.drop();
    },
  };
}
