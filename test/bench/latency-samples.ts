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
