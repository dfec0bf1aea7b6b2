import { Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { ClockModule } from '../clock/clock.module';
import { EventStoreModule } from '../event-store/event-store.module';
import { KmsApiModule } from '../kms-api/kms-api.module';
import { KmsController } from '../kms-api/kms.controller';
import { ConsoleLoginRecorder } from './console-login-recorder';
import { consoleBuildDir, loadConsoleAssets } from './console-assets';
import { consoleKmsRoute } from './console-kms.route';
import { consolePagesRoute } from './console-pages.route';
import { ConsoleSessionController } from './console-session.controller';
import { ConsoleSessions } from '../console-sessions/console-sessions';
import { ConsoleSessionsModule } from '../console-sessions/console-sessions.module';

/**
 * The console (README.md#console): its page and files under /console (built by npm run build from
 * src/console/web), sign-in and sessions, and the KMS operations called as the session's principal.
 * POST /console/api/kms is a Fastify route of its own, as POST / is (kms-api.module.ts):
 * KmsController answers it whole.
 */
@Module({
  imports: [ConsoleSessionsModule, KmsApiModule, EventStoreModule, ClockModule],
  controllers: [ConsoleSessionController],
  providers: [ConsoleLoginRecorder],
})
export class ConsoleModule implements OnModuleInit {
  constructor(
    private readonly http: HttpAdapterHost,
    private readonly sessions: ConsoleSessions,
    private readonly kms: KmsController,
  ) {}

  onModuleInit(): void {
    const fastify = this.http.httpAdapter.getInstance<FastifyInstance>();
    fastify.post('/console/api/kms', consoleKmsRoute(this.sessions, this.kms));
    const built = consoleBuildDir();
    const pages = consolePagesRoute(built === undefined ? undefined : loadConsoleAssets(built));
    fastify.get('/console', pages);
    fastify.get('/console/*', pages);
  }
}
