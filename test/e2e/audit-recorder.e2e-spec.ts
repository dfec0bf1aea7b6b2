import * as os from 'node:os';
import { Writable } from 'node:stream';
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DescribeKeyCommand,
  KMSClient,
  ListAliasesCommand,
} from '@aws-sdk/client-kms';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { sql } from 'kysely';
import { AuditRecorder } from '../../src/audit/audit-recorder';
import { createApp } from '../../src/app.factory';
import { loadConfig } from '../../src/config/config';
import { createLogger } from '../../src/logging/create-logger';
import { eventually } from '../support/events';
import { rawKms } from '../support/raw-kms';
import { TEST_CREDENTIALS } from '../support/test-app';
import { type TestDatabase, createTestDatabase } from '../support/test-database';
import { dependencyTimeout } from '../../src/kms/domain/kms-error';
import type { KmsRequest } from '../../src/kms/kms-request';
import { PrincipalRegistry } from '../../src/auth/principal.registry';
import { randomUUID } from 'node:crypto';

const MISSING_KEY = '00000000-0000-4000-8000-0000000000aa';

/** The service on its own database, with its log lines kept. */
async function start() {
  const database = await createTestDatabase({ poolSize: 4 });
  const config = loadConfig({
    LOG_LEVEL: 'info',
    ALIASTRAIL_DATA_DIR: os.tmpdir(),
    ALIASTRAIL_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
    ALIASTRAIL_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
    ALIASTRAIL_ACCOUNT_ID: TEST_CREDENTIALS.accountId,
    ALIASTRAIL_POLL_INTERVAL_MS: '20',
  });
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const app: NestFastifyApplication = await createApp(config, database.url, createLogger(config, sink));
  await app.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
  const client = (userAgent?: string) =>
    new KMSClient({
      region: 'us-west-2',
      endpoint: url,
      maxAttempts: 1,
      credentials: TEST_CREDENTIALS,
      ...(userAgent ? { customUserAgent: userAgent } : {}),
    });
  return { database, app, url, lines, client, recorder: app.get(AuditRecorder) };
}
type Service = Awaited<ReturnType<typeof start>>;

/** The request ids of the KmsCallRecorded events stored. */
async function recordedIds(database: TestDatabase): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`
    SELECT metadata->>'requestId' AS id FROM events WHERE type = 'KmsCallRecorded'`.execute(database.db);
  return rows.map((row) => row.id);
}

/** A DescribeKey of a missing key: a failed call, recorded by the AuditRecorder; its request id. */
async function failedCall(client: KMSClient): Promise<string> {
  const error = await client.send(new DescribeKeyCommand({ KeyId: MISSING_KEY })).catch((e: unknown) => e);
  expect((error as Error).name).toBe('NotFoundException');
  return (error as { $metadata: { requestId: string } }).$metadata.requestId;
}

const metric = async (url: string, name: string) => {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(name));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
};

