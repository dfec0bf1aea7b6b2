import {
  CreateAliasCommand,
  CreateKeyCommand,
  DeleteAliasCommand,
  type KMSClient,
  ListAliasesCommand,
  UpdateAliasCommand,
} from '@aws-sdk/client-kms';
import { sql } from 'kysely';
import { type KmsTestApp, startKmsApp } from '../support/kms-test-app';

const CLIENTS = 32;
const INSTANCES = 3;
const ROUNDS = 6;

interface Outcome {
  readonly requestId: string;
  readonly operation: string;
  readonly error: string | null;
}

/**
 * Every call a client got an answer to is in the audit trail exactly once, with the outcome the
 * client saw: many clients on several instances fire conflicting creates, retargets, deletes and
 * reads at once, so successes (recorded by their events, in the unit of work) and failures and reads
 * (recorded afterwards by each instance's AuditRecorder) interleave in the log.
 */
describe('the audit trail under concurrent conflicting calls', () => {
  let kms: KmsTestApp;
  let clients: KMSClient[];

  beforeAll(async () => {
    kms = await startKmsApp({ ALIASTRAIL_POLL_INTERVAL_MS: '20' }, INSTANCES);
    clients = Array.from({ length: CLIENTS }, (_, i) => kms.client({ instance: i }));
  });
  afterAll(() => kms.close());

  it('records each answered call once, with its error code', async () => {
    const keys = await Promise.all(
      [0, 1].map(async () => (await clients[0]!.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!),
    );
    const outcomes: Outcome[] = [];
    const send = (operation: string, call: () => Promise<{ $metadata: { requestId?: string } }>) =>
      call().then(
        (output: { $metadata: { requestId?: string } }) =>
          outcomes.push({ requestId: output.$metadata.requestId!, operation, error: null }),
        (error: { name: string; $metadata: { requestId?: string } }) =>
          outcomes.push({ requestId: error.$metadata.requestId!, operation, error: error.name }),
      );
    for (let round = 0; round < ROUNDS; round++) {
      const names = [`alias/hot-${round % 2}`, `alias/warm-${round}`];
      await Promise.all(
        clients.map((client, i) => {
          const AliasName = names[i % names.length]!;
          const TargetKeyId = keys[i % keys.length]!;
          switch (i % 4) {
            case 0:
            case 1:
              return send('CreateAlias', () => client.send(new CreateAliasCommand({ AliasName, TargetKeyId })));
            case 2:
              return i % 8 === 2
                ? send('UpdateAlias', () => client.send(new UpdateAliasCommand({ AliasName, TargetKeyId })))
                : send('DeleteAlias', () => client.send(new DeleteAliasCommand({ AliasName })));
            default:
              return send('ListAliases', () => client.send(new ListAliasesCommand({ Limit: 3 })));
          }
        }),
      );
    }
    expect(new Set(outcomes.map((o) => o.error)).size).toBeGreaterThan(2);

    const expected = new Map(outcomes.map((o) => [o.requestId, o]));
    let rows: { request_id: string; event_name: string; error_code: string | null }[] = [];
    for (let i = 0; i < 500; i++) {
      ({ rows } = await sql<{ request_id: string; event_name: string; error_code: string | null }>`
        SELECT call_id AS request_id, event_name, error_code FROM audit_events
         WHERE call_id = ANY(${[...expected.keys()]}::text[])`.execute(kms.database.db));
      if (rows.length >= expected.size) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const seen = new Map<string, number>();
    for (const row of rows) seen.set(row.request_id, (seen.get(row.request_id) ?? 0) + 1);
    expect([...seen.values()].filter((n) => n > 1)).toEqual([]);
    expect(rows.length).toBe(expected.size);
    for (const row of rows) {
      const outcome = expected.get(row.request_id)!;
      expect([row.event_name, row.error_code]).toEqual([outcome.operation, outcome.error]);
    }
  });
});
