import { importCloudTrail } from '../cloudtrail-import/cloudtrail-importer';
import { listCloudTrailFiles } from '../cloudtrail-import/cloudtrail-files';
import { formatSummary } from '../cloudtrail-import/import-summary';
import type { Config } from '../config/config';
import { createKysely } from '../database/create-database';
import { prepareDatabase } from '../event-store/prepare-database';
import { cliPool, openCliDatabase } from './cli-database';
import { ProgressBar, formatDuration } from './progress-bar';
import { type CliLogger, UsageError } from './rebuild.command';
import { IMPORT_SNAPSHOT_USAGE, importSnapshotCommand } from './import-snapshot.command';

export const IMPORT_USAGE = `usage: npm run cli -- import cloudtrail <file or folder>… [--strict]\n       ${IMPORT_SNAPSHOT_USAGE.slice('usage: '.length)}`;

const count = (n: number) => Math.round(n).toLocaleString('en-US');

/**
 * `import cloudtrail <path>…`: reads CloudTrail files (folders recursively: the S3 layout
 * AWSLogs/<account>/CloudTrail/<region>/…/*.json.gz, plain .json, JSON Lines, saved lookup-events
 * output) and imports their KMS records as observed accounts' events; other services' records are
 * counted and skipped. Progress on stderr (files, records/s, ETA by bytes), the summary on stdout.
 * A file that fails is named (with the record) and skipped, the import going on, unless --strict;
 * the exit code is 2 when any file failed.
 */
export async function importCommand(args: readonly string[], config: Config, logger: CliLogger) {
  const log = (message: string) => logger.info(message);
  const [what, ...rest] = args;
  if (what === 'snapshot') return importSnapshotCommand(rest, config, logger);
  const strict = rest.includes('--strict');
  const paths = rest.filter((arg) => arg !== '--strict');
  if (what !== 'cloudtrail' || paths.length === 0 || paths.some((p) => p.startsWith('--')))
    throw new UsageError(IMPORT_USAGE);
  const files = await listCloudTrailFiles(paths).catch((error: Error) => {
    throw new UsageError(`${IMPORT_USAGE}\n  ${error.message}`);
  });
  const server = await openCliDatabase(config, log, (message) => logger.debug(message));
  // One connection: the file being read waits in a temporary table of its session.
  const pool = cliPool(server.url, config, 'aliastrail-import', 1);
  const db = createKysely(pool);
  try {
    await prepareDatabase(server.url, log);
    const totalBytes = files.reduce((sum, file) => sum + file.bytes, 0);
    log(`importing ${files.length} files (${(totalBytes / 1e6).toFixed(1)} MB) into ${server.description}`);
    const bar = new ProgressBar(process.stderr);
    const started = Date.now();
    const summary = await importCloudTrail(db, files, {
      strict,
      onProgress: ({ files: done, bytes, records }) => {
        const seconds = (Date.now() - started) / 1000;
        const share = totalBytes === 0 ? 1 : bytes / totalBytes;
        const eta = share > 0 ? (seconds / share) * (1 - share) : undefined;
        const filled = Math.round(share * 30);
        bar.show(
          `import [${'#'.repeat(filled)}${'.'.repeat(30 - filled)}] ${String(Math.floor(share * 100)).padStart(3)}% ` +
            `${done}/${files.length} files  ${count(seconds > 0 ? records / seconds : 0)} records/s  ETA ${formatDuration(eta)}`,
          'import',
          done < files.length,
        );
      },
    });
    process.stdout.write(`${formatSummary(summary, (Date.now() - started) / 1000)}\n`);
    if (summary.files.failed > 0) process.exitCode = 2;
  } finally {
    await db.destroy();
    await server.stop();
  }
}
