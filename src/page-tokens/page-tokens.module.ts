import { Module } from '@nestjs/common';
import { ClockModule } from '../clock/clock.module';
import { PageTokens } from './page-tokens.service';

/**
 * Page tokens for the APIs that paginate (KMS, CloudTrail, REST, GraphQL). Imported by each of them
 * rather than global, so what depends on it says so; Nest still makes one instance, one key.
 * CONFIG comes from the global AppModule.
 */
@Module({ imports: [ClockModule], providers: [PageTokens], exports: [PageTokens] })
export class PageTokensModule {}
