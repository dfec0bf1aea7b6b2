import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type Kysely, sql } from 'kysely';
import { Clock } from '../../src/clock/clock';
import type { Database } from '../../src/database/database.types';
import { EventStore } from '../../src/event-store/event-store';
import type { StoredEvent } from '../../src/event-store/event.types';
import { LedgerSequencer, type LedgerSequencerOptions } from '../../src/ledger/ledger-sequencer';
import { type LedgerSigningKey, openSigningKey } from '../../src/ledger/signing-key';
import { verifyOnline } from '../../src/ledger/verify/online-verify';
import type { VerifyReport } from '../../src/ledger/verify/verify-report';
import { anEvent } from '../support/events';
import { type TestDatabase, createTestDatabase } from '../support/test-database';

/** A clock the test moves by hand: hours pass in microseconds. */
export class FakeClock extends Clock {
  constructor(private time: number) {
    super();
  }

  now(): Date {
    return new Date(this.time);
  }

  advance(ms: number): void {
    this.time += ms;
  }
}

export const HOUR_MS = 3_600_000;

export interface LedgerFixture {
  readonly database: TestDatabase;
  readonly store: EventStore;
  readonly clock: FakeClock;
  readonly key: LedgerSigningKey;
  readonly keyDir: string;
  /** A sequencer on the fixture's database, clock and key (not started). */
  sequencer(options?: Partial<LedgerSequencerOptions>): LedgerSequencer;
  /**
   * Runs `sequencer` until every event is chained. The snapshot barrier is the whole cluster's: a
   * transaction open in any database (other suites run beside this one) holds the newest events
   * back for a while, so one catch-up may stop short.
   */
  chainAll(sequencer?: LedgerSequencer): Promise<{ entries: number; digests: number }>;
  /** Appends `count` events, each in a transaction of its own (so each has its own transaction id). */
  appendEach(count: number): Promise<StoredEvent[]>;
  verify(): Promise<VerifyReport>;
  drop(): Promise<void>;
}

/** A fresh database, a key in a temporary directory and a clock at 10:00:00.000 UTC. */
export async function ledgerFixture(options: { digestEvery?: number } = {}): Promise<LedgerFixture> {
  const database = await createTestDatabase();
  const keyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aliastrail-ledger-'));
  const { key } = openSigningKey(path.join(keyDir, 'ledger-signing-key.pem'), { create: true });
  const store = new EventStore(database.pool, database.db);
  const clock = new FakeClock(Date.parse('2026-11-28T10:00:00.000Z'));
  let n = 0;
  return {
    database,
    store,
    clock,
    key,
    keyDir,
    sequencer: (overrides = {}) =>
      new LedgerSequencer(database.db, undefined, clock, () => key.signer, {
        pollIntervalMs: 20,
        minIntervalMs: 0,
        digestEvery: options.digestEvery ?? 10_000,
        ...overrides,
      }),
    chainAll: async function (this: LedgerFixture, sequencer = this.sequencer()) {
      const total = { entries: 0, digests: 0 };
      const deadline = Date.now() + 30_000;
      for (;;) {
        const step = await sequencer.catchUp();
        total.entries += step.entries;
        total.digests += step.digests;
        const { rows } = await sql<{ behind: boolean }>`
          SELECT (SELECT count(*) FROM events) > (SELECT ledger_seq FROM ledger_state) AS behind`.execute(database.db);
        if (!rows[0]!.behind) return total;
        if (Date.now() > deadline) throw new Error('the ledger did not catch up within 30 s');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    appendEach: async (count) => {
      const events: StoredEvent[] = [];
      for (let i = 0; i < count; i++) {
        n += 1;
        const [event] = (await store.append([anEvent({ data: { n, note: `event ${n}` }, tags: [`t:${n % 3}`] })]))
          .events;
        events.push(event!);
      }
      return events;
    },
    verify: () =>
      verifyOnline(database.db, {
        publicKeys: new Map([[key.fingerprint, key.publicKey]]),
        connectionString: database.url,
      }),
    drop: async () => {
      await database.drop();
      fs.rmSync(keyDir, { recursive: true, force: true });
    },
  };
}

/** Runs `statements` as a superuser with every trigger off (append-only ones and foreign keys included). */
export async function asSuperuser(db: Kysely<Database>, ...statements: string[]): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await sql`SET LOCAL session_replication_role = replica`.execute(trx);
    for (const statement of statements) await sql.raw(statement).execute(trx);
  });
}

/** The ledger's entries as stored, in order. */
export async function ledgerRows(db: Kysely<Database>) {
  const { rows } = await sql<{ ledger_seq: string; position: string; event_id: string; entry_hash: string }>`
    SELECT ledger_seq::text, position::text, event_id::text, encode(entry_hash, 'hex') AS entry_hash
      FROM ledger l ORDER BY l.ledger_seq`.execute(db);
  return rows;
}

export async function digestRows(db: Kysely<Database>) {
  const { rows } = await sql<{
    digest_seq: string;
    reason: string;
    from_ledger_seq: string;
    to_ledger_seq: string;
    event_count: number;
  }>`
    SELECT digest_seq::text, reason, from_ledger_seq::text, to_ledger_seq::text, event_count
      FROM ledger_digests d ORDER BY d.digest_seq`.execute(db);
  return rows;
}
