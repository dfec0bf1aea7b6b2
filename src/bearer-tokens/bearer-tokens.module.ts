import { Module } from '@nestjs/common';
import type { Kysely } from 'kysely';
import { PrincipalsModule } from '../auth/principals.module';
import { Clock } from '../clock/clock';
import { ClockModule } from '../clock/clock.module';
import { IdGenerator } from '../clock/id-generator';
import type { Database } from '../database/database.types';
import { KYSELY } from '../database/database.tokens';
import { EventStore } from '../event-store/event-store';
import { EventStoreModule } from '../event-store/event-store.module';
import { BearerTokenIssuer } from './bearer-token-issuer';
import { IssuedTokenLookup } from './issued-token-lookup';

/**
 * Issued bearer tokens (issue 17): below the callers, which look tokens up through IssuedTokenLookup,
 * and the admin routes, which make and revoke them through BearerTokenIssuer.
 */
@Module({
  imports: [PrincipalsModule, EventStoreModule, ClockModule],
  providers: [
    IssuedTokenLookup,
    {
      provide: BearerTokenIssuer,
      inject: [EventStore, KYSELY, Clock, IdGenerator, IssuedTokenLookup],
      useFactory: (
        store: EventStore,
        db: Kysely<Database>,
        clock: Clock,
        ids: IdGenerator,
        lookup: IssuedTokenLookup,
      ) => new BearerTokenIssuer(store, db, clock, ids, (tokenId) => lookup.forget(tokenId)),
    },
  ],
  exports: [IssuedTokenLookup, BearerTokenIssuer],
})
export class BearerTokensModule {}
