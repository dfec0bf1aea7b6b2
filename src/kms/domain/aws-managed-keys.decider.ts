import { RESERVED_PREFIX } from './alias-name';
import type { Scope } from './identifiers';
import { type KmsEvent, aliasTag } from './kms-events';
import type { KmsState } from './kms-state';

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

/** The alias streams provisioning locks: concurrent first calls in a Region then provision once. */
export function awsManagedAliasTags(scope: Scope): string[] {
  return AWS_MANAGED_SERVICES.map((service) => aliasTag(scope.accountId, scope.region, `${RESERVED_PREFIX}${service}`));
}

/**
 * Provisions the AWS managed keys (KeyManager AWS) and their predefined aliases that an account and
 * Region lacks (docs/kms-behaviour.md#aws-managed-keys): a key and its `alias/aws/<service>` for each
 * service whose alias does not exist yet. `newKeyId` names each new key.
 */
export function decideAwsManagedKeys(state: KmsState, scope: Scope, newKeyId: () => string): KmsEvent[] {
  return AWS_MANAGED_SERVICES.filter((service) => !state.aliases.has(`${RESERVED_PREFIX}${service}`)).flatMap(
    (service): KmsEvent[] => {
      const keyId = newKeyId();
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
        { type: 'AliasCreated', data: { ...scope, aliasName: `${RESERVED_PREFIX}${service}`, keyId } },
      ];
    },
  );
}
