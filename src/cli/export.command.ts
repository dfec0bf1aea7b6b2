import type { Config } from '../config/config';
import { createKysely, createPool } from '../database/create-database';
import { exportLedger } from '../ledger/ledger-export';
import { openCliDatabase } from './cli-database';
import { assertLedgerTables, workersOption } from './ledger-cli';
import { type CliLogger, UsageError } from './rebuild.command';
import { EXPORT_CLOUDTRAIL_USAGE, exportCloudTrailCommand } from './export-cloudtrail.command';

export const EXPORT_USAGE = `usage: npm run cli -- export <dir> [--workers N]\n       ${EXPORT_CLOUDTRAIL_USAGE.slice('usage: '.length)}`;

/**
 * `export <dir>`: writes the ledger, the events it chains (each in the canonical text that was
 * hashed), the signed digests and any event that sits behind the ledger unchained, for
 * `npm run cli -- verify --offline <dir> --public-key <file>` on a machine with no database. The
 * service may keep running; the export ends at the ledger's head when it starts.
 */
export async function exportCommand(args: readonly string[], config: Config, logger: CliLogger): Promise<void> {
  if (args[0] === 'cloudtrail') return exportCloudTrailCommand(args.slice(1), config, logger);
  const [directory, ...rest] = args;
  if (!directory || directory.startsWith('--')) throw new UsageError(EXPORT_USAGE);
  let workers: number | undefined;
  if (rest.length > 0) {
    if (rest[0] !== '--workers' || rest.length !== 2) throw new UsageError(EXPORT_USAGE);
    workers = workersOption(rest[1]!, EXPORT_USAGE);
  }
  const server = await openCliDatabase(
    config,
    (message) => logger.info(message),
    (message) => logger.debug(message),
  );
  const db = createKysely(
    createPool(server.url, {
      max: 4,
      idleTransactionTimeoutMs: config.idleTransactionTimeoutMs,
      applicationName: 'aliastrail-export',
    }),
  );
  try {
    await assertLedgerTables(db);
    logger.info(`exporting the ledger of ${server.description} to ${directory}`);
    const result = await exportLedger(db, directory, { connectionString: server.url, workers });
    logger.info(
      `exported ${result.entries} ledger entries, ${result.digests} digests and ${result.strays} stray events (${(result.bytes / 1e6).toFixed(1)} MB)`,
    );
  } finally {
    await db.destroy();
    await server.stop();
  }
}
