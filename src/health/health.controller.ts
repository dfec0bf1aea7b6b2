import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { type Kysely, sql } from 'kysely';
import { KYSELY } from '../database/database.tokens';
import type { Database } from '../database/database.types';
import { pendingMigrationCount } from '../database/migrator';
import { StoreHealth } from '../event-store/store-health.service';

type Check = { status: 'up' | 'down'; [detail: string]: unknown };

@Controller('health')
export class HealthController {
  constructor(
    @Inject(KYSELY) private readonly db: Kysely<Database>,
    private readonly store: StoreHealth,
  ) {}

  /** Liveness: the process answers. */
  @Get()
  live() {
    return { status: 'ok' };
  }

  /** Readiness: the database answers, every migration is applied and the subscriptions run. */
  @Get('ready')
  async ready(@Res({ passthrough: true }) reply: FastifyReply) {
    const database = await this.check(async () => {
      await sql`SELECT 1`.execute(this.db);
      return {};
    });
    const migrations = await this.check(async () => {
      const pending = await pendingMigrationCount(this.db);
      return pending === 0 ? {} : { status: 'down' as const, pending };
    });
    const subscriptions = await this.check(async () => {
      const report = await this.store.report();
      const down =
        report.subscriptions.length === 0 || report.subscriptions.some((s) => !s.running || s.lastError !== null);
      return { ...(down ? { status: 'down' as const } : {}), ...report };
    });
    const checks = { database, migrations, subscriptions };
    const ok = Object.values(checks).every((check) => check.status === 'up');
    reply.status(ok ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return { status: ok ? 'ok' : 'unavailable', checks };
  }

  private async check(probe: () => Promise<Record<string, unknown> & { status?: 'down' }>): Promise<Check> {
    try {
      return { status: 'up', ...(await probe()) };
    } catch (error) {
      return { status: 'down', error: (error as Error).message };
    }
  }
}
