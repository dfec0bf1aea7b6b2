import { Module } from '@nestjs/common';
import { PageTokens } from './page-tokens.service';

/**
 * Page tokens for the APIs that paginate (KMS, CloudTrail, REST, GraphQL). Imported by each of them
 * rather than global, so what depends on it says so; Nest still makes one instance, one key.
 * Clock and CONFIG come from the global modules.
 */
@Module({ providers: [PageTokens], exports: [PageTokens] })
export class PageTokensModule {}
