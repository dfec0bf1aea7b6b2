import { Field, ObjectType } from '@nestjs/graphql';
import { DateTime } from './date-time.scalar';

@ObjectType({ description: 'An alias whose target differs between the two times.' })
export class AliasTargetChange {
  @Field(() => String)
  aliasName!: string;
  @Field(() => String, { nullable: true, description: 'The key at `from`; null if the alias did not exist.' })
  before!: string | null;
  @Field(() => String, { nullable: true, description: 'The key at `to`; null if the alias did not exist.' })
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
  @Field(() => [AliasTargetChange], { description: 'In name order.' })
  changes!: AliasTargetChange[];
}
