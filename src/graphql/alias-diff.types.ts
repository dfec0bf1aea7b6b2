import { Field, ObjectType } from '@nestjs/graphql';
import { DateTime } from './date-time.scalar';
import { KNOWN_DESCRIPTION, OBSERVED_DESCRIPTION, ObservedEvidence } from './observed-evidence.types';

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
export class AliasDiff {
  @Field(() => DateTime)
  from!: Date;
  @Field(() => DateTime)
  to!: Date;
  @Field(() => String, { description: 'The log position (transaction:position) this answer reflects.' })
  position!: string;
  @Field(() => [AliasTargetChange], { description: 'In name order; empty when `known` is false.' })
  changes!: AliasTargetChange[];
  @Field(() => ObservedEvidence, { nullable: true, description: OBSERVED_DESCRIPTION })
  observed!: ObservedEvidence | null;
  @Field(() => Boolean, { description: KNOWN_DESCRIPTION })
  known!: boolean;
}
