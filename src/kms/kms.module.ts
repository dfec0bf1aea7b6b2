import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { ClockModule } from '../clock/clock.module';
import { EventStoreModule } from '../event-store/event-store.module';
import { PageTokensModule } from '../page-tokens/page-tokens.module';
import { AwsManagedKeys } from './aws-managed-keys';
import { KeyDeletionScheduler } from './key-deletion.scheduler';
import { CancelKeyDeletionHandler } from './operations/cancel-key-deletion.handler';
import { CreateAliasHandler } from './operations/create-alias.handler';
import { CreateKeyHandler } from './operations/create-key.handler';
import { DeleteAliasHandler } from './operations/delete-alias.handler';
import { DescribeKeyHandler } from './operations/describe-key.handler';
import { DisableKeyHandler } from './operations/disable-key.handler';
import { EnableKeyHandler } from './operations/enable-key.handler';
import { ListAliasesHandler } from './operations/list-aliases.handler';
import { ListKeysHandler } from './operations/list-keys.handler';
import { ScheduleKeyDeletionHandler } from './operations/schedule-key-deletion.handler';
import { UpdateAliasHandler } from './operations/update-alias.handler';
import { AliasTargetHints } from './store/alias-target-hints';
import { KmsReader } from './store/kms-reader';
import { KmsWriter } from './store/kms-writer';

const HANDLERS = [
  CreateAliasHandler,
  UpdateAliasHandler,
  DeleteAliasHandler,
  ListAliasesHandler,
  CreateKeyHandler,
  DescribeKeyHandler,
  ListKeysHandler,
  EnableKeyHandler,
  DisableKeyHandler,
  ScheduleKeyDeletionHandler,
  CancelKeyDeletionHandler,
];

/**
 * The KMS feature: its operations' handlers (on the CQRS buses), the store of its units of work and
 * reads of the `current` model, AWS managed keys and the key-deletion scheduler.
 */
@Module({
  // The buses are global by @nestjs/cqrs's design; this is the module whose handlers they carry.
  imports: [CqrsModule.forRoot(), EventStoreModule, ClockModule, PageTokensModule],
  providers: [KmsWriter, KmsReader, AliasTargetHints, AwsManagedKeys, KeyDeletionScheduler, ...HANDLERS],
  exports: [KmsReader, AwsManagedKeys, KeyDeletionScheduler],
})
export class KmsModule {}
