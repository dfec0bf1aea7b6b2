import 'reflect-metadata';
import { createApp } from './app.factory';
import { ConfigError, loadConfig } from './config/config';
import { openDatabaseServer } from './database/database-server';
import { prepareDatabase } from './event-store/prepare-database';
import { createLogger } from './logging/create-logger';

/** Start-up: database (given or embedded), migrations, restore check, then HTTP; clean stop on signals. */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createLogger(config);
  const log = logger.child({ context: 'bootstrap' });
  const server = await openDatabaseServer(
    config,
    (message) => log.info(message),
    (message) => log.debug(message),
  );
  let app: Awaited<ReturnType<typeof createApp>> | undefined;
  let stopping: Promise<void> | undefined;
  const stop = (signal: string) => {
    stopping ??= (async () => {
      log.info({ signal }, 'stopping');
      await app?.close();
      await server.stop();
      log.info('stopped');
    })();
    return stopping;
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      stop(signal).then(
        () => process.exit(0),
        (error) => {
          log.error({ err: error }, 'unclean stop');
          process.exit(1);
        },
      );
    });
  }
  try {
    await prepareDatabase(server.url, (message) => log.info(message));
    app = await createApp(config, server.url, logger);
    await app.listen(config.port, config.host);
    log.info(`aliastrail listening on http://${config.host}:${config.port} (database: ${server.description})`);
  } catch (error) {
    await app?.close().catch(() => undefined);
    await server.stop().catch(() => undefined);
    throw error;
  }
}

main().catch((error: Error) => {
  // A config error is the user's to fix: say what is wrong without a stack trace.
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
