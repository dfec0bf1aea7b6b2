import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { type Kysely, sql } from 'kysely';
import { AuditRecorder } from '../audit/audit-recorder';
import type { Config } from '../config/config';
import { CONFIG } from '../config/config.token';
import { KYSELY } from '../database/database.tokens';
import type { Database } from '../database/database.types';
import { pendingMigrationCount } from '../database/migrator';
import { EventStore } from '../event-store/event-store';
import { StoreHealth } from '../event-store/store-health.service';
import { withinDeadline } from '../database/within-deadline';
import { eventsWritable } from '../event-store/write-path-probe';

type Status = 'up' | 'degraded' | 'down';
type Check = { status: Status; [detail: string]: unknown };

/**
 * Each probe's deadline: the whole answer comes within a second, whatever the database does, with
 * room left for a busy event loop.
 */
const PROBE_DEADLINE_MS = 600;
/**
 * A write transaction holding its connection longer than the lock timeout and this much more is
 * blocked, not busy: a lock wait within the timeout is ordinary contention (a hot alias).
 */
const BLOCKED_WRITE_MARGIN_MS = 2000;
/** Audit records waiting longer than this for the database make the instance degraded. */
const HELD_RECORDS_MS = 5000;

@Controller('health')
export class HealthController {
  constructor(
    @Inject(KYSELY) private readonly db: Kysely<Database>,
    private readonly store: StoreHealth,
    private readonly events: EventStore,
    private readonly recorder: AuditRecorder,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  /** Liveness: the process answers. */
  @Get()
  live() {
    return { status: 'ok' };
  }

  /**
   * Readiness: the database answers, every migration is applied, the subscriptions run, a write
   * could go through now, and no audit record has waited long for the database. 503 otherwise (also
   * when a check does not answer in time), within 1 s; "degraded" when only the recorder lags, since
   * an instance that cannot keep its audit trail should take no traffic either.
   */
  @Get('ready')
  async ready(@Res({ passthrough: true }) reply: FastifyReply) {
    const [database, migrations, subscriptions, writes] = await Promise.all([
      this.check(async () => {
        await sql`SELECT 1`.execute(this.db);
        return {};
      }),
      this.check(async () => {
        const pending = await pendingMigrationCount(this.db);
        return pending === 0 ? {} : { status: 'down' as const, pending };
      }),
      this.check(async () => {
        const report = await this.store.report();
        const down =
          report.subscriptions.length === 0 || report.subscriptions.some((s) => !s.running || s.lastError !== null);
        return { ...(down ? { status: 'down' as const } : {}), ...report };
      }),
      this.check(async () => {
        const path = this.events.writePath();
        const stuck =
          path.oldestRunningMs !== null && path.oldestRunningMs > this.config.lockTimeoutMs + BLOCKED_WRITE_MARGIN_MS;
        const writable = await eventsWritable(this.db);
        const blocked = stuck || !writable;
        return {
          ...(blocked
            ? { status: 'down' as const, blocked: writable ? 'a write has run too long' : 'events is locked' }
            : {}),
          ...path,
        };
      }),
    ]);
    const recorded = this.recorder.status();
    const recorder: Check = {
      status: recorded.held > 0 && (recorded.oldestHeldMs ?? 0) > HELD_RECORDS_MS ? 'degraded' : 'up',
      ...recorded,
    };
    const checks = { database, migrations, subscriptions, writes, recorder };
    const statuses = Object.values(checks).map((check) => check.status);
    const status = statuses.includes('down') ? 'unavailable' : statuses.includes('degraded') ? 'degraded' : 'ok';
    reply.status(status === 'ok' ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return { status, checks };
  }

  private async check(probe: () => Promise<Record<string, unknown> & { status?: Status }>): Promise<Check> {
    try {
      return { status: 'up', ...(await withinDeadline(PROBE_DEADLINE_MS, probe)) };
    } catch (error) {
      return { status: 'down', error: (error as Error).message };
    }
  }
}
