import { Field, ObjectType } from '@nestjs/graphql';
import { AliasVersion } from './alias-version.types';
import { DateTime } from './date-time.scalar';
import { PageInfo } from './page-info.types';
import { KNOWN_DESCRIPTION, OBSERVED_DESCRIPTION, ObservedEvidence } from './observed-evidence.types';

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
  @Field(() => ObservedEvidence, { nullable: true, description: OBSERVED_DESCRIPTION })
  observed!: ObservedEvidence | null;
  @Field(() => Boolean, { description: `${KNOWN_DESCRIPTION} (Then the page is empty.)` })
  known!: boolean;
}
