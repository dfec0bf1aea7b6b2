import * as os from 'node:os';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pino from 'pino';
import { createApp } from '../../src/app.factory';
import { loadConfig } from '../../src/config/config';

/** The real application on a test database; `env` overrides configuration variables. */
export async function createTestApp(
  databaseUrl: string,
  env: Record<string, string> = {},
): Promise<NestFastifyApplication> {
  const config = loadConfig({ LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent', ...env });
  return createApp(config, databaseUrl, pino({ level: config.logLevel }));
}
