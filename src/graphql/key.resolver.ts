import { UseFilters } from '@nestjs/common';
import { Args, Context, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { AliasVersion } from './alias-version.types';
import { Clock } from '../clock/clock';
import { formatCheckpoint } from '../event-store/checkpoint';
import { keyArn } from '../kms/domain/identifiers';
import { KmsReader } from '../kms/store/kms-reader';
import { PageTokens } from '../page-tokens/page-tokens.service';
import { TemporalAliasesReader } from '../projections/temporal/temporal-aliases.reader';
import { versionOf } from './alias.mapping';
import { ObservedAccounts } from '../observed-accounts/observed-accounts';
import { OBSERVED_DESCRIPTION, ObservedEvidence, knownAt, observedOf } from './observed-evidence.types';
import { AFTER_ARG, AT_ARG, FIRST_ARG, KEY_ID, REGION_ARG } from './argument-conventions';
import type { GraphqlContext } from './graphql-context';
import { GraphqlErrorsFilter } from './graphql-errors';
import { Key, KeyAliases, KeyHistory, KeyMetadata } from './key.types';
import { keyIdOf, scopeOf } from './query-arguments';
import { DATABASE_FIELD_COST, DEFAULT_PAGE } from './query-limits';
import { type ListPaging, listPage } from './list-page';

/** A key's aliases at T are in name order: a page resumes after the last name shown (as `aliases` does). */
const byName = (key: Key): ListPaging<AliasVersion> => ({
  use: { listing: 'graphql:key.aliases', binding: { scope: key.scope, keyId: key.keyId } },
  keyOf: (version) => version.aliasName,
  follows: (version, name) => version.aliasName > name,
});

/** A key's history is in the order its versions began; a version is its alias and number. */
const byStart = (key: Key): ListPaging<AliasVersion> => ({
  use: { listing: 'graphql:key.history', binding: { scope: key.scope, keyId: key.keyId } },
  keyOf: (version) => `${version.version} ${version.aliasName}`,
});

/** A key: what it is now (the `current` model) and its aliases over time (the `temporal` projection). */
@Resolver(() => Key)
@UseFilters(GraphqlErrorsFilter)
export class KeyResolver {
  constructor(
    private readonly kms: KmsReader,
    private readonly temporal: TemporalAliasesReader,
    private readonly clock: Clock,
    private readonly observedAccounts: ObservedAccounts,
    private readonly tokens: PageTokens,
  ) {}

  @Query(() => Key, { description: 'A key of the caller in the Region, by key id (not ARN or alias).' })
  key(
    @Context() context: GraphqlContext,
    @Args('region', REGION_ARG) region: string,
    @Args('keyId', { description: KEY_ID }) keyId: string,
  ): Key {
    const scope = scopeOf(context.caller, region);
    const id = keyIdOf(keyId);
    return { keyId: id, arn: keyArn(scope, id), scope };
  }

  @ResolveField(() => ObservedEvidence, {
    nullable: true,
    complexity: DATABASE_FIELD_COST,
    description: `${OBSERVED_DESCRIPTION} (An observed account's key has no \`metadata\` here: ask REST's /api/regions/{region}/keys/{keyId}.)`,
  })
  observed(@Parent() key: Key): Promise<ObservedEvidence | null> {
    return observedOf(this.observedAccounts, this.temporal, key.scope);
  }

  // `current` is maintained inside each event's own transaction, so it reflects every committed
  // event and needs no position.
  @ResolveField(() => KeyMetadata, {
    nullable: true,
    complexity: DATABASE_FIELD_COST,
    description: 'The key now; null if no such key exists now (never created, or deleted).',
  })
  async metadata(@Parent() key: Key): Promise<KeyMetadata | null> {
    const row = await this.kms.key(key.scope, key.keyId);
    if (!row) return null;
    return {
      keyId: row.key_id,
      arn: key.arn,
      keySpec: row.key_spec,
      keyUsage: row.key_usage,
      keyManager: row.key_manager,
      origin: row.origin,
      description: row.description,
      keyState: row.key_state,
      creationDate: row.creation_date,
      deletionDate: row.deletion_date,
    };
  }

  @ResolveField(() => KeyAliases, {
    complexity: DATABASE_FIELD_COST,
    description: 'The aliases that pointed to the key at `at` (now by default), in name order, a page at a time.',
  })
  async aliases(
    @Parent() key: Key,
    @Args('at', AT_ARG) at?: Date | null,
    @Args('first', FIRST_ARG) first = DEFAULT_PAGE,
    @Args('after', AFTER_ARG) after?: string | null,
  ): Promise<KeyAliases> {
    const time = at ?? this.clock.now();
    const known = knownAt(await observedOf(this.observedAccounts, this.temporal, key.scope), [time]);
    const { answer, position } = await this.temporal.keyAliasesAt(key.scope, key.keyId, time);
    const aliases = (known ? answer : []).map((v) => versionOf(key.scope, v));
    const page = listPage(this.tokens, byName(key), aliases, first, after);
    return { at: time, position: formatCheckpoint(position), ...page, aliases, known };
  }

  @ResolveField(() => KeyHistory, {
    complexity: DATABASE_FIELD_COST,
    description: 'Every alias version that pointed to the key, in the order they began, a page at a time.',
  })
  async history(
    @Parent() key: Key,
    @Args('first', FIRST_ARG) first = DEFAULT_PAGE,
    @Args('after', AFTER_ARG) after?: string | null,
  ): Promise<KeyHistory> {
    const { answer, position } = await this.temporal.keyHistory(key.scope, key.keyId);
    const versions = answer.map((v) => versionOf(key.scope, v));
    return {
      position: formatCheckpoint(position),
      ...listPage(this.tokens, byStart(key), versions, first, after),
      versions,
    };
  }
}