describe('the audit recorder cannot be silenced', () => {
  let service: Service | undefined;
  afterEach(async () => {
    await service?.app.close();
    await service?.database.drop();
    service = undefined;
  });

  it('records the lone-surrogate CreateAlias (replaced and marked), then every later failed and read-only call', async () => {
    service = await start();
    const { url, database } = service;
    const poison = await rawKms(url, '{"AliasName":"alias/lone\\ud800","TargetKeyId":"x"}', {
      target: 'TrentService.CreateAlias',
    });
    expect(poison.status).toBe(400);
    const poisonId = poison.headers.get('x-amzn-requestid')!;
    const client = service.client();
    const later: string[] = [];
    for (let i = 0; i < 5; i++) {
      const list = await client.send(new ListAliasesCommand({}));
      later.push(list.$metadata.requestId!, await failedCall(client));
    }
    const all = [poisonId, ...later];
    expect(
      await eventually(async () => {
        const recorded = new Set(await recordedIds(database));
        return all.every((id) => recorded.has(id));
      }, 5000),
    ).toBe(true);

    const { rows } = await sql<{ metadata: Record<string, any>; data: Record<string, any> }>`
      SELECT metadata, data FROM events WHERE metadata->>'requestId' = ${poisonId}`.execute(database.db);
    expect(rows[0]!.metadata.requestParameters).toEqual({ AliasName: 'alias/lone\ufffd', TargetKeyId: 'x' });
    // Once in the parameters, once in the error message that repeats the alias name.
    expect(rows[0]!.metadata.unstorableCharactersReplaced).toBeGreaterThanOrEqual(1);
    expect(rows[0]!.data.errorCode).toBe('ValidationException');
    expect(service.recorder.status()).toEqual({ held: 0, oldestHeldMs: null, setAside: 0 });
  });

  it('answers a body nesting 50,000 levels with 400 SerializationException, and audits the call', async () => {
    service = await start();
    const answer = await rawKms(service.url, '['.repeat(50_000) + ']'.repeat(50_000));
    expect(answer.status).toBe(400);
    expect(answer.json).toEqual({
      __type: 'SerializationException',
      message: 'The request body nests deeper than 64 levels.',
    });
    const id = answer.headers.get('x-amzn-requestid')!;
    expect(await eventually(async () => (await recordedIds(service!.database)).includes(id), 5000)).toBe(true);
    const deepKey = await rawKms(service.url, `{"a":${'{"k":'.repeat(1000)}1${'}'.repeat(1000)}}`, {
      target: 'TrentService.DescribeKey',
    });
    expect(deepKey.json?.__type).toBe('SerializationException');
  });

  it('keeps a record small when the call repeats a huge value: the error message is cut at 1 KiB and says so', async () => {
    service = await start();
    const huge = `alias/${'x'.repeat(600_000)}`;
    const error = await service
      .client()
      .send(new CreateAliasCommand({ AliasName: huge, TargetKeyId: MISSING_KEY }))
      .catch((e: unknown) => e as Error & { $metadata: { requestId: string } });
    expect((error as Error).name).toBe('ValidationException');
    const requestId = (error as { $metadata: { requestId: string } }).$metadata.requestId;
    await service.recorder.flush();
    const { rows } = await sql<{ message: string; bytes: number }>`
      SELECT data->>'errorMessage' AS message, octet_length(data::text) + octet_length(metadata::text) AS bytes
        FROM events WHERE type = 'KmsCallRecorded' AND metadata->>'requestId' = ${requestId}`.execute(
      service.database.db,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.message.length).toBeLessThan(1100);
    expect(rows[0]!.message).toMatch(/… \(\d+ more characters not recorded\)$/);
    expect(rows[0]!.bytes).toBeLessThan(16 * 1024);
  });

  it('records the failure of a write whose connection was lost before its commit: once, and nothing else', async () => {
    service = await start();
    const { database } = service;
    const client = service.client();
    // The first call of an account and Region provisions its AWS managed keys (and their aliases).
    const key = (await client.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    // The append's own session ends inside its INSERT: the unit's outcome is unknown to the service.
    await sql`CREATE FUNCTION lose_connection() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.type = 'AliasCreated' THEN PERFORM pg_terminate_backend(pg_backend_pid()); END IF;
        RETURN NEW;
      END $$`.execute(database.db);
    await sql`CREATE TRIGGER lose_connection BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION lose_connection()`.execute(
      database.db,
    );
    const error = await client
      .send(new CreateAliasCommand({ AliasName: 'alias/lost', TargetKeyId: key }))
      .catch((e: unknown) => e as Error & { $metadata: { requestId: string; httpStatusCode: number } });
    expect([
      (error as Error).name,
      (error as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode,
    ]).toEqual(['DependencyTimeoutException', 503]);
    await service.recorder.flush();
    const { rows } = await sql<{ type: string; error: string | null }>`
      SELECT type, data->>'errorCode' AS error FROM events
       WHERE metadata->>'requestId' = ${(error as { $metadata: { requestId: string } }).$metadata.requestId}`.execute(
      database.db,
    );
    expect(rows).toEqual([{ type: 'KmsCallRecorded', error: 'DependencyTimeoutException' }]);
  });

  it('does not record the failure of a write that committed after all (its events are stored)', async () => {
    service = await start();
    const { database, recorder } = service;
    const client = service.client();
    const key = (await client.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    await client.send(new CreateAliasCommand({ AliasName: 'alias/committed', TargetKeyId: key }));
    const { rows } = await sql<{ id: string; request: string }>`
      SELECT event_id::text AS id, metadata->>'requestId' AS request FROM events
       WHERE type = 'AliasCreated' AND data->>'aliasName' = 'alias/committed'`.execute(database.db);
    // As the controller records a write whose connection was lost after COMMIT was sent.
    const request: KmsRequest = {
      requestId: rows[0]!.request,
      operation: 'CreateAlias',
      principal: service.app.get(PrincipalRegistry).find(TEST_CREDENTIALS.accessKeyId)!,
      scope: { accountId: TEST_CREDENTIALS.accountId, region: 'us-west-2' },
      sourceIp: '127.0.0.1',
      userAgent: 'test',
      params: { AliasName: 'alias/committed', TargetKeyId: key },
    };
    await recorder.record(request, { error: dependencyTimeout(), unlessStored: [rows[0]!.id.toUpperCase()] });
    await recorder.record(request, { error: dependencyTimeout(), unlessStored: [randomUUID()] });
    await recorder.flush();
    const { rows: recorded } = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM events WHERE type = 'KmsCallRecorded' AND metadata->>'requestId' = ${rows[0]!.request}`.execute(
      database.db,
    );
    // The first is superseded by the stored write; the second names events never stored.
    expect(recorded[0]!.n).toBe(1);
    expect(await metric(service.url, 'aliastrail_audit_calls_total{outcome="superseded"}')).toBe(1);
  });

  it('sets aside a record the database refuses, logs it without its content, counts it, and writes the others', async () => {
    service = await start();
    const { database, url } = service;
    // A record this database refuses as data, whatever the recorder does to it.
    await sql`CREATE FUNCTION refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.metadata->>'userAgent' LIKE '%poison-agent%' THEN
          RAISE EXCEPTION 'refused for the test' USING ERRCODE = '22023';
        END IF;
        RETURN NEW;
      END $$`.execute(database.db);
    await sql`CREATE TRIGGER refuse_poison BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION refuse_poison()`.execute(
      database.db,
    );
    const good = service.client();
    const poisoned = service.client('poison-agent');
    const ids = await Promise.all([failedCall(good), failedCall(poisoned), failedCall(good), failedCall(good)]);
    const goodIds = [ids[0]!, ids[2]!, ids[3]!];
    expect(await eventually(async () => service!.recorder.status().setAside === 1, 5000)).toBe(true);
    expect(await eventually(async () => (await recordedIds(database)).length === 3, 5000)).toBe(true);
    expect((await recordedIds(database)).sort()).toEqual([...goodIds].sort());
    const fresh = await failedCall(good);
    expect(await eventually(async () => (await recordedIds(database)).includes(fresh), 5000)).toBe(true);
    expect(await metric(url, 'aliastrail_audit_calls_total{outcome="set_aside"}')).toBe(1);
    const logged = service.lines.find((line) => line.includes('audit record set aside'));
    expect(logged).toContain('22023');
    expect(logged).toContain(ids[1]);
    expect(logged).not.toContain('poison-agent');
    expect(logged).not.toContain(TEST_CREDENTIALS.secretAccessKey);
  });

  it('holds records while the database is unavailable, shows them, and writes them on a graceful stop', async () => {
    service = await start();
    const { database, url } = service;
    // An availability error (admin shutdown) on every audit record, as a failover would give.
    await failAuditWrites(database, '57P01');
    const client = service.client();
    const ids = [await failedCall(client), await failedCall(client), await failedCall(client)];
    expect(await eventually(() => service!.recorder.status().held === 3, 5000)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(service.recorder.status().oldestHeldMs).toBeGreaterThan(50);
    expect(service.recorder.status().setAside).toBe(0);
    expect(await metric(url, 'aliastrail_audit_held_records')).toBe(3);
    expect(await metric(url, 'aliastrail_audit_oldest_held_seconds')).toBeGreaterThan(0);
    expect(await recordedIds(database)).toEqual([]);

    await sql`DROP TRIGGER unavailable ON events`.execute(database.db);
    await service.app.close();
    expect((await recordedIds(database)).sort()).toEqual([...ids].sort());
    expect(service.lines.join('')).toMatch(/audit recorder stopped: 3 of 3 unwritten records written, 0 could not be/);
    await database.drop();
    service = undefined;
  });

  it('says how many held records a stop could not write, after a bounded wait', async () => {
    service = await start();
    const { database } = service;
    await failAuditWrites(database, '08006');
    await failedCall(service.client());
    expect(await eventually(() => service!.recorder.status().held === 1, 5000)).toBe(true);
    const started = Date.now();
    await service.app.close();
    expect(Date.now() - started).toBeLessThan(8000);
    expect(service.lines.join('')).toMatch(/audit recorder stopped: 0 of 1 unwritten records written, 1 could not be/);
    await database.drop();
    service = undefined;
  });
});

/** Every audit record's insert fails with `code` (a trigger), as an unavailable database would fail it. */
async function failAuditWrites(database: TestDatabase, code: '57P01' | '08006'): Promise<void> {
  await sql
    .raw(
      `CREATE FUNCTION unavailable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.type = 'KmsCallRecorded' THEN RAISE EXCEPTION 'going away' USING ERRCODE = '${code}'; END IF;
        RETURN NEW;
      END $$`,
    )
    .execute(database.db);
  await sql`CREATE TRIGGER unavailable BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION unavailable()`.execute(
    database.db,
  );
}
