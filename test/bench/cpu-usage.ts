import * as fs from 'node:fs';

/** A pg Pool or Client. */
interface Queryable {
  query(text: string): Promise<{ rows: unknown[] }>;
}

/** CPU seconds spent by this Node process and by the database's server processes. */
export interface CpuSeconds {
  readonly node: number;
  /** Undefined when the server's processes cannot be read (a remote PostgreSQL). */
  readonly postgres: number | undefined;
}

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/**
 * A CPU clock for a step: on a shared machine the wall time of a step depends on everyone else's
 * load, while the CPU time it costs (Node's and the server's) mostly does not. The server side sums
 * the backends connected to the database `pg` is connected to, read from /proc: only when that
 * PostgreSQL runs on this machine.
 *
 * @example
 * const stop = await cpuClock(pool); await work(); const { node, postgres } = await stop();
 */
export async function cpuClock(pg: Queryable): Promise<() => Promise<CpuSeconds>> {
  const nodeStart = process.cpuUsage();
  const serverStart = await backendTicks(pg);
  return async () => {
    const node = process.cpuUsage(nodeStart);
    const serverEnd = await backendTicks(pg);
    let postgres: number | undefined;
    if (serverStart && serverEnd) {
      // A backend that ended meanwhile is lost; one that began counts from zero.
      let ticks = 0;
      for (const [pid, end] of serverEnd) ticks += end - (serverStart.get(pid) ?? 0);
      postgres = ticks / TICKS_PER_SECOND;
    }
    return { node: (node.user + node.system) / 1e6, postgres };
  };
}

/** The CPU seconds a process (a server under test) has used so far, or undefined when unreadable. */
export function processCpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

async function backendTicks(pg: Queryable): Promise<Map<number, number> | undefined> {
  const { rows } = await pg.query('SELECT pid FROM pg_stat_activity WHERE datname = current_database()');
  const ticks = new Map<number, number>();
  for (const { pid } of rows as { pid: number }[]) {
    try {
      // Same pid, another process: the server is not on this machine.
      if (!fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').startsWith('postgres')) return undefined;
      // Fields 14 and 15 (utime, stime) after the parenthesised command name.
      const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      ticks.set(pid, Number(fields[11]) + Number(fields[12]));
    } catch {
      return undefined;
    }
  }
  return ticks;
}
