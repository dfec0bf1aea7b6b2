import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { sleep } from './events';
import { ensureBuilt } from './service-process';

const SERVER = path.resolve(__dirname, '../../dist/test/support/fault-postgres-server.js');

interface Running {
  readonly child: ChildProcess;
  readonly url: string;
  readonly clusterDir: string;
}

/**
 * A PostgreSQL cluster of the test's own (the embedded binaries), which the test stops, kills,
 * pauses and restarts under load. Never the machine's shared server.
 */
export interface FaultPostgres {
  /** The `postgres` database's URL; `urlOf(name)` for another. */
  readonly url: string;
  urlOf(database: string): string;
  /** Immediate shutdown (`pg_ctl stop -m immediate`): every session dies without a goodbye. */
  stopImmediately(): Promise<void>;
  start(): Promise<void>;
  /** SIGSTOP to the postmaster and every backend: connections stay open and nothing answers. */
  pause(): void;
  resume(): void;
  /** pg_terminate_backend on every session of the service (application_name aliastrail*). */
  terminateServiceSessions(): Promise<number>;
  /** Runs SQL as the superuser on one database. */
  query<T = Record<string, unknown>>(database: string, text: string): Promise<T[]>;
  close(): Promise<void>;
}

export async function startFaultPostgres(): Promise<FaultPostgres> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aliastrail-fault-pg-'));
  fs.chmodSync(dir, 0o755);
  const port = 56000 + Math.floor(Math.random() * 900);
  ensureBuilt();
  const open = () => runServer(dir, port);
  let server: Running = await open();
  const pidFile = path.join(server.clusterDir, 'postmaster.pid');
  const postmaster = () => Number(fs.readFileSync(pidFile, 'utf8').split('\n', 1)[0]);
  const family = (pid: number) => [pid, ...childrenOf(pid)];
  const urlOf = (database: string) => {
    const url = new URL(server.url);
    url.pathname = `/${database}`;
    return url.toString();
  };
  const query = async <T>(database: string, text: string): Promise<T[]> => {
    const client = new Client({ connectionString: urlOf(database), connectionTimeoutMillis: 5000 });
    client.on('error', () => undefined);
    await client.connect();
    try {
      return (await client.query(text)).rows as T[];
    } finally {
      await client.end().catch(() => undefined);
    }
  };
  return {
    url: server.url,
    urlOf,
    query,
    stopImmediately: async () => {
      const pid = postmaster();
      process.kill(pid, 'SIGQUIT');
      for (let i = 0; i < 200 && alive(pid); i++) await sleep(25);
      if (alive(pid)) throw new Error('the fault PostgreSQL did not stop');
    },
    start: async () => {
      server.child.kill('SIGKILL'); // the runner of the server stopped before; its server is gone
      server = await open();
    },
    pause: () => family(postmaster()).forEach((pid) => signal(pid, 'SIGSTOP')),
    resume: () => family(postmaster()).forEach((pid) => signal(pid, 'SIGCONT')),
    terminateServiceSessions: async () => {
      const rows = await query<{ n: number }>(
        'postgres',
        `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
          WHERE application_name LIKE 'aliastrail%' AND pid <> pg_backend_pid()`,
      );
      return rows[0]!.n;
    },
    close: async () => {
      try {
        if (fs.existsSync(pidFile)) {
          const pid = postmaster();
          family(pid).forEach((p) => signal(p, 'SIGCONT'));
          process.kill(pid, 'SIGQUIT');
          for (let i = 0; i < 200 && alive(pid); i++) await sleep(25);
        }
      } finally {
        server.child.kill('SIGKILL');
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** The server process (fault-postgres-server.ts), once it says it is ready. */
function runServer(dataDir: string, port: number): Promise<Running> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SERVER, dataDir, String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const take = (chunk: Buffer) => {
      output += chunk.toString();
      const ready = /^ready (\S+) (\S+)$/m.exec(output);
      if (ready) resolve({ child, url: ready[1]!, clusterDir: ready[2]! });
    };
    child.stdout!.on('data', take);
    child.stderr!.on('data', take);
    child.once('exit', () => reject(new Error(`the fault PostgreSQL did not start:\n${output}`)));
  });
}

function childrenOf(pid: number): number[] {
  try {
    return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .map((line) => Number(line.trim()))
      .filter((child) => child > 0);
  } catch {
    return []; // ps exits 1 when there are none
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // gone already
  }
}
