import { QueryCallers } from '../query-api/query-callers';
import { RequestThrottle } from '../throttle/request-throttle';
import { type DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { CreateAliasHandler } from '../kms/operations/create-alias.handler';
import { DeleteAliasHandler } from '../kms/operations/delete-alias.handler';
import { ListAliasesHandler } from '../kms/operations/list-aliases.handler';
import { UpdateAliasHandler } from '../kms/operations/update-alias.handler';
import { AuditRecorder } from '../audit/audit-recorder';
import { CloudTrailApi } from '../cloudtrail-api/cloudtrail.api';
import { PageTokensModule } from '../page-tokens/page-tokens.module';
import { ProjectionsModule } from '../projections/projections.module';
import { PrincipalRegistry } from '../auth/principal.registry';
import { loadPrincipals } from '../auth/principals-loader';
import { Clock, ControllableClock, SystemClock } from '../clock/clock';
import { IdGenerator } from '../clock/id-generator';
import type { Config } from '../config/config';
import { EventStoreModule } from '../event-store/event-store.module';
import { AwsManagedKeys } from '../kms/aws-managed-keys';
import { CreateKeyHandler } from '../kms/operations/create-key.handler';
import { DescribeKeyHandler } from '../kms/operations/describe-key.handler';
import { KeyDeletionScheduler } from '../kms/key-deletion.scheduler';
import {
  CancelKeyDeletionHandler,
  DisableKeyHandler,
  EnableKeyHandler,
  ScheduleKeyDeletionHandler,
} from '../kms/operations/key-state.handlers';
import { ListKeysHandler } from '../kms/operations/list-keys.handler';
import { KmsReader } from '../kms/store/kms-reader';
import { AliasTargetHints } from '../kms/store/alias-target-hints';
import { KmsWriter } from '../kms/store/kms-writer';
import { AdminClockController } from '../kms/admin-clock.controller';
import { KmsController } from './kms.controller';

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

/** The KMS-compatible API: wire adapter, auth, command and query handlers, and the deletion scheduler. */
@Module({})
export class KmsApiModule {
  static forRoot(config: Config): DynamicModule {
    return {
      module: KmsApiModule,
      // Global: the query APIs authenticate with the same principals.
      global: true,
      imports: [CqrsModule.forRoot(), EventStoreModule, ProjectionsModule, PageTokensModule],
      providers: [
        {
          provide: Clock,
          useFactory: () => (config.clock === 'controllable' ? new ControllableClock() : new SystemClock()),
        },
        { provide: IdGenerator, useFactory: () => new IdGenerator() },
        {
          provide: PrincipalRegistry,
          useFactory: () =>
            new PrincipalRegistry(
              loadPrincipals(
                {
                  principalsFile: config.principalsFile,
                  bootstrap: config.bootstrapPrincipal,
                  dataDir: config.dataDir,
                },
                // Plain text, once: a person has to read and copy it.
                (principal, file) => console.log(announcement(principal, file, config)),
              ),
            ),
        },
        KmsWriter,
        AuditRecorder,
        RequestThrottle,
        QueryCallers,
        CloudTrailApi,
        AliasTargetHints,
        KmsReader,
        AwsManagedKeys,
        KeyDeletionScheduler,
        ...HANDLERS,
      ],
      controllers: [KmsController, ...(config.clock === 'controllable' ? [AdminClockController] : [])],
      exports: [Clock, KmsReader, KeyDeletionScheduler, PrincipalRegistry, QueryCallers, AuditRecorder],
    };
  }
}

/** Printed once, when the first start generated a credential: how to point the AWS CLI here. */
function announcement(
  principal: { accessKeyId: string; secretAccessKey: string; accountId: string },
  file: string,
  config: Config,
): string {
  return [
    `No credentials were configured, so one was generated and saved in ${file} (mode 0600). It is shown only now:`,
    `  aws configure set aws_access_key_id ${principal.accessKeyId} --profile aliastrail`,
    `  aws configure set aws_secret_access_key ${principal.secretAccessKey} --profile aliastrail`,
    `  aws configure set region us-east-1 --profile aliastrail`,
    `  aws --profile aliastrail --endpoint-url http://${config.host}:${config.port} kms list-aliases`,
    `(account ${principal.accountId})`,
  ].join('\n');
}
