import { Module } from '@nestjs/common';
import { PrincipalsModule } from '../auth/principals.module';
import { BearerTokensModule } from '../bearer-tokens/bearer-tokens.module';
import { ConsoleSessionsModule } from '../console-sessions/console-sessions.module';
import { ThrottleModule } from '../throttle/throttle.module';
import { QueryCallers } from './query-callers';

/** Who is calling the REST, GraphQL and admin APIs; imported by each module with such routes. */
@Module({
  imports: [PrincipalsModule, ThrottleModule, ConsoleSessionsModule, BearerTokensModule],
  providers: [QueryCallers],
  exports: [QueryCallers],
})
export class QueryCallersModule {}
