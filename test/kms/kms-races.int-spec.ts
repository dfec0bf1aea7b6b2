import {
  CreateAliasCommand,
  CreateKeyCommand,
  DeleteAliasCommand,
  type KMSClient,
  ScheduleKeyDeletionCommand,
  UpdateAliasCommand,
} from '@aws-sdk/client-kms';
import { sql } from 'kysely';
import { type KmsTestApp, startKmsApp } from '../support/kms-test-app';
import { brokenInvariants, kmsLog, liveAliases } from '../support/kms-invariants';

const CLIENTS = 32;
const INSTANCES = 4;

interface Outcome {
  ok: boolean;
  error?: string;
  requestId?: string;
}

/** Runs every call at once and records how each ended and under which request id. */
async function race(calls: (() => Promise<{ $metadata: { requestId?: string } }>)[]): Promise<Outcome[]> {
  return Promise.all(
    calls.map((call) =>
      call().then(
        (output) => ({ ok: true, requestId: output.$metadata.requestId }),
        (error: { name: string; $metadata?: { requestId?: string } }) => ({
          ok: false,
          error: error.name,
          requestId: error.$metadata?.requestId,
        }),
      ),
    ),
  );
}

const tally = (outcomes: Outcome[]) =>
  outcomes.reduce<Record<string, number>>((counts, o) => {
    const key = o.ok ? 'ok' : o.error!;
    counts[key] = (counts[key] ?? 0) + 1;
    return counts;
  }, {});

/**
 * Many clients on 4 service instances that share one database (so only PostgreSQL's locks keep them
 * apart) fire conflicting requests at once; afterwards the whole log is replayed to check design
 * §4's invariants, and every success must have exactly its events, every failure none.
 */
