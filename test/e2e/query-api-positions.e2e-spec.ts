import {
  CreateAliasCommand,
  CreateKeyCommand,
  DeleteAliasCommand,
  type KMSClient,
  ListKeysCommand,
  UpdateAliasCommand,
} from '@aws-sdk/client-kms';
import { sql } from 'kysely';
import { AWS_MANAGED_SERVICES } from '../../src/kms/domain/aws-managed-keys.decider';
import { type KmsTestApp, startKmsApp } from '../support/kms-test-app';
import { eventually, sleep } from '../support/events';
import { queryApi } from '../support/query-client';

const CAP_MS = 1500;

/** Answers by log position, waiting for a position (read-your-writes), and final answers. */
describe('the REST query API: positions and final answers', () => {
  let kms: KmsTestApp;
  let client: KMSClient;
  let keys: string[];
  /** Positions of: finance created, finance retargeted, ops created, finance deleted. */
  let positions: { created: string; retargeted: string; ops: string; deleted: string };
  const api = (pathAndQuery: string) => queryApi(kms.url, `/api/regions/us-west-2${pathAndQuery}`);

  /** The position of the newest event of `type` on `aliasName`, read from the log as an operator would. */
  const positionOf = async (type: string, aliasName: string) => {
    const { rows } = await sql<{ position: string }>`
      SELECT max(position)::text AS position FROM events WHERE type = ${type} AND data->>'aliasName' = ${aliasName}`.execute(
      kms.database.db,
    );
    return rows[0]!.position;
  };

  beforeAll(async () => {
    kms = await startKmsApp({
      ALIASTRAIL_POLL_INTERVAL_MS: '20',
      ALIASTRAIL_IDLE_TX_TIMEOUT_MS: '1000',
      ALIASTRAIL_EVENT_TIME_CAP_MS: String(CAP_MS),
    });
    client = kms.client();
    keys = [];
    for (let i = 0; i < 3; i++) keys.push((await client.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!);
    await client.send(new CreateAliasCommand({ AliasName: 'alias/finance', TargetKeyId: keys[0] }));
    await client.send(new UpdateAliasCommand({ AliasName: 'alias/finance', TargetKeyId: keys[1] }));
    await client.send(new CreateAliasCommand({ AliasName: 'alias/ops', TargetKeyId: keys[2] }));
    await client.send(new DeleteAliasCommand({ AliasName: 'alias/finance' }));
    positions = {
      created: await positionOf('AliasCreated', 'alias/finance'),
      retargeted: await positionOf('AliasRetargeted', 'alias/finance'),
      ops: await positionOf('AliasCreated', 'alias/ops'),
      deleted: await positionOf('AliasDeleted', 'alias/finance'),
    };
  });
  afterAll(() => kms.close());

  it('answers as of an event position, waiting until the model has applied it, and calls that final', async () => {
    const at = (position: string) => api(`/alias?name=alias/finance&atPosition=${position}`);
    const created = await at(positions.created);
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({
      atPosition: positions.created,
      atCheckpoint: expect.stringMatching(new RegExp(`^\\d{20}:0*${positions.created}$`)),
      final: true,
      alias: { targetKeyId: keys[0], version: 1 },
    });
    expect((await at(positions.retargeted)).body.alias).toMatchObject({ targetKeyId: keys[1], version: 2 });
    expect(await at(positions.deleted)).toMatchObject({ status: 404, body: { final: true } });
    const listed = await api(`/aliases?atPosition=${positions.ops}`);
    expect(listed.body.aliases.map((a: any) => [a.aliasName, a.targetKeyId])).toEqual(
      expect.arrayContaining([
        ['alias/finance', keys[1]],
        ['alias/ops', keys[2]],
      ]),
    );
    const onKey = await api(`/keys/${keys[0]}/aliases?atPosition=${positions.created}`);
    expect(onKey.body.aliases.map((a: any) => a.aliasName)).toEqual(['alias/finance']);
    const diff = await api(`/diff?fromPosition=${positions.created}&toPosition=${positions.deleted}`);
    expect(diff.body).toMatchObject({
      fromPosition: positions.created,
      toPosition: positions.deleted,
      final: true,
      changes: [
        { aliasName: 'alias/finance', before: keys[0], after: null },
        { aliasName: 'alias/ops', before: null, after: keys[2] },
      ],
    });
  });

  it('refuses positions no committed event has, and a time together with a position', async () => {
    const beyond = await api(`/alias?name=alias/finance&atPosition=${BigInt(positions.deleted) + 1000n}`);
    expect(beyond).toMatchObject({ status: 400, body: { error: { code: 'PositionBeyondHead' } } });
    const waitBeyond = await api(`/aliases?waitForPosition=${BigInt(positions.deleted) + 1000n}`);
    expect(waitBeyond).toMatchObject({ status: 400, body: { error: { code: 'PositionBeyondHead' } } });
    const both = await api(`/alias?name=alias/finance&at=${new Date().toISOString()}&atPosition=${positions.created}`);
    expect(both).toMatchObject({ status: 400, body: { error: { code: 'InvalidParameterCombination' } } });
    expect((await api('/aliases?atPosition=0')).status).toBe(400);
    expect((await api('/aliases?waitTimeoutMs=60000')).status).toBe(400);
  });

  it('reads its own writes: a query waiting for the position of a KMS write sees it', async () => {
    await client.send(new CreateAliasCommand({ AliasName: 'alias/fresh', TargetKeyId: keys[0] }));
    const position = await positionOf('AliasCreated', 'alias/fresh');
    const { status, body } = await api(`/alias?name=alias/fresh&waitForPosition=${position}`);
    expect(status).toBe(200);
    expect(body.alias).toMatchObject({ aliasName: 'alias/fresh', targetKeyId: keys[0] });
    expect(body.alias.startedBy.position).toBe(position);
  });

  // A reader that made none of the changes it must see: another client's, or the AWS managed keys a
  // Region's first call provisioned (the console tells AWS managed keys apart by their aliases).
  // Without the wait, this answer comes before the model has applied them (checked by hand).
  it('waits for everything committed so far with waitForPosition=latest', async () => {
    for (const region of ['eu-north-1', 'eu-south-1', 'ap-east-1', 'me-south-1', 'af-south-1']) {
      await kms.client({ region }).send(new ListKeysCommand({}));
      const { status, body } = await queryApi(kms.url, `/api/regions/${region}/aliases?waitForPosition=latest`);
      expect(status).toBe(200);
      expect(body.aliases.map((a: { aliasName: string }) => a.aliasName)).toEqual(
        AWS_MANAGED_SERVICES.map((service) => `alias/aws/${service}`).sort(),
      );
    }
    expect((await api('/aliases?waitForPosition=newest')).status).toBe(400);
  });

  it('answers 503 with its current position when the model cannot reach the position in time', async () => {
    const held = await kms.database.pool.connect();
    try {
      // An open transaction with an id holds every reader's barrier, so the model cannot pass it.
      await held.query('BEGIN');
      await held.query('SELECT pg_current_xact_id()');
      await client.send(new CreateAliasCommand({ AliasName: 'alias/held', TargetKeyId: keys[0] }));
      const position = await positionOf('AliasCreated', 'alias/held');
      const started = Date.now();
      const { status, body } = await api(`/alias?name=alias/held&waitForPosition=${position}&waitTimeoutMs=300`);
      expect(Date.now() - started).toBeGreaterThanOrEqual(300);
      expect(status).toBe(503);
      expect(body).toMatchObject({
        error: { code: 'PositionNotYetApplied', message: expect.stringContaining(position) },
        position: expect.stringMatching(/^\d{20}:\d{19}$/),
      });
      await held.query('ROLLBACK');
      const retried = await api(`/alias?name=alias/held&waitForPosition=${position}`);
      expect(retried).toMatchObject({ status: 200, body: { alias: { aliasName: 'alias/held' } } });
    } finally {
      held.release();
    }
  });

  it('says an answer about a time is final only once the cap has passed, and it stays the same', async () => {
    const T = new Date();
    await sleep(10);
    const first = await api(`/aliases?at=${T.toISOString()}`);
    expect(first.body.final).toBe(false);
    let final: any;
    expect(
      await eventually(async () => {
        final = (await api(`/aliases?at=${T.toISOString()}`)).body;
        return final.final === true;
      }, 4 * CAP_MS),
    ).toBe(true);
    expect(Date.now() - T.getTime()).toBeGreaterThan(CAP_MS);
    expect(new Date(final.finalBefore).getTime()).toBeGreaterThan(T.getTime());
    expect(final.aliases).toEqual(first.body.aliases);
    // Histories say where the final horizon stands too.
    expect((await api('/alias/history?name=alias/finance')).body.finalBefore).toEqual(expect.any(String));
    expect((await api(`/aliases?at=${new Date(Date.now() + 3_600_000).toISOString()}`)).body.final).toBe(false);
  });
});
