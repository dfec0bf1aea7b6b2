import { Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { ClockModule } from '../clock/clock.module';
import { EventStoreModule } from '../event-store/event-store.module';
import { KmsApiModule } from '../kms-api/kms-api.module';
import { KmsController } from '../kms-api/kms.controller';
import { ConsoleLoginRecorder } from './console-login-recorder';
import { consoleKmsRoute } from './console-kms.route';
import { ConsoleSessionController } from './console-session.controller';
import { ConsoleSessions } from '../console-sessions/console-sessions';
import { ConsoleSessionsModule } from '../console-sessions/console-sessions.module';

/**
 * The console's server side (design §10): sign-in sessions, and the KMS operations called as the
 * session's principal. POST /console/api/kms is a Fastify route of its own, as POST / is
 * (kms-api.module.ts): KmsController answers it whole.
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
  }
}
