import { Field, ObjectType } from '@nestjs/graphql';
import { wholeListReplacedBy } from './argument-conventions';
import { DateTime } from './date-time.scalar';
import { KNOWN_DESCRIPTION, OBSERVED_DESCRIPTION, ObservedEvidence } from './observed-evidence.types';
import { PageInfo } from './page-info.types';

@ObjectType({ description: 'An alias whose target differs between the two times.' })
export class AliasTargetChange {
  @Field(() => String)
  aliasName!: string;
  @Field(() => String, {
    nullable: true,
    description:
      'The key at `from`; null if the alias did not exist; "unknown" if it existed and no imported record shows its target (observed accounts).',
  })
  before!: string | null;
  @Field(() => String, { nullable: true, description: 'The key at `to`; null and "unknown" as for `before`.' })
  after!: string | null;
}

@ObjectType()
export class AliasTargetChangeEdge {
  @Field(() => String)
  cursor!: string;
  @Field(() => AliasTargetChange)
  node!: AliasTargetChange;
}

@ObjectType({
  description: 'The aliases whose target differs between two times, in name order, a page at a time (a connection).',
})
export class AliasDiff {
  @Field(() => DateTime)
  from!: Date;
  @Field(() => DateTime)
  to!: Date;
  @Field(() => String, { description: 'The log position (transaction:position) this answer reflects.' })
  position!: string;
  @Field(() => [AliasTargetChangeEdge], { description: 'Empty when `known` is false.' })
  edges!: AliasTargetChangeEdge[];
  @Field(() => [AliasTargetChange], { description: 'The nodes of `edges`, for clients that need no cursors.' })
  nodes!: AliasTargetChange[];
  @Field(() => PageInfo)
  pageInfo!: PageInfo;
  @Field(() => [AliasTargetChange], {
    description: 'In name order; empty when `known` is false.',
    deprecationReason: wholeListReplacedBy('nodes'),
  })
  changes!: AliasTargetChange[];
  @Field(() => ObservedEvidence, { nullable: true, description: OBSERVED_DESCRIPTION })
  observed!: ObservedEvidence | null;
  @Field(() => Boolean, { description: KNOWN_DESCRIPTION })
  known!: boolean;
}
