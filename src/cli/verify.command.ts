import type { Config } from '../config/config';
import { createKysely, createPool } from '../database/create-database';
import { verificationKeys } from '../ledger/signing-key';
import { verifyOffline } from '../ledger/verify/offline-verify';
import { verifyOnline } from '../ledger/verify/online-verify';
import { type VerifyReport, formatReport } from '../ledger/verify/verify-report';
import { openCliDatabase } from './cli-database';
import { assertLedgerTables, workersOption } from './ledger-cli';
import { type CliLogger, UsageError } from './rebuild.command';
import { holdsAnyMaterial } from '../kms/material/key-material-sql';
import { type MaterialReport, checkMaterial, formatMaterialReport } from '../kms/material/material-check';
import { RootKeyWrapper } from '../kms/material/material-wrapper';
import { RootKeyError, loadOrCreateRootKey } from '../kms/material/root-key';

export const VERIFY_USAGE =
  'usage: npm run cli -- verify [--offline <export dir>] [--public-key <file>]... [--json] [--workers N]';

/**
 * `verify`: re-walks the ledger's hash chain and its signed digests and reports the first bad
 * ledger sequence and what was done there (edited, deleted, inserted, reordered, digest-missing,
 * digest-forged). Online it reads DATABASE_URL (or the embedded database) and changes nothing;
 * with `--offline <dir>` it reads an export (`npm run cli -- export <dir>`) and no database at all.
 * Digests are checked with `--public-key` (repeat it for a rotated key), or else with the public
 * key beside ALIASTRAIL_LEDGER_KEY_FILE. The exit code is 1 on any finding, so it can gate a cron job.
 */
export async function verifyCommand(args: readonly string[], config: Config, logger: CliLogger): Promise<void> {
  const options = parse(args);
  // With --json, stdout is the report alone (the log goes to stdout too).
  const info = options.json ? () => undefined : (message: string) => logger.info(message);
  const publicKeys = verificationKeys(
    options.publicKeys,
    options.publicKeys.length === 0 ? config.ledgerKeyFile : undefined,
  );
  let report: VerifyReport;
  let material: MaterialReport | { ok: false; rootKey: string } | undefined;
  if (options.offline) {
    info(`verifying the export in ${options.offline}`);
    report = await verifyOffline(options.offline, { publicKeys });
  } else {
    const server = await openCliDatabase(config, info, (message) => logger.debug(message));
    const db = createKysely(
      createPool(server.url, {
        max: 4,
        idleTransactionTimeoutMs: config.idleTransactionTimeoutMs,
        applicationName: 'aliastrail-verify',
      }),
    );
    try {
      await assertLedgerTables(db);
      info(`verifying the ledger in ${server.description}`);
      report = await verifyOnline(db, { publicKeys, connectionString: server.url, workers: options.workers });
      material = await verifyMaterial(db, config.rootKeyFile, info);
    } finally {
      await db.destroy();
      await server.stop();
    }
  }
  if (options.json) console.log(JSON.stringify(material ? { ...report, keyMaterial: material } : report, null, 2));
  else {
    console.log(formatReport(report));
    if (material)
      console.log('rootKey' in material ? `key material: ${material.rootKey}` : formatMaterialReport(material));
  }
  if (!report.ok || (material && !material.ok)) process.exitCode = 1;
}

/**
 * Online, `verify` also unwraps every stored version of every key's material with the root key
 * (docs/history-model.md#key-material): material is in no export, so only the database can say whether it is all there.
 */
async function verifyMaterial(
  db: Parameters<typeof checkMaterial>[0],
  rootKeyFile: string,
  info: (message: string) => void,
): Promise<MaterialReport | { ok: false; rootKey: string } | undefined> {
  if (!(await holdsAnyMaterial(db))) return undefined;
  let wrapper: RootKeyWrapper;
  try {
    wrapper = new RootKeyWrapper(loadOrCreateRootKey(rootKeyFile, { create: false }));
  } catch (error) {
    if (!(error instanceof RootKeyError)) throw error;
    return { ok: false, rootKey: error.message };
  }
  info(`unwrapping the key material with the root key ${rootKeyFile}`);
  return checkMaterial(db, wrapper);
}

interface VerifyOptions {
  offline?: string;
  publicKeys: string[];
  json: boolean;
  workers?: number;
}

function parse(args: readonly string[]): VerifyOptions {
  const options: VerifyOptions = { publicKeys: [], json: false };
  for (let i = 0; i < args.length; i++) {
    const value = () => {
      const next = args[++i];
      if (next === undefined || next.startsWith('--'))
        throw new UsageError(`${VERIFY_USAGE}\n  ${args[i - 1]} needs a value`);
      return next;
    };
    switch (args[i]) {
      case '--offline':
        options.offline = value();
        break;
      case '--public-key':
        options.publicKeys.push(value());
        break;
      case '--json':
        options.json = true;
        break;
      case '--workers':
        options.workers = workersOption(value(), VERIFY_USAGE);
        break;
      default:
        throw new UsageError(`${VERIFY_USAGE}\n  unknown argument ${args[i]}`);
    }
  }
  return options;
}
