import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { KMSClient } from '@aws-sdk/client-kms';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { TEST_CREDENTIALS, createTestApp } from './test-app';
import { type TestDatabase, createTestDatabase } from './test-database';

interface ClientOptions {
  region?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  /** Which service instance to talk to (see `instances`). */
  instance?: number;
}

export interface KmsTestApp {
  readonly app: NestFastifyApplication;
  readonly database: TestDatabase;
  readonly url: string;
  readonly urls: readonly string[];
  /** A real @aws-sdk/client-kms client signed with the test credentials. */
  client(options?: ClientOptions): KMSClient;
  /** A real @aws-sdk/client-cloudtrail client (LookupEvents), configured as `client` is. */
  trail(options?: ClientOptions): CloudTrailClient;
  close(): Promise<void>;
}

/**
 * The service on a real port of its own database, for tests that drive it as AWS clients do. With
 * `instances` > 1, that many service instances share the database, as separate processes would.
 */
export async function startKmsApp(env: Record<string, string> = {}, instances = 1): Promise<KmsTestApp> {
  const database = await createTestDatabase({ poolSize: 4 });
  const apps: NestFastifyApplication[] = [];
  for (let i = 0; i < instances; i++) {
    const app = await createTestApp(database.url, env);
    await app.listen(0, '127.0.0.1');
    apps.push(app);
  }
  const urls = apps.map((app) => `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`);
  const clients: { destroy(): void }[] = [];
  const configOf = (options: ClientOptions) => ({
    region: options.region ?? 'us-west-2',
    endpoint: urls[(options.instance ?? 0) % urls.length],
    maxAttempts: 1,
    credentials: {
      accessKeyId: options.accessKeyId ?? TEST_CREDENTIALS.accessKeyId,
      secretAccessKey: options.secretAccessKey ?? TEST_CREDENTIALS.secretAccessKey,
    },
  });
  const kept = <C extends { destroy(): void }>(client: C): C => {
    clients.push(client);
    return client;
  };
  return {
    app: apps[0]!,
    database,
    url: urls[0]!,
    urls,
    client: (options = {}) => kept(new KMSClient(configOf(options))),
    trail: (options = {}) => kept(new CloudTrailClient(configOf(options))),
    close: async () => {
      clients.forEach((client) => client.destroy());
      for (const app of apps) await app.close();
      await database.drop();
    },
  };
}
