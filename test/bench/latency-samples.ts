/** Latencies of a sampled operation, in milliseconds. */
export interface Latency {
  readonly samples: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

/** p50, p99 and max of `ms` (nearest rank). */
export function latencyOf(ms: readonly number[]): Latency {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
  return { samples: sorted.length, p50Ms: at(0.5), p99Ms: at(0.99), maxMs: sorted[sorted.length - 1] ?? 0 };
}

/**
 * Runs `operation(i)` `count` times one after another (one client: latency, not throughput) and
 * times each, after `warmUp` untimed calls that fill the caches and the connection pool.
 */
export async function sampleLatency(
  count: number,
  operation: (i: number) => Promise<unknown>,
  warmUp = Math.min(50, count),
): Promise<Latency> {
  for (let i = 0; i < warmUp; i++) await operation(-1 - i);
  const ms: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = process.hrtime.bigint();
    await operation(i);
    ms.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return latencyOf(ms);
}

/**
 * Like `sampleLatency` for several operations, taken in turn (one call of each per round): whatever
 * the machine does meanwhile (autovacuum after a bulk load, a neighbour) falls on all of them alike,
 * so their ratio holds.
 */
export async function sampleLatenciesInTurn<K extends string>(
  count: number,
  operations: Record<K, (i: number) => Promise<unknown>>,
  warmUp = Math.min(50, count),
): Promise<Record<K, Latency>> {
  const entries = Object.entries(operations) as [K, (i: number) => Promise<unknown>][];
  for (let i = 0; i < warmUp; i++) for (const [, operation] of entries) await operation(-1 - i);
  const ms = new Map<K, number[]>(entries.map(([key]) => [key, []]));
  for (let i = 0; i < count; i++) {
    for (const [key, operation] of entries) {
      const start = process.hrtime.bigint();
      await operation(i);
      ms.get(key)!.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
  }
  return Object.fromEntries(entries.map(([key]) => [key, latencyOf(ms.get(key)!)])) as Record<K, Latency>;
}
