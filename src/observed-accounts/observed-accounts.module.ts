import { Module } from '@nestjs/common';
import { ObservedAccounts } from './observed-accounts';

/** The registry of observed accounts (db/migrations/0020), for the APIs that must tell them apart. */
@Module({
  providers: [ObservedAccounts],
  exports: [ObservedAccounts],
})
export class ObservedAccountsModule {}
