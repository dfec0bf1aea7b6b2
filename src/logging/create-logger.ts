import pino, { type DestinationStream, type Logger } from 'pino';
import type { Config } from '../config/config';

/**
 * The process's one JSON logger (to stdout, or to `destination`). Credentials never reach the logs:
 * the headers that carry them are redacted, and the query string of a logged URL is dropped (a
 * presigned URL's signature or a GraphQL GET's query may sit there).
 */
export function createLogger(config: Pick<Config, 'logLevel'>, destination?: DestinationStream): Logger {
  return pino(
    {
      level: config.logLevel,
      redact: {
        paths: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-amz-security-token"]'],
        censor: '[redacted]',
      },
      serializers: {
        req: (req: { method?: string; url?: string; id?: unknown; ip?: string }) => ({
          id: req.id,
          method: req.method,
          url: req.url?.split('?', 1)[0],
          remoteAddress: req.ip,
        }),
      },
    },
    destination,
  );
}
