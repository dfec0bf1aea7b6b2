export interface Measurement {
  readonly operations: number;
  readonly seconds: number;
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** CPU milliseconds per operation, by process group, when a CPU meter was given. */
  readonly cpuMsPerOperation?: Readonly<Record<string, number | undefined>>;
}

/** Starts reading CPU seconds; the function it returns gives the seconds used since, by process group. */
export type CpuMeter = () => Promise<() => Promise<Record<string, number | undefined>>>;

/**
 * Runs `operation` from `concurrency` loops for `seconds` (after a short warm-up) and times each call;
 * with `cpu`, also the CPU the timed part cost per operation (the warm-up is not counted).
 */
export async function measure(
  concurrency: number,
  seconds: number,
  operation: () => Promise<unknown>,
  cpu?: CpuMeter,
): Promise<Measurement> {
  await runFor(concurrency, Math.min(1, seconds / 4), operation, []);
  const latencies: number[] = [];
  const stopCpu = await cpu?.();
  const started = process.hrtime.bigint();
  await runFor(concurrency, seconds, operation, latencies);
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  const used = await stopCpu?.();
  const perOperation = (value: number | undefined) =>
    value === undefined || latencies.length === 0 ? undefined : (value * 1000) / latencies.length;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return {
    operations: latencies.length,
    seconds: elapsed,
    perSecond: latencies.length / elapsed,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    ...(used
      ? { cpuMsPerOperation: Object.fromEntries(Object.entries(used).map(([k, v]) => [k, perOperation(v)])) }
      : {}),
  };
}

async function runFor(concurrency: number, seconds: number, operation: () => Promise<unknown>, latencies: number[]) {
  const deadline = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < deadline) {
        const start = process.hrtime.bigint();
        await operation();
        latencies.push(Number(process.hrtime.bigint() - start) / 1e6);
      }
    }),
  );
}
