import { Field, Int, ObjectType } from '@nestjs/graphql';
import type { Scope } from '../kms/domain/identifiers';
import { wholeListReplacedBy } from './argument-conventions';
import { PageInfo } from './page-info.types';

/** The types of `AliasHistory.usage` (alias-usage.resolver.ts). */

@ObjectType({ description: 'Calls of one operation by one caller that came through the alias.' })
export class AliasUsageLine {
  @Field(() => String, { description: 'Encrypt, Decrypt, GenerateDataKey, …' })
  eventName!: string;
  @Field(() => String, { nullable: true, description: "The caller's userIdentity.arn." })
  principalArn!: string | null;
  @Field(() => Int)
  calls!: number;
  @Field(() => Int, { description: 'Of those calls, the ones that failed.' })
  failed!: number;
}

@ObjectType()
export class AliasUsageLineEdge {
  @Field(() => String)
  cursor!: string;
  @Field(() => AliasUsageLine)
  node!: AliasUsageLine;
}

@ObjectType({ description: 'Usage lines per operation, then per caller, a page at a time.' })
export class AliasUsageLineConnection {
  @Field(() => [AliasUsageLineEdge])
  edges!: AliasUsageLineEdge[];
  @Field(() => [AliasUsageLine], { description: 'The nodes of `edges`, for clients that need no cursors.' })
  nodes!: AliasUsageLine[];
  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}

@ObjectType({ description: 'The calls through an alias that one version’s key served while the version held.' })
export class AliasVersionUsage {
  @Field(() => Int)
  version!: number;
  @Field(() => String, { nullable: true, description: "Null when an observed account's records do not show it." })
  targetKeyId!: string | null;
  @Field(() => [AliasUsageLine], {
    description: 'Per operation, then per caller.',
    deprecationReason: wholeListReplacedBy('callConnection'),
  })
  calls!: AliasUsageLine[];
  /** Whose usage this is, for `callConnection`'s cursors; not part of the schema. */
  scope!: Scope;
  aliasName!: string;
}

@ObjectType()
export class AliasVersionUsageEdge {
  @Field(() => String)
  cursor!: string;
  @Field(() => AliasVersionUsage)
  node!: AliasVersionUsage;
}

@ObjectType({
  description:
    "An alias's usage per version, from the audit trail, oldest version first, a page at a time (a connection).",
})
export class AliasUsage {
  @Field(() => String, { description: 'The audit model’s log position (transaction:position) the counts reflect.' })
  position!: string;
  @Field(() => [AliasVersionUsageEdge])
  edges!: AliasVersionUsageEdge[];
  @Field(() => [AliasVersionUsage], { description: 'The nodes of `edges`, for clients that need no cursors.' })
  nodes!: AliasVersionUsage[];
  @Field(() => PageInfo)
  pageInfo!: PageInfo;
  @Field(() => [AliasVersionUsage], {
    description: 'Every version, oldest first.',
    deprecationReason: wholeListReplacedBy('nodes'),
  })
  versions!: AliasVersionUsage[];
}
