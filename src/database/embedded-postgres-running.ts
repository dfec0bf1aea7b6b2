import * as fs from 'node:fs';
import * as path from 'node:path';
import { clusterDirectories } from './embedded-postgres';

/** An embedded cluster that a process (a running service, say) holds open. */
export interface RunningEmbeddedPostgres {
  readonly clusterDirectory: string;
  readonly pid: number;
  /** Where it listens, as it wrote in postmaster.pid: the service may have been given another port. */
  readonly port: number;
}

/**
 * The embedded cluster of `dataDir` that a live server holds, read from its postmaster.pid (the
 * server writes its pid on the first line and its port on the fourth); undefined when none does.
 * A CLI run without the service's environment learns the port from there instead of guessing.
 */
export function runningEmbeddedPostgres(dataDir: string): RunningEmbeddedPostgres | undefined {
  const { preferred, fallback } = clusterDirectories(dataDir);
  for (const clusterDirectory of [preferred, fallback]) {
    const held = postmasterOf(clusterDirectory);
    if (held && alive(held.pid)) return { clusterDirectory, ...held };
  }
  return undefined;
}

/** The pid and port in a cluster's postmaster.pid, if it has a readable one. */
export function postmasterOf(clusterDirectory: string): { pid: number; port: number } | undefined {
  let text: string;
  try {
    text = fs.readFileSync(path.join(clusterDirectory, 'postmaster.pid'), 'utf8');
  } catch {
    return undefined;
  }
  const lines = text.split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !Number.isInteger(port) || port <= 0) return undefined;
  return { pid, port };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user (the postgres user, when the service runs as root).
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
