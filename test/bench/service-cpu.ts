import type { Pool } from 'pg';
import type { RunningService } from './bench-services';
import { cpuClock, processCpuSeconds } from './cpu-usage';
import type { CpuMeter } from './measure';

/**
 * CPU per operation of one server: its own process, and the PostgreSQL backends of the benchmark's
 * database (moto keeps its state in memory, so its share there is nothing).
 */
export function serverCpu(service: RunningService, pg: Pool): CpuMeter {
  return async () => {
    const serverStart = processCpuSeconds(service.pid);
    const stopBackends = await cpuClock(pg);
    return async () => {
      const serverEnd = processCpuSeconds(service.pid);
      const { postgres } = await stopBackends();
      const server = serverStart === undefined || serverEnd === undefined ? undefined : serverEnd - serverStart;
      return { server, postgres };
    };
  };
}
