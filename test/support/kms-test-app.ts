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
  const clients: KMSClient[] = [];
  return {
    app: apps[0]!,
    database,
    url: urls[0]!,
    urls,
    client: (options = {}) => {
      const client = new KMSClient({
        region: options.region ?? 'us-west-2',
        endpoint: urls[(options.instance ?? 0) % urls.length],
        maxAttempts: 1,
        credentials: {
          accessKeyId: options.accessKeyId ?? TEST_CREDENTIALS.accessKeyId,
          secretAccessKey: options.secretAccessKey ?? TEST_CREDENTIALS.secretAccessKey,
        },
      });
      clients.push(client);
      return client;
    },
    close: async () => {
      clients.forEach((client) => client.destroy());
      for (const app of apps) await app.close();
      await database.drop();
    },
  };
}
