import * as os from 'node:os';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pino from 'pino';
import { createApp } from '../../src/app.factory';
import { loadConfig } from '../../src/config/config';

/** The credentials the test app accepts (its bootstrap principal). */
export const TEST_CREDENTIALS = {
  accessKeyId: 'AKIAALIASTRAILTEST01',
  secretAccessKey: 'test-secret-access-key-0000000000000000',
  accountId: '111122223333',
} as const;

/** The real application on a test database; `env` overrides configuration variables. */
export async function createTestApp(
  databaseUrl: string,
  env: Record<string, string> = {},
): Promise<NestFastifyApplication> {
  const config = loadConfig({
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ALIASTRAIL_DATA_DIR: os.tmpdir(),
    ALIASTRAIL_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
    ALIASTRAIL_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
    ALIASTRAIL_ACCOUNT_ID: TEST_CREDENTIALS.accountId,
    ...env,
  });
  return createApp(config, databaseUrl, pino({ level: config.logLevel }));
}
