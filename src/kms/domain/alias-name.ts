import { KmsError, notAuthorized, validation } from './kms-error';

const PREFIX = 'alias/';
export const RESERVED_PREFIX = 'alias/aws/';

/** The longest alias name AWS accepts (the framework's length check). */
export const MAX_ALIAS_NAME_LENGTH = 256;

export const isReservedAliasName = (name: string) => name.startsWith(RESERVED_PREFIX);

/** The shape every API checks before it takes a string for an alias name: the prefix and the length. */
export const hasAliasNameShape = (name: string) => name.startsWith(PREFIX) && name.length <= MAX_ALIAS_NAME_LENGTH;

/**
 * The service's own checks on an alias name, after the framework checks of length and pattern
 * (docs/kms-behaviour.md#aliases), in AWS's order: prefix, `:`, reserved prefix, empty name.
 */
export function checkAliasName(name: string): void {
  if (!name.startsWith(PREFIX)) {
    throw validation(
      'Alias must start with the prefix "alias/". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html',
    );
  }
  if (name.includes(':')) throw validation(`${name} contains invalid characters for an alias`);
  if (isReservedAliasName(name)) throw notAuthorized();
  if (name === PREFIX)
    throw new KmsError('InvalidAliasNameException', 'Alias name must not be empty after the prefix "alias/".');
}
