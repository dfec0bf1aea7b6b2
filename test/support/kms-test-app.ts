import { KMSClient } from '@aws-sdk/client-kms';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { TEST_CREDENTIALS, createTestApp } from './test-app';
import { type TestDatabase, createTestDatabase } from './test-database';

export interface KmsTestApp {
  readonly app: NestFastifyApplication;
  readonly database: TestDatabase;
  readonly url: string;
  /** A real @aws-sdk/client-kms client signed with the test credentials. */
  client(options?: { region?: string; accessKeyId?: string; secretAccessKey?: string }): KMSClient;
  close(): Promise<void>;
}

/** The service on a real port of its own database, for tests that drive it as AWS clients do. */
export async function startKmsApp(env: Record<string, string> = {}): Promise<KmsTestApp> {
  const database = await createTestDatabase();
  const app = await createTestApp(database.url, env);
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  const url = `http://127.0.0.1:${address.port}`;
  const clients: KMSClient[] = [];
  return {
    app,
    database,
    url,
    client: (options = {}) => {
      const client = new KMSClient({
        region: options.region ?? 'us-west-2',
        endpoint: url,
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
      await app.close();
      await database.drop();
    },
  };
}
