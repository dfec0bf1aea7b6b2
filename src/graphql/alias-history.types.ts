import { Field, Int, ObjectType } from '@nestjs/graphql';
import type { Scope } from '../kms/domain/identifiers';
import { AliasEdge } from './alias-connection.types';
import { AliasVersion, ChangeCause } from './alias-version.types';
import { wholeListReplacedBy } from './argument-conventions';
import { DateTime } from './date-time.scalar';
import { OBSERVED_DESCRIPTION, ObservedEvidence } from './observed-evidence.types';
import { PageInfo } from './page-info.types';

@ObjectType({ description: 'One change of an alias: when, by whom, from which key to which (null: none).' })
export class AliasHistoryChange {
  @Field(() => Int, { description: 'The version the change began, or ended for a deletion.' })
  version!: number;
  @Field(() => DateTime)
  at!: Date;
  @Field(() => String, { description: 'AliasCreated, AliasRetargeted or AliasDeleted.' })
  eventType!: string;
  @Field(() => String, { nullable: true })
  eventName!: string | null;
  @Field(() => String, {
    nullable: true,
    description:
      "Null when the change created the alias, or when an observed account's records do not show the previous target (an UpdateAlias before the evidence showed one).",
  })
  fromKeyId!: string | null;
  @Field(() => String, {
    nullable: true,
    description: 'Null when the change deleted the alias, or its target is unknown.',
  })
  toKeyId!: string | null;
  @Field(() => ChangeCause)
  by!: ChangeCause;
}

@ObjectType()
export class AliasHistoryChangeEdge {
  @Field(() => String)
  cursor!: string;
  @Field(() => AliasHistoryChange)
  node!: AliasHistoryChange;
}

@ObjectType({ description: "An alias's changes, oldest first, a page at a time." })
export class AliasHistoryChangeConnection {
  @Field(() => [AliasHistoryChangeEdge])
  edges!: AliasHistoryChangeEdge[];
  @Field(() => [AliasHistoryChange], { description: 'The nodes of `edges`, for clients that need no cursors.' })
  nodes!: AliasHistoryChange[];
  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}

@ObjectType({
  description:
    'Every version of one alias, oldest first, across deletions and re-creations, a page at a time (a connection); the same history as changes in `changeConnection`.',
})
export class AliasHistory {
  @Field(() => String)
  aliasName!: string;
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
  @Field(() => [AliasHistoryChange], {
    description: 'The same history as changes, oldest first.',
    deprecationReason: wholeListReplacedBy('changeConnection'),
  })
  changes!: AliasHistoryChange[];
  @Field(() => ObservedEvidence, { nullable: true, description: OBSERVED_DESCRIPTION })
  observed!: ObservedEvidence | null;
  /** Where the field resolvers look (usage, changeConnection); not part of the schema. */
  scope!: Scope;
}
