import pino, { type Logger } from 'pino';
import type { Config } from '../config/config';

/** The process's one JSON logger. Credentials never reach the logs. */
export function createLogger(config: Pick<Config, 'logLevel'>): Logger {
  return pino({
    level: config.logLevel,
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-amz-security-token"]'],
      censor: '[redacted]',
    },
  });
}
