import {
  CreateGrantCommand,
  type CreateGrantCommandOutput,
  CreateKeyCommand,
  ListGrantsCommand,
  RetireGrantCommand,
  ScheduleKeyDeletionCommand,
} from '@aws-sdk/client-kms';
import { sql } from 'kysely';
import { EventStore } from '../../src/event-store/event-store';
import { CurrentRebuildTarget } from '../../src/projections/rebuild/current-rebuild-target';
import { GrantsRebuildTarget } from '../../src/projections/rebuild/grants-rebuild-target';
import { startRebuild } from '../../src/projections/rebuild/projection-rebuild';
import { failureOf } from '../support/failure';
import { type KmsTestApp, startKmsApp } from '../support/kms-test-app';
import { clockRequest } from '../support/controllable-clock';

const INSTANCES = 3;
const GRANTEE = 'arn:aws:iam::111122223333:role/racer';

/**
 * Grants under concurrency across service instances sharing one database, and rebuilds of the
 * models they live beside: one grant per name, no grant outliving its key, and rebuilds that give
 * back the same grants.
 */
describe('grants across instances', () => {
  let kms: KmsTestApp;

  beforeAll(async () => {
    kms = await startKmsApp({ ALIASTRAIL_CLOCK: 'controllable' }, INSTANCES);
  });
  afterAll(() => kms.close());

  const clients = () => Array.from({ length: INSTANCES }, (_, instance) => kms.client({ instance }));
  const grantRows = async (keyId: string) =>
    (
      await sql<{ grant_id: string }>`SELECT grant_id FROM kms_grants WHERE key_id = ${keyId}`.execute(kms.database.db)
    ).rows.map((row) => row.grant_id);

  it('gives identical named CreateGrant calls racing on every instance one grant id', async () => {
    const all = clients();
    const keyId = (await all[0]!.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    const answers = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        all[i % INSTANCES]!.send(
          new CreateGrantCommand({ KeyId: keyId, GranteePrincipal: GRANTEE, Operations: ['Decrypt'], Name: 'once' }),
        ),
      ),
    );
    expect(new Set(answers.map((a) => a.GrantId)).size).toBe(1);
    expect(new Set(answers.map((a) => a.GrantToken)).size).toBe(answers.length);
    expect(await grantRows(keyId)).toEqual([answers[0]!.GrantId]);
    const { rows } = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM events WHERE type = 'GrantCreated' AND data->>'keyId' = ${keyId}`.execute(
      kms.database.db,
    );
    expect(rows[0]!.n).toBe(1);
    // Any instance's token works on any other: they share the root key file.
    await all[2]!.send(new RetireGrantCommand({ GrantToken: answers[0]!.GrantToken }));
    expect(await grantRows(keyId)).toEqual([]);
  });

  it('lets no grant outlive its key when CreateGrant races ScheduleKeyDeletion and the deletion', async () => {
    const all = clients();
    const keyId = (await all[0]!.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    let scheduled = false;
    const outcomes: string[] = [];
    const racer = async (client: (typeof all)[number]) => {
      // Until a call sees the key pending deletion; grants created before that are fine.
      for (;;) {
        const outcome = await failureOf(
          client.send(new CreateGrantCommand({ KeyId: keyId, GranteePrincipal: GRANTEE, Operations: ['Encrypt'] })),
        );
        outcomes.push(outcome.name);
        if (outcome.name !== 'no error' && scheduled) return;
      }
    };
    const racers = all.flatMap((client) => [racer(client), racer(client)]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await all[1]!.send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 }));
    scheduled = true;
    await Promise.all(racers);
    expect(new Set(outcomes)).toEqual(new Set(['no error', 'KMSInvalidStateException']));
    expect((await grantRows(keyId)).length).toBe(outcomes.filter((o) => o === 'no error').length);
    // The deletion, on one instance's clock, races more CreateGrant calls on the others.
    const deletion = clockRequest(kms.urls[0]!, 8 * 86_400);
    const late = await Promise.all(
      [1, 2, 1, 2].map((i) =>
        failureOf(
          all[i]!.send(new CreateGrantCommand({ KeyId: keyId, GranteePrincipal: GRANTEE, Operations: ['Encrypt'] })),
        ),
      ),
    );
    expect((await deletion).status).toBe(200);
    expect(late.every((o) => ['KMSInvalidStateException', 'NotFoundException'].includes(o.name))).toBe(true);
    expect(await grantRows(keyId)).toEqual([]);
    expect(await failureOf(all[0]!.send(new ListGrantsCommand({ KeyId: keyId })))).toMatchObject({
      name: 'NotFoundException',
    });
  });

  it('keeps the grants through a rebuild of `current`, and a rebuild of `grants` gives the same rows back', async () => {
    const client = kms.client();
    const keyId = (await client.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    const created: CreateGrantCommandOutput[] = [];
    for (let i = 0; i < 4; i++)
      created.push(
        await client.send(
          new CreateGrantCommand({ KeyId: keyId, GranteePrincipal: GRANTEE, Operations: ['Decrypt'], Name: `g${i}` }),
        ),
      );
    await client.send(new RetireGrantCommand({ GrantToken: created[1]!.GrantToken }));
    const dump = async () =>
      (
        await sql<Record<string, unknown>>`SELECT * FROM kms_grants ORDER BY account_id, region, grant_id`.execute(
          kms.database.db,
        )
      ).rows;
    const before = await dump();
    const listed = async () => (await client.send(new ListGrantsCommand({ KeyId: keyId }))).Grants;
    const listedBefore = await listed();
    expect(listedBefore!.map((g) => g.GrantId)).toEqual([0, 2, 3].map((i) => created[i]!.GrantId));
    const store = new EventStore(kms.database.pool, kms.database.db);
    for (const target of [new CurrentRebuildTarget(), new GrantsRebuildTarget()]) {
      const { finished } = await startRebuild({ db: kms.database.db, store }, target);
      await finished;
      expect(await dump()).toEqual(before);
      expect(await listed()).toEqual(listedBefore);
    }
    // A damaged grants model is rebuilt from the events.
    await sql`DELETE FROM kms_grants`.execute(kms.database.db);
    await (
      await startRebuild({ db: kms.database.db, store }, new GrantsRebuildTarget())
    ).finished;
    expect(await dump()).toEqual(before);
  });
});
