import { CreateAliasCommand, KMSClient } from '@aws-sdk/client-kms';
import { TEST_CREDENTIALS } from './test-app';
import { sleep } from './events';

/** What became of one CreateAlias: answered 200, refused with a 4xx, or never answered for sure. */
export interface WriteOutcome {
  readonly alias: string;
  readonly status: 'ok' | 'refused' | 'unanswered';
  /** The error's name (a 4xx code, DependencyTimeoutException, a network error). */
  readonly code?: string;
  /** When the answer (or the failure) came, epoch ms. */
  readonly at: number;
  /** How long the call took. */
  readonly ms: number;
}

export interface WriteLoad {
  readonly outcomes: WriteOutcome[];
  stop(): Promise<WriteOutcome[]>;
}

/**
 * `clients` writers, each a real @aws-sdk/client-kms client with retries off (every answer is
 * seen as it came), creating aliases with names of their own over the keys, spread over the
 * instances, until stopped. Unique names make a lost or duplicated write show in the log.
 */
export function startWriteLoad(options: {
  readonly urls: readonly string[];
  readonly keys: readonly string[];
  readonly prefix: string;
  readonly clients?: number;
  readonly pauseMs?: number;
}): WriteLoad {
  const outcomes: WriteOutcome[] = [];
  let running = true;
  const workers = Array.from({ length: options.clients ?? 16 }, async (_, w) => {
    const client = new KMSClient({
      region: 'us-west-2',
      endpoint: options.urls[w % options.urls.length],
      maxAttempts: 1,
      credentials: TEST_CREDENTIALS,
    });
    try {
      for (let i = 0; running; i++) {
        const alias = `alias/${options.prefix}-${w}-${i}`;
        const key = options.keys[(w * 7 + i) % options.keys.length]!;
        const started = Date.now();
        try {
          await client.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: key }), {
            abortSignal: AbortSignal.timeout(30_000),
          });
          outcomes.push({ alias, status: 'ok', at: Date.now(), ms: Date.now() - started });
        } catch (error) {
          const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
          const status = e.$metadata?.httpStatusCode;
          outcomes.push({
            alias,
            status: status !== undefined && status < 500 ? 'refused' : 'unanswered',
            code: e.name,
            at: Date.now(),
            ms: Date.now() - started,
          });
          await sleep(50); // a failing service is not hammered
        }
        await sleep(options.pauseMs ?? 10);
      }
    } finally {
      client.destroy();
    }
  });
  return {
    outcomes,
    stop: async () => {
      running = false;
      await Promise.all(workers);
      return outcomes;
    },
  };
}
