import { type ChildProcess, execFile, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

const MIGRATE = path.resolve(__dirname, '../../dist/src/cli/migrate.command.js');
const CLI = path.resolve(__dirname, '../../dist/src/cli/cli.js');
const MAIN = path.resolve(__dirname, '../../dist/src/main.js');
/** A line of a Node stack trace. */
const STACK_LINE = /^\s+at .+[(:]\d+/m;

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a compiled CLI entry point with only these variables (no DATABASE_URL unless given). */
function run(entry: string, args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) =>
    execFile(
      process.execPath,
      [entry, ...args],
      { timeout: 90_000, env: { PATH: process.env.PATH ?? '', ...env } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    ),
  );
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Starts the service on its embedded PostgreSQL, as `npm start` does, and waits until it is ready. */
async function startService(env: Record<string, string>, port: number): Promise<ChildProcess> {
  const service = spawn(process.execPath, [MAIN], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: 'ignore' });
  for (let i = 0; i < 240; i++) {
    const ready = await fetch(`http://127.0.0.1:${port}/health/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) return service;
    if (service.exitCode !== null) throw new Error(`the service exited with ${service.exitCode}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  service.kill('SIGTERM');
  throw new Error('the service never became ready');
}

describe('the admin CLI finds the database, or says plainly why not', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aliastrail-cli-db-'));
  const exportDir = () => fs.mkdtempSync(path.join(dataDir, 'export-'));
  let service: ChildProcess | undefined;

  beforeAll(() => fs.chmodSync(dataDir, 0o755));
  afterAll(async () => {
    if (service && service.exitCode === null) {
      const exited = new Promise((resolve) => service!.once('exit', resolve));
      service.kill('SIGTERM');
      await exited;
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("joins the running service's embedded PostgreSQL on the port its postmaster.pid names, not the default", async () => {
    // The service is given a port of its own; the CLI, run from another shell, is not told.
    const [httpPort, pgPort] = [await freePort(), await freePort()];
    service = await startService(
      { PORT: String(httpPort), ALIASTRAIL_DATA_DIR: dataDir, ALIASTRAIL_EMBEDDED_PG_PORT: String(pgPort) },
      httpPort,
    );
    const migrated = await run(MIGRATE, [], { ALIASTRAIL_DATA_DIR: dataDir });
    expect(migrated).toMatchObject({ code: 0 });
    expect(migrated.stdout + migrated.stderr).toContain(`the running embedded PostgreSQL on 127.0.0.1:${pgPort}`);
    const exported = await run(CLI, ['export', 'cloudtrail', exportDir()], { ALIASTRAIL_DATA_DIR: dataDir });
    expect(exported).toMatchObject({ code: 0 });
    expect(exported.stderr).not.toContain('postmaster.pid');
  }, 180_000);

  it('says in one line, without a stack trace, when the cluster is held but does not answer', async () => {
    const held = fs.mkdtempSync(path.join(os.tmpdir(), 'aliastrail-cli-held-'));
    try {
      // A live process (this one) holds the cluster's lock file and names a port where nothing listens.
      fs.mkdirSync(path.join(held, 'postgres'));
      const port = await freePort();
      fs.writeFileSync(path.join(held, 'postgres', 'postmaster.pid'), `${process.pid}\n${held}\n0\n${port}\n`);
      const result = await run(CLI, ['export', 'cloudtrail', path.join(held, 'out')], { ALIASTRAIL_DATA_DIR: held });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`is held by process ${process.pid}`);
      expect(result.stderr).toContain('DATABASE_URL');
      expect(result.stderr).not.toMatch(STACK_LINE);
    } finally {
      fs.rmSync(held, { recursive: true, force: true });
    }
  });

  it('says which database does not answer, without a stack trace', async () => {
    const port = await freePort();
    const url = `postgres://postgres@127.0.0.1:${port}/nothing`;
    for (const [entry, args] of [
      [CLI, ['export', 'cloudtrail', exportDir()]],
      [MIGRATE, []],
    ] as const) {
      const result = await run(entry, [...args], { DATABASE_URL: url, ALIASTRAIL_DATA_DIR: dataDir });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/ECONNREFUSED|connect/);
      expect(result.stderr).not.toMatch(STACK_LINE);
    }
  });

  it('answers an unknown command with the usage, without a stack trace', async () => {
    const result = await run(CLI, ['no-such-command'], { ALIASTRAIL_DATA_DIR: dataDir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('commands:');
    expect(result.stderr).not.toMatch(STACK_LINE);
  });
});
