import { startEmbeddedPostgres } from '../../src/database/embedded-postgres';

/**
 * Runs the embedded PostgreSQL for the fault tests in a process of its own (`node
 * dist/test/support/fault-postgres-server.js <dataDir> <port>`): the package is ESM only, which
 * jest's module system cannot load. Prints `ready <url> <cluster dir>`, stops the server on SIGTERM.
 */
async function main(): Promise<void> {
  const [dataDir, port] = process.argv.slice(2);
  const server = await startEmbeddedPostgres({ dataDir: dataDir!, port: Number(port), log: () => undefined });
  process.stdout.write(`ready ${server.url} ${server.dataDirectory}\n`);
  process.once('SIGTERM', () => {
    server.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}

main().catch((error: Error) => {
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
});
