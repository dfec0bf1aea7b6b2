import { Field, ObjectType } from '@nestjs/graphql';
import type { Scope } from '../kms/domain/identifiers';
import { AliasEdge } from './alias-connection.types';
import { AliasVersion } from './alias-version.types';
import { wholeListReplacedBy } from './argument-conventions';
import { DateTime } from './date-time.scalar';
import { KNOWN_DESCRIPTION } from './observed-evidence.types';
import { PageInfo } from './page-info.types';

@ObjectType({ description: 'A key as DescribeKey shows it now (the `current` model).' })
export class KeyMetadata {
  @Field(() => String)
  keyId!: string;
  @Field(() => String)
  arn!: string;
  @Field(() => String)
  keySpec!: string;
  @Field(() => String)
  keyUsage!: string;
  @Field(() => String, { description: 'CUSTOMER or AWS.' })
  keyManager!: string;
  @Field(() => String)
  origin!: string;
  @Field(() => String)
  description!: string;
  @Field(() => String, { description: 'Enabled, Disabled or PendingDeletion.' })
  keyState!: string;
  @Field(() => DateTime)
  creationDate!: Date;
  @Field(() => DateTime, { nullable: true })
  deletionDate!: Date | null;
}

@ObjectType({
  description: 'The aliases that pointed to a key at a point in time, in name order, a page at a time (a connection).',
})
export class KeyAliases {
  @Field(() => DateTime)
  at!: Date;
  @Field(() => String, { description: 'The log position (transaction:position) this answer reflects.' })
  position!: string;
  @Field(() => [AliasEdge], { description: 'Empty when `known` is false.' })
  edges!: AliasEdge[];
  @Field(() => [AliasVersion], { description: 'The nodes of `edges`, for clients that need no cursors.' })
  nodes!: AliasVersion[];
  @Field(() => PageInfo)
  pageInfo!: PageInfo;
  @Field(() => [AliasVersion], {
    description: 'Empty when `known` is false.',
    deprecationReason: wholeListReplacedBy('nodes'),
  })
  aliases!: AliasVersion[];
  @Field(() => Boolean, { description: KNOWN_DESCRIPTION })
  known!: boolean;
}

@ObjectType({
  description: 'Every alias version that pointed to a key, in the order they began, a page at a time (a connection).',
})
export class KeyHistory {
  @Field(() => String, { description: 'The log position (transaction:position) this answer reflects.' })
  position!: string;
  @Field(() => [AliasEdge])
  edges!: AliasEdge[];
  @Field(() => [AliasVersion], { description: 'The nodes of `edges`, for clients that need no cursors.' })
  nodes!: AliasVersion[];
  @Field(() => PageInfo)
  pageInfo!: PageInfo;
  @Field(() => [AliasVersion], { deprecationReason: wholeListReplacedBy('nodes') })
  versions!: AliasVersion[];
}

/**
 * A key id in the caller's account and Region. Always answered, even for a key that no longer exists,
 * because its alias history outlives it; `metadata` says whether it exists now.
 */
@ObjectType()
export class Key {
  @Field(() => String)
  keyId!: string;
  @Field(() => String)
  arn!: string;
  /** Where the field resolvers look; not part of the schema. */
  scope!: Scope;
}
