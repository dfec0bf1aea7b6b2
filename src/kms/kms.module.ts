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
import { GenerateDataKeyPairHandler } from './operations/generate-data-key-pair.handler';
import { GenerateRandomHandler } from './operations/generate-random.handler';
import { GetPublicKeyHandler } from './operations/get-public-key.handler';
import { MacHandler } from './operations/generate-mac.handler';
import { ReEncryptHandler } from './operations/re-encrypt.handler';
import { SignHandler } from './operations/sign.handler';
import { VerifyHandler } from './operations/verify.handler';
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
import { grantTokenKeyOf } from './crypto/grant-token';
import { CreateGrantHandler } from './operations/create-grant.handler';
import { GrantTokens } from './operations/grant-tokens';
import { ListGrantsHandler } from './operations/list-grants.handler';
import { ListRetirableGrantsHandler } from './operations/list-retirable-grants.handler';
import { RetireGrantHandler } from './operations/retire-grant.handler';
import { RevokeGrantHandler } from './operations/revoke-grant.handler';
import { GrantWriter } from './store/grant-writer';
import { GrantsReader } from './store/grants-reader';

/** The root key's bytes: material is wrapped under it, and grant tokens are MAC'd under a key derived from it. */
const ROOT_KEY = Symbol('ROOT_KEY');

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
  // Asymmetric, HMAC and key-less crypto (docs/kms-behaviour.md#cryptographic-operations).
  ReEncryptHandler,
  GenerateDataKeyPairHandler,
  GenerateRandomHandler,
  GetPublicKeyHandler,
  SignHandler,
  VerifyHandler,
  MacHandler,
  CreateGrantHandler,
  ListGrantsHandler,
  ListRetirableGrantsHandler,
  RetireGrantHandler,
  RevokeGrantHandler,
  // Key metadata and rotation (docs/kms-behaviour.md#rotation, #tags-description-and-key-policy).
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
    {
      provide: ROOT_KEY,
      inject: [CONFIG, KYSELY],
      // Once material is stored, a missing root key file stops start-up: a new key would unwrap none of it.
      useFactory: async (config: Config, db: Kysely<Database>) =>
        loadOrCreateRootKey(config.rootKeyFile, { create: !(await holdsAnyMaterial(db)) }),
    },
    // Key material is wrapped under the root key file's key; another wrapper (an HSM) would go here.
    { provide: MATERIAL_WRAPPER, inject: [ROOT_KEY], useFactory: (rootKey: Buffer) => new RootKeyWrapper(rootKey) },
    // Every instance shares the root key file, so any of them verifies the tokens another issued.
    {
      provide: GrantTokens,
      inject: [ROOT_KEY],
      useFactory: (rootKey: Buffer) => new GrantTokens(grantTokenKeyOf(rootKey)),
    },
    GrantWriter,
    GrantsReader,
    ...HANDLERS,
  ],
  exports: [KmsReader, AwsManagedKeys, KeyDeletionScheduler, KeyRotationScheduler, GrantTokens],
})
export class KmsModule {}
