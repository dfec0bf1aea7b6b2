import { ConfigError, loadConfig } from '../config/config';
import { CliDatabaseUnavailable, openCliDatabase } from './cli-database';
import { cliErrorText } from './cli-errors';
import { prepareDatabase } from '../event-store/prepare-database';
import { createLogger } from '../logging/create-logger';

/** `npm run db:migrate`: applies pending migrations to DATABASE_URL, or to the embedded database. */
async function migrate(): Promise<void> {
  const config = loadConfig(process.env);
  const log = createLogger(config).child({ context: 'migrate' });
  const server = await openCliDatabase(
    config,
    (message) => log.info(message),
    (message) => log.debug(message),
  );
  try {
    await prepareDatabase(server.url, (message) => log.info(message));
    log.info(`database is current (${server.description})`);
  } finally {
    await server.stop();
  }
}

migrate().catch((error: unknown) => {
  console.error(cliErrorText(error, [ConfigError, CliDatabaseUnavailable], process.env.ALIASTRAIL_DEBUG === '1'));
  process.exit(1);
});
