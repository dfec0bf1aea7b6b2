import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { ClockModule } from '../clock/clock.module';
import { EventStoreModule } from '../event-store/event-store.module';
import { PageTokensModule } from '../page-tokens/page-tokens.module';
import { AwsManagedKeys } from './aws-managed-keys';
import { KeyDeletionScheduler } from './key-deletion.scheduler';
import { KeyRotationScheduler } from './key-rotation.scheduler';
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
import type { Config } from '../config/config';
import { CONFIG } from '../config/config.token';
import type { Kysely } from 'kysely';
import { KYSELY } from '../database/database.tokens';
import type { Database } from '../database/database.types';
import { holdsAnyMaterial } from './material/key-material-sql';
import { loadOrCreateRootKey } from './material/root-key';
import { RootKeyWrapper } from './material/material-wrapper';
import { DecryptHandler } from './operations/decrypt.handler';
import { EncryptHandler } from './operations/encrypt.handler';
import { GenerateDataKeyHandler } from './operations/generate-data-key.handler';
import { DisableKeyRotationHandler } from './operations/disable-key-rotation.handler';
import { EnableKeyRotationHandler } from './operations/enable-key-rotation.handler';
import { GetKeyPolicyHandler } from './operations/get-key-policy.handler';
import { GetKeyRotationStatusHandler } from './operations/get-key-rotation-status.handler';
import { ListKeyPoliciesHandler } from './operations/list-key-policies.handler';
import { ListKeyRotationsHandler } from './operations/list-key-rotations.handler';
import { ListResourceTagsHandler } from './operations/list-resource-tags.handler';
import { PutKeyPolicyHandler } from './operations/put-key-policy.handler';
import { RotateKeyOnDemandHandler } from './operations/rotate-key-on-demand.handler';
import { TagResourceHandler } from './operations/tag-resource.handler';
import { UntagResourceHandler } from './operations/untag-resource.handler';
import { UpdateKeyDescriptionHandler } from './operations/update-key-description.handler';
import { AliasTargetHints } from './store/alias-target-hints';
import { KeyMaterials, MATERIAL_WRAPPER } from './store/key-materials';
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
  EncryptHandler,
  DecryptHandler,
  GenerateDataKeyHandler,
  // Key metadata and rotation (kms-crypto §6, §7.1–§7.3).
  UpdateKeyDescriptionHandler,
  TagResourceHandler,
  UntagResourceHandler,
  ListResourceTagsHandler,
  GetKeyPolicyHandler,
  PutKeyPolicyHandler,
  ListKeyPoliciesHandler,
  EnableKeyRotationHandler,
  DisableKeyRotationHandler,
  GetKeyRotationStatusHandler,
  RotateKeyOnDemandHandler,
  ListKeyRotationsHandler,
];

/**
 * The KMS feature: its operations' handlers (on the CQRS buses), the store of its units of work and
 * reads of the `current` model, key material, AWS managed keys and the key-deletion and rotation schedulers.
 */
@Module({
  // The buses are global by @nestjs/cqrs's design; this is the module whose handlers they carry.
  imports: [CqrsModule.forRoot(), EventStoreModule, ClockModule, PageTokensModule],
  providers: [
    KmsWriter,
    KmsReader,
    AliasTargetHints,
    AwsManagedKeys,
    KeyDeletionScheduler,
    KeyRotationScheduler,
    KeyMaterials,
    // Key material is wrapped under the root key file's key; another wrapper (an HSM) would go here.
    {
      provide: MATERIAL_WRAPPER,
      inject: [CONFIG, KYSELY],
      // Once material is stored, a missing root key file stops start-up: a new key would unwrap none of it.
      useFactory: async (config: Config, db: Kysely<Database>) =>
        new RootKeyWrapper(loadOrCreateRootKey(config.rootKeyFile, { create: !(await holdsAnyMaterial(db)) })),
    },
    ...HANDLERS,
  ],
  exports: [KmsReader, AwsManagedKeys, KeyDeletionScheduler, KeyRotationScheduler],
})
export class KmsModule {}
