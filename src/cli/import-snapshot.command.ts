import { KMSClient } from '@aws-sdk/client-kms';
import { SnapshotAccountUnknown, takeKmsSnapshot } from '../cloudtrail-import/kms-snapshot';
import { ServedAccountError } from '../cloudtrail-import/cloudtrail-importer';
import { importSnapshot } from '../cloudtrail-import/snapshot-importer';
import type { Config } from '../config/config';
import { createKysely } from '../database/create-database';
import { prepareDatabase } from '../event-store/prepare-database';
import { cliPool, openCliDatabase } from './cli-database';
import { type CliLogger, UsageError } from './rebuild.command';

export const IMPORT_SNAPSHOT_USAGE =
  'usage: npm run cli -- import snapshot [--endpoint-url <url>] [--profile <name>] [--region <region>] [--account <12 digits>]';

const OPTIONS = new Set(['--endpoint-url', '--profile', '--region', '--account']);

function optionsOf(args: readonly string[]): Map<string, string> {
  const options = new Map<string, string>();
  for (let i = 0; i < args.length; i += 2) {
    const [name, value] = [args[i]!, args[i + 1]];
    if (!OPTIONS.has(name) || value === undefined || value.startsWith('--') || options.has(name))
      throw new UsageError(IMPORT_SNAPSHOT_USAGE);
    options.set(name, value);
  }
  const account = options.get('--account');
  if (account !== undefined && !/^\d{12}$/.test(account)) throw new UsageError(IMPORT_SNAPSHOT_USAGE);
  return options;
}

/**
 * `import snapshot`: records the live state of an account's Region (ListKeys, DescribeKey,
 * ListAliases through the AWS SDK, with its standard credential chain: --profile, the environment,
 * the shared config files; real AWS unless --endpoint-url) as evidence of an observed account, then
 * prints the reconciliation report against the records imported so far.
 */
export async function importSnapshotCommand(args: readonly string[], config: Config, logger: CliLogger) {
  const options = optionsOf(args);
  const log = (message: string) => logger.info(message);
  const client = new KMSClient({
    ...(options.has('--endpoint-url') && { endpoint: options.get('--endpoint-url') }),
    ...(options.has('--profile') && { profile: options.get('--profile') }),
    ...(options.has('--region') && { region: options.get('--region') }),
  });
  try {
    const snapshot = await takeKmsSnapshot(client, { accountId: options.get('--account') }).catch((error: Error) => {
      if (error instanceof SnapshotAccountUnknown) throw new UsageError(`${IMPORT_SNAPSHOT_USAGE}\n  ${error.message}`);
      throw new UsageError(`the snapshot failed: ${error.name}: ${error.message}`);
    });
    const server = await openCliDatabase(config, log, (message) => logger.debug(message));
    const db = createKysely(cliPool(server.url, config, 'aliastrail-import-snapshot', 1));
    try {
      await prepareDatabase(server.url, log);
      const { position, findings } = await importSnapshot(db, snapshot).catch((error: Error) => {
        if (error instanceof ServedAccountError) throw new UsageError(error.message);
        throw error;
      });
      const lines = [
        `snapshot of ${snapshot.accountId} ${snapshot.region} at ${snapshot.takenAt}: ${snapshot.keys.length} keys, ${snapshot.aliases.length} aliases (event position ${position})`,
        findings.length === 0
          ? 'reconciliation: the snapshot and the imported records agree'
          : `reconciliation: ${findings.length} findings`,
        ...findings.map((f) => `  ${f.kind}  ${f.subject}  ${f.detail}`),
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    } finally {
      await db.destroy();
      await server.stop();
    }
  } finally {
    client.destroy();
  }
}
