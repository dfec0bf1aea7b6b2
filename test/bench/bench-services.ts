import { type ChildProcess, spawn } from 'node:child_process';
import * as net from 'node:net';
import * as path from 'node:path';

export interface RunningService {
  readonly url: string;
  /** The server's process, whose CPU time the benchmark reads. */
  readonly pid: number | undefined;
  stop(): Promise<void>;
}

/** A free loopback port. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

async function waitFor(url: string, child: ChildProcess, output: () => string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`${url} exited early:\n${output()}`);
    try {
      await fetch(url, { method: 'GET' });
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`${url} did not come up:\n${output()}`);
}

async function start(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  url: string,
  probe: string,
): Promise<RunningService> {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
  child.stderr?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
  await waitFor(probe, child, () => output);
  return {
    url,
    pid: child.pid,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
      }),
  };
}

const DIST = path.resolve(__dirname, '..', '..');

/** aliastrail as its own process (node dist/src/main.js) on `databaseUrl`. */
export async function startAliastrail(
  databaseUrl: string,
  credentials: { accessKeyId: string; secretAccessKey: string; accountId: string },
) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  return start(
    process.execPath,
    [path.join(DIST, 'src', 'main.js')],
    {
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      LOG_LEVEL: 'warn',
      ALIASTRAIL_ACCESS_KEY_ID: credentials.accessKeyId,
      ALIASTRAIL_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      ALIASTRAIL_ACCOUNT_ID: credentials.accountId,
    },
    url,
    `${url}/health/ready`,
  );
}

/** moto_server, the in-memory Python KMS emulator installed on these machines. */
export async function startMoto(): Promise<RunningService> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  return start('moto_server', ['-H', '127.0.0.1', '-p', String(port)], {}, url, `${url}/moto-api/`);
}

/** The bare node:http single-INSERT server (bare-insert-server.ts). */
export async function startBareInsert(databaseUrl: string): Promise<RunningService> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  return start(
    process.execPath,
    [path.join(__dirname, 'bare-insert-server.js'), String(port), databaseUrl],
    {},
    url,
    url,
  );
}

/**
 * The bare node:http crypto server (bare-crypto-server.ts), accepting `credentials` only, with one
 * key under `aliasName` in a table of its own in `databaseUrl`.
 */
export async function startBareCrypto(
  databaseUrl: string,
  credentials: { accessKeyId: string; secretAccessKey: string; accountId: string },
  aliasName: string,
): Promise<RunningService> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  return start(
    process.execPath,
    [path.join(__dirname, 'bare-crypto-server.js'), String(port), databaseUrl, aliasName],
    {
      BARE_ACCESS_KEY_ID: credentials.accessKeyId,
      BARE_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      BARE_ACCOUNT_ID: credentials.accountId,
    },
    url,
    url,
  );
}
