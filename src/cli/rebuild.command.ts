import type { Config } from '../config/config';
import { createKysely } from '../database/create-database';
import { prepareDatabase } from '../event-store/prepare-database';
import { EventStore } from '../event-store/event-store';
import { startRebuild } from '../projections/rebuild/projection-rebuild';
import { rebuildTargets } from '../projections/rebuild/rebuild-targets';
import { cliPool, openCliDatabase } from './cli-database';
import { cliProjections } from './cli-projections';
import { ProgressBar } from './progress-bar';

/** A command line the user must fix; printed without a stack trace. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface CliLogger {
  info(message: string): void;
  debug(message: string): void;
}

export const REBUILD_USAGE = 'usage: npm run cli -- rebuild <projection|all> [--batch-size N]';

/**
 * `rebuild <projection|all>`: rebuilds each named projection without downtime (the service may
 * keep running meanwhile), one after another, with a progress bar on stderr. Ctrl-C stops at the
 * next batch and drops the shadow; the live model stays as it was.
 */
export async function rebuildCommand(args: readonly string[], config: Config, logger: CliLogger) {
  const log = (message: string) => logger.info(message);
  const [name, ...rest] = args;
  const batchSize = batchSizeOf(rest);
  if (!name) throw new UsageError(REBUILD_USAGE);
  // The embedded server's own output only at debug level, as `npm run db:migrate` does.
  const server = await openCliDatabase(config, log, (message) => logger.debug(message));
  const pool = cliPool(server.url, config, 'aliastrail-rebuild', 4);
  const db = createKysely(pool);
  const abort = new AbortController();
  const stop = () => abort.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    await prepareDatabase(server.url, log);
    log(`rebuilding in ${server.description}`);
    const store = new EventStore(pool, db);
    const targets = rebuildTargets(store, cliProjections());
    const names = name === 'all' ? [...targets.keys()] : [name];
    const unknown = names.filter((n) => !targets.has(n));
    if (unknown.length > 0)
      throw new UsageError(`no projection named ${unknown.join(', ')}; known: ${[...targets.keys()].join(', ')}, all`);
    for (const projection of names) {
      const bar = new ProgressBar(process.stderr);
      const { finished } = await startRebuild({ db, store }, targets.get(projection)!, {
        batchSize,
        signal: abort.signal,
        onProgress: (progress) => bar.update(progress),
      });
      const done = await finished;
      const seconds = (done.finishedAt!.getTime() - done.startedAt.getTime()) / 1000;
      log(`${projection}: ${done.eventsDone} events replayed and swapped in ${seconds.toFixed(1)} s`);
    }
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    await db.destroy();
    await server.stop();
  }
}

function batchSizeOf(options: readonly string[]): number | undefined {
  if (options.length === 0) return undefined;
  const [flag, value] = options;
  const size = Number(value);
  if (flag !== '--batch-size' || options.length !== 2 || !Number.isInteger(size) || size < 1 || size > 100_000)
    throw new UsageError(`${REBUILD_USAGE}\n  --batch-size: events per transaction, 1 to 100000 (default 5000)`);
  return size;
}
