import { Module } from '@nestjs/common';
import { PrincipalsModule } from '../auth/principals.module';
import { ConsoleSessionStore } from './console-session-store';
import { ConsoleSessions } from './console-sessions';

/**
 * Console sign-in sessions (README.md#console): below the console and the query APIs, which both take a
 * session's cookie as a caller's credentials.
 */
@Module({
  imports: [PrincipalsModule],
  providers: [ConsoleSessionStore, ConsoleSessions],
  exports: [ConsoleSessions],
})
export class ConsoleSessionsModule {}
