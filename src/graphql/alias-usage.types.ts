import { Field, Int, ObjectType } from '@nestjs/graphql';

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

@ObjectType({ description: 'The calls through an alias that one version’s key served while the version held.' })
export class AliasVersionUsage {
  @Field(() => Int)
  version!: number;
  @Field(() => String, { nullable: true, description: "Null when an observed account's records do not show it." })
  targetKeyId!: string | null;
  @Field(() => [AliasUsageLine], { description: 'Per operation, then per caller.' })
  calls!: AliasUsageLine[];
}

@ObjectType({ description: "An alias's usage per version, from the audit trail." })
export class AliasUsage {
  @Field(() => String, { description: 'The audit model’s log position (transaction:position) the counts reflect.' })
  position!: string;
  @Field(() => [AliasVersionUsage], { description: 'Every version, oldest first.' })
  versions!: AliasVersionUsage[];
}
