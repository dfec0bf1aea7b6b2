import { Module } from '@nestjs/common';
import { BearerTokensModule } from '../bearer-tokens/bearer-tokens.module';
import { QueryCallersModule } from '../callers/query-callers.module';
import { ClockModule } from '../clock/clock.module';
import { BearerTokensAdminController } from './bearer-tokens-admin.controller';

/** POST, GET and DELETE /admin/tokens: a principal's own bearer tokens, made and revoked while the service runs. */
@Module({
  imports: [BearerTokensModule, QueryCallersModule, ClockModule],
  controllers: [BearerTokensAdminController],
})
export class BearerTokensAdminModule {}
