import { exportCloudTrail } from '../cloudtrail-export/cloudtrail-export';
import type { Config } from '../config/config';
import { createKysely } from '../database/create-database';
import { AuditEventsReader } from '../projections/audit/audit-events.reader';
import { cliPool, openCliDatabase } from './cli-database';
import { type CliLogger, UsageError } from './rebuild.command';

export const EXPORT_CLOUDTRAIL_USAGE = 'usage: npm run cli -- export cloudtrail <dir> [--account <12 digits>]';

/**
 * `export cloudtrail <dir> [--account <id>]`: writes the audit trail (of one account, or of every
 * account) as CloudTrail log files in the S3 layout (cloudtrail-export.ts), which `import cloudtrail`
 * and other CloudTrail tools read. It reflects the audit projection as it stands: the position it
 * reflects is printed with the summary.
 */
export async function exportCloudTrailCommand(args: readonly string[], config: Config, logger: CliLogger) {
  const [directory, ...rest] = args;
  if (!directory || directory.startsWith('--')) throw new UsageError(EXPORT_CLOUDTRAIL_USAGE);
  let accountId: string | undefined;
  if (rest.length > 0) {
    if (rest[0] !== '--account' || rest.length !== 2 || !/^\d{12}$/.test(rest[1]!))
      throw new UsageError(EXPORT_CLOUDTRAIL_USAGE);
    accountId = rest[1];
  }
  const log = (message: string) => logger.info(message);
  const server = await openCliDatabase(config, log, (message) => logger.debug(message));
  const db = createKysely(cliPool(server.url, config, 'aliastrail-export-cloudtrail', 2));
  try {
    const summary = await exportCloudTrail(new AuditEventsReader(db), directory, { accountId });
    const scopes = summary.scopes.map((s) => `${s.accountId} ${s.region}`).join(', ') || 'none';
    process.stdout.write(
      `exported ${summary.records} records in ${summary.files} files to ${directory} (audit position ${summary.position}; account and Region: ${scopes})\n`,
    );
  } finally {
    await db.destroy();
    await server.stop();
  }
}
