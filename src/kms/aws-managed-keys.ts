import { Injectable } from '@nestjs/common';
import { IdGenerator } from '../clock/id-generator';
import type { Scope } from './domain/identifiers';
import type { KmsEvent } from './domain/kms-events';
import { aliasTag } from './domain/kms-events';
import { KmsWriter } from './store/kms-writer';

/** The services whose AWS managed keys and `alias/aws/<service>` aliases every account and Region has. */
export const AWS_MANAGED_SERVICES = [
  'acm',
  'dynamodb',
  'ebs',
  'elasticfilesystem',
  'es',
  'glue',
  'kinesisvideo',
  'lambda',
  'rds',
  'redshift',
  's3',
  'secretsmanager',
  'ssm',
  'xray',
] as const;

/**
 * Provisions the AWS managed keys (KeyManager AWS) and their predefined aliases of an account and
 * Region the first time it is used (spec §8.8), as ordinary events. The alias tags are locked, so
 * concurrent first calls provision once.
 */
@Injectable()
export class AwsManagedKeys {
  private readonly provisioned = new Set<string>();

  constructor(
    private readonly writer: KmsWriter,
    private readonly ids: IdGenerator,
  ) {}

  async ensure(scope: Scope): Promise<void> {
    const id = `${scope.accountId}:${scope.region}`;
    if (this.provisioned.has(id)) return;
    const tags = AWS_MANAGED_SERVICES.map((service) => aliasTag(scope.accountId, scope.region, `alias/aws/${service}`));
    await this.writer.run({ service: true }, tags, (state) =>
      AWS_MANAGED_SERVICES.filter((service) => !state.aliases.has(`alias/aws/${service}`)).flatMap(
        (service): KmsEvent[] => {
          const keyId = this.ids.uuid();
          return [
            {
              type: 'KeyCreated',
              data: {
                ...scope,
                keyId,
                keySpec: 'SYMMETRIC_DEFAULT',
                keyUsage: 'ENCRYPT_DECRYPT',
                keyManager: 'AWS',
                origin: 'AWS_KMS',
                description: `Default key that protects my ${service} data when no other key is defined`,
                tags: [],
              },
            },
            { type: 'AliasCreated', data: { ...scope, aliasName: `alias/aws/${service}`, keyId } },
          ];
        },
      ),
    );
    this.provisioned.add(id);
  }
}
