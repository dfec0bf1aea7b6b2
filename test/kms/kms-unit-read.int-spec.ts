import {
  CreateAliasCommand,
  CreateKeyCommand,
  DeleteAliasCommand,
  DisableKeyCommand,
  KMSClient,
  UpdateAliasCommand,
} from '@aws-sdk/client-kms';
import { sql } from 'kysely';
import { EventStore } from '../../src/event-store/event-store';
import { aliasTag, keyTag } from '../../src/kms/domain/kms-events';
import { KMS_UNIT_READ } from '../../src/kms/store/kms-unit-read';
import { brokenInvariants, kmsLog } from '../support/kms-invariants';
import { type KmsTestApp, startKmsApp } from '../support/kms-test-app';
import { TEST_CREDENTIALS, createTestApp } from '../support/test-app';
import { advanceClock } from '../support/controllable-clock';

const REGION = 'us-west-2';
const ACCOUNT = TEST_CREDENTIALS.accountId;

/**
 * A KMS unit reads an alias's stream whole and a key's own events only, with the aliases that point
 * at the key and its stream's latest event time from the current model (db/migrations/0012): a key
 * whose stream holds hundreds of alias events costs a unit a handful of rows, and decides the same.
 */
describe('what a KMS unit of work reads', () => {
  let kms: KmsTestApp;
  let client: KMSClient;
  let k1: string;
  let k2: string;

  beforeAll(async () => {
    kms = await startKmsApp();
    client = kms.client({ region: REGION });
    k1 = (await client.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    k2 = (await client.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    // Long key streams: 20 aliases moved back and forth between the two keys, 5 times each.
    for (let a = 0; a < 20; a++)
      await client.send(new CreateAliasCommand({ AliasName: `alias/m${a}`, TargetKeyId: k1 }));
    for (let round = 0; round < 5; round++)
      await Promise.all(
        Array.from({ length: 20 }, (_, a) =>
          client.send(new UpdateAliasCommand({ AliasName: `alias/m${a}`, TargetKeyId: round % 2 === 0 ? k2 : k1 })),
        ),
      );
    await client.send(new DeleteAliasCommand({ AliasName: 'alias/m0' }));
  });
  afterAll(() => kms.close());

  it("takes a key's own events and a summary, not the alias events of its stream", async () => {
    const store = new EventStore(kms.database.pool, kms.database.db, { unitRead: KMS_UNIT_READ });
    const tags = [aliasTag(ACCOUNT, REGION, 'alias/m1'), keyTag(ACCOUNT, REGION, k1), keyTag(ACCOUNT, REGION, k2)];
    let seen: { types: string[]; summaries: Map<string, unknown> } | undefined;
    await store.withConsistency(tags, async ({ history, summaries }) => {
      seen = { types: history.map((e) => e.type), summaries: new Map(summaries) };
    });
    // alias/m1: created, moved 5 times; the keys: created. Not the 200 alias events of their streams.
    expect(seen!.types.sort()).toEqual(
      ['AliasCreated', ...Array(5).fill('AliasRetargeted'), 'KeyCreated', 'KeyCreated'].sort(),
    );
    const { rows } = await sql<{ key_id: string; alias_name: string }>`
      SELECT key_id, alias_name FROM kms_aliases ORDER BY alias_name`.execute(kms.database.db);
    const on = (key: string) => rows.filter((r) => r.key_id === key).map((r) => r.alias_name);
    const latest = await sql<{
      at: Date;
    }>`SELECT max(occurred_at) AS at FROM events WHERE tags && ${[tags[1]]}::text[]`.execute(kms.database.db);
    expect(seen!.summaries.get(tags[1]!)).toEqual({
      aliases: on(k1),
      lastEventAt: latest.rows[0]!.at.getTime() / 1000,
    });
    expect((seen!.summaries.get(tags[2]!) as { aliases: string[] }).aliases).toEqual(on(k2));
    expect(on(k2)).toHaveLength(19); // after 5 rounds every alias but the deleted one is on k2
    expect(seen!.summaries.has(tags[0]!)).toBe(false);
  });

  it('decides from the summary: the aliases per key quota counts the aliases its stream is not read for', async () => {
    // k2 holds 19 aliases; 31 more fill it to 50, and the 51st is refused with AWS's message.
    for (let a = 0; a < 31; a++)
      await client.send(new CreateAliasCommand({ AliasName: `alias/fill${a}`, TargetKeyId: k2 }));
    await expect(
      client.send(new CreateAliasCommand({ AliasName: 'alias/one-too-many', TargetKeyId: k2 })),
    ).rejects.toMatchObject({
      name: 'LimitExceededException',
    });
    // Moving one away makes room again, on either path: create or retarget.
    await client.send(new UpdateAliasCommand({ AliasName: 'alias/m1', TargetKeyId: k1 }));
    await client.send(new CreateAliasCommand({ AliasName: 'alias/one-too-many', TargetKeyId: k2 }));
  });

  it("keeps a key's event times from going back, though the alias events that set its latest time are not read", async () => {
    // An instance whose clock runs an hour ahead moves an alias off k1; then one on the right time disables k1.
    const ahead = await startKmsApp({ ALIASTRAIL_CLOCK: 'controllable' });
    const onTime = await createTestApp(ahead.database.url);
    await onTime.listen(0, '127.0.0.1');
    const port = (onTime.getHttpServer().address() as { port: number }).port;
    const fast = ahead.client({ region: REGION });
    const slow = new KMSClient({
      region: REGION,
      endpoint: `http://127.0.0.1:${port}`,
      maxAttempts: 1,
      credentials: TEST_CREDENTIALS,
    });
    try {
      const key = (await fast.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
      const other = (await fast.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
      await fast.send(new CreateAliasCommand({ AliasName: 'alias/skew', TargetKeyId: key }));
      await advanceClock(ahead.url, 3600);
      await fast.send(new UpdateAliasCommand({ AliasName: 'alias/skew', TargetKeyId: other }));
      await slow.send(new DisableKeyCommand({ KeyId: key }));
      const log = await kmsLog(ahead.database.db);
      expect(log.at(-1)).toMatchObject({ type: 'KeyDisabled' });
      expect(log.at(-1)!.occurred_at.getTime()).toBe(log.at(-2)!.occurred_at.getTime());
      expect(brokenInvariants(log)).toEqual([]);
    } finally {
      slow.destroy();
      await onTime.close();
      await ahead.close();
    }
  });
});
