import 'reflect-metadata';
import { ConfigError, loadConfig } from '../config/config';
import { createLogger } from '../logging/create-logger';
import { RebuildInProgress } from '../projections/rebuild/rebuild-lock';
import { RebuildRefused } from '../projections/rebuild/read-table-shapes';
import { LedgerKeyError } from '../ledger/signing-key';
import { CliDatabaseUnavailable } from './cli-database';
import { cliErrorText } from './cli-errors';
import { EXPORT_USAGE, exportCommand } from './export.command';
import { IMPORT_USAGE, importCommand } from './import.command';
import { REBUILD_USAGE, UsageError, rebuildCommand } from './rebuild.command';
import { TOKEN_USAGE } from './token-args';
import { tokenCommand } from './token.command';
import { VERIFY_USAGE, verifyCommand } from './verify.command';

const COMMANDS: Record<string, typeof rebuildCommand> = {
  rebuild: rebuildCommand,
  verify: verifyCommand,
  export: exportCommand,
  import: importCommand,
  token: tokenCommand,
};

/** `npm run cli -- <command> …`: admin commands against DATABASE_URL, or the embedded database. */
async function cli(argv: readonly string[]): Promise<void> {
  const [command, ...args] = argv;
  const run = command === undefined ? undefined : COMMANDS[command];
  if (!run)
    throw new UsageError(
      `commands:\n  ${[REBUILD_USAGE, VERIFY_USAGE, EXPORT_USAGE, IMPORT_USAGE, TOKEN_USAGE].join('\n  ')}`,
    );
  const config = loadConfig(process.env);
  const log = createLogger(config).child({ context: command });
  await run(args, config, { info: (message) => log.info(message), debug: (message) => log.debug(message) });
}

cli(process.argv.slice(2)).catch((error: unknown) => {
  // What the user can fix, or a refusal with its reason, needs no stack trace (cli-errors.ts).
  const plain = [ConfigError, UsageError, RebuildInProgress, RebuildRefused, LedgerKeyError, CliDatabaseUnavailable];
  console.error(cliErrorText(error, plain, process.env.ALIASTRAIL_DEBUG === '1'));
  process.exit(1);
});
