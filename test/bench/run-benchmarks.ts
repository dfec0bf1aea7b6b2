import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { benchAppend } from './append.bench';
import { openBenchDatabase } from './bench-database';

/**
 * `npm run bench`: every figure is reported beside a baseline measured in the same run on the same
 * database, because these machines are shared and noisy. BENCH_SECONDS sets each measurement's length.
 */
async function main(): Promise<void> {
  const seconds = Number(process.env.BENCH_SECONDS ?? 3);
  const database = await openBenchDatabase();
  console.log(`aliastrail benchmarks on ${database.server}; ${os.cpus().length} CPUs; ${seconds} s per measurement\n`);
  try {
    const append = await benchAppend(database, seconds);
    console.log(
      'Append: single-event units of work vs plain single-row INSERT transactions (same table shape); median of 3 rounds',
    );
    console.table(
      append.map((row) => ({
        writers: row.writers,
        'baseline inserts/s': Math.round(row.baseline.perSecond),
        'event store events/s': Math.round(row.eventStore.perSecond),
        ratio: Number(row.ratio.toFixed(2)),
        'baseline p50/p99 ms': `${row.baseline.p50Ms.toFixed(1)} / ${row.baseline.p99Ms.toFixed(1)}`,
        'event store p50/p99 ms': `${row.eventStore.p50Ms.toFixed(1)} / ${row.eventStore.p99Ms.toFixed(1)}`,
      })),
    );
    const out = path.resolve('bench-results', 'append.json');
    fs.mkdirSync(path.dirname(out), { recursive: true });
    const result = {
      date: new Date().toISOString(),
      server: database.server,
      cpus: os.cpus().length,
      node: process.version,
      seconds,
      append,
    };
    fs.writeFileSync(out, JSON.stringify(result, null, 2));
    console.log(`\nwritten to ${out}`);
  } finally {
    await database.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