describe('KMS invariants under concurrent conflicting requests', () => {
  let kms: KmsTestApp;
  let clients: KMSClient[];
  const outcomes: { outcome: Outcome; events: number }[] = [];
  const newKey = async () => (await clients[0]!.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
  const record = (results: Outcome[], eventsPerSuccess: number) =>
    results.forEach((outcome) => outcomes.push({ outcome, events: outcome.ok ? eventsPerSuccess : 0 }));

  beforeAll(async () => {
    kms = await startKmsApp({}, INSTANCES);
    clients = Array.from({ length: CLIENTS }, (_, i) => kms.client({ instance: i }));
  });
  afterAll(() => kms.close());

  it('creates one alias when 32 clients create the same name', async () => {
    for (let round = 0; round < 5; round++) {
      const key = await newKey();
      const results = await race(
        clients.map(
          (c) => () => c.send(new CreateAliasCommand({ AliasName: `alias/same-${round}`, TargetKeyId: key })),
        ),
      );
      expect(tally(results)).toEqual({ ok: 1, AlreadyExistsException: CLIENTS - 1 });
      record(results, 1);
    }
  });

  it('lets exactly one of 32 racing aliases take the 50th place on a key', async () => {
    const key = await newKey();
    for (let i = 0; i < 49; i++)
      await clients[0]!.send(new CreateAliasCommand({ AliasName: `alias/fill/${i}`, TargetKeyId: key }));
    const results = await race(
      clients.map((c, i) => () => c.send(new CreateAliasCommand({ AliasName: `alias/race/${i}`, TargetKeyId: key }))),
    );
    expect(tally(results)).toEqual({ ok: 1, LimitExceededException: CLIENTS - 1 });
    record(results, 1);
  });

  it('never creates an alias on a key once its deletion is scheduled', async () => {
    for (let round = 0; round < 5; round++) {
      const key = await newKey();
      const calls = clients.map((c, i) =>
        i === 16
          ? () => c.send(new ScheduleKeyDeletionCommand({ KeyId: key }))
          : () => c.send(new CreateAliasCommand({ AliasName: `alias/vs-delete-${round}-${i}`, TargetKeyId: key })),
      );
      const results = await race(calls);
      expect(results[16]!.ok).toBe(true);
      const aliases = results.filter((_, i) => i !== 16);
      expect(aliases.every((o) => o.ok || o.error === 'KMSInvalidStateException')).toBe(true);
      record(aliases, 1);
      record([results[16]!], 1);
    }
  });

  it('keeps UpdateAlias and DeleteAlias racing on one alias consistent', async () => {
    for (let round = 0; round < 5; round++) {
      const keys = [await newKey(), await newKey(), await newKey()];
      const name = `alias/moving-${round}`;
      await clients[0]!.send(new CreateAliasCommand({ AliasName: name, TargetKeyId: keys[0] }));
      const calls = clients.map((c, i) =>
        i === 20
          ? () => c.send(new DeleteAliasCommand({ AliasName: name }))
          : () => c.send(new UpdateAliasCommand({ AliasName: name, TargetKeyId: keys[1 + (i % 2)] })),
      );
      const results = await race(calls);
      expect(results[20]!.ok).toBe(true);
      expect(results.every((o) => o.ok || o.error === 'NotFoundException')).toBe(true);
      record(results, 1);
    }
  });

  it('moves an alias that another instance moved since this one last did, from the key it is on now', async () => {
    const keys = [await newKey(), await newKey(), await newKey()];
    const [here, there] = [clients[0]!, clients[1]!]; // instances 0 and 1
    await here.send(new CreateAliasCommand({ AliasName: 'alias/hinted', TargetKeyId: keys[0] }));
    await there.send(new UpdateAliasCommand({ AliasName: 'alias/hinted', TargetKeyId: keys[1] }));
    const moved = await here.send(new UpdateAliasCommand({ AliasName: 'alias/hinted', TargetKeyId: keys[2] }));
    await there.send(new UpdateAliasCommand({ AliasName: 'alias/hinted', TargetKeyId: keys[0] }));
    const deleted = await here.send(new DeleteAliasCommand({ AliasName: 'alias/hinted' }));
    const { rows } = await sql<{ type: string; data: Record<string, string>; request_id: string }>`
      SELECT type, data, metadata->>'requestId' AS request_id FROM events
       WHERE tags @> ARRAY[${`alias:111122223333:us-west-2:alias/hinted`}]::text[] ORDER BY position`.execute(
      kms.database.db,
    );
    expect(rows.map((r) => [r.type, r.data.fromKeyId ?? r.data.keyId, r.data.toKeyId])).toEqual([
      ['AliasCreated', keys[0], undefined],
      ['AliasRetargeted', keys[0], keys[1]],
      ['AliasRetargeted', keys[1], keys[2]],
      ['AliasRetargeted', keys[2], keys[0]],
      ['AliasDeleted', keys[0], undefined],
    ]);
    expect(rows[2]!.request_id).toBe(moved.$metadata.requestId);
    expect(rows[4]!.request_id).toBe(deleted.$metadata.requestId);
  });

  it('leaves a log that keeps every invariant, a current model equal to its replay, and one event per success', async () => {
    const log = await kmsLog(kms.database.db);
    expect(brokenInvariants(log)).toEqual([]);
    const { rows } = await sql<{ name: string; key_id: string }>`
      SELECT account_id || ':' || region || ':' || alias_name AS name, key_id FROM kms_aliases`.execute(
      kms.database.db,
    );
    expect(new Map(rows.map((r) => [r.name, r.key_id]))).toEqual(liveAliases(log));
    const byRequest = new Map<string, number>();
    for (const event of log) {
      const id = event.metadata.requestId as string | undefined;
      if (id) byRequest.set(id, (byRequest.get(id) ?? 0) + 1);
    }
    for (const { outcome, events } of outcomes) {
      expect(outcome.requestId).toBeDefined();
      expect([outcome.error ?? 'ok', byRequest.get(outcome.requestId!) ?? 0]).toEqual([outcome.error ?? 'ok', events]);
    }
  });
});
