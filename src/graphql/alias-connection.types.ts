import { Field, ObjectType } from '@nestjs/graphql';
import { AliasVersion } from './alias-version.types';
import { DateTime } from './date-time.scalar';
import { PageInfo } from './page-info.types';

@ObjectType()
export class AliasEdge {
  @Field(() => String)
  cursor!: string;
  @Field(() => AliasVersion)
  node!: AliasVersion;
}

@ObjectType({ description: 'The aliases of a Region at a point in time, in name order, a page at a time.' })
export class AliasConnection {
  @Field(() => DateTime)
  at!: Date;
  @Field(() => String, { description: 'The log position (transaction:position) this page reflects.' })
  position!: string;
  @Field(() => [AliasEdge])
  edges!: AliasEdge[];
  @Field(() => [AliasVersion], { description: 'The nodes of `edges`, for clients that need no cursors.' })
  nodes!: AliasVersion[];
  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}
