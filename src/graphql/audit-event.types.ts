import { Field, ObjectType } from '@nestjs/graphql';
import { DateTime } from './date-time.scalar';
import { PageInfo } from './page-info.types';

/** The types of `auditEvents` (audit-events.resolver.ts). */

@ObjectType({ description: 'A resource of an audited call, as CloudTrail lists it.' })
export class AuditResource {
  @Field(() => String)
  accountId!: string;
  @Field(() => String, { description: 'AWS::KMS::Key, for keys and aliases alike (as CloudTrail does).' })
  type!: string;
  @Field(() => String)
  arn!: string;
}

@ObjectType({ description: 'One API call as the audit trail recorded it, failed ones included.' })
export class AuditEvent {
  @Field(() => String)
  eventId!: string;
  @Field(() => DateTime)
  eventTime!: Date;
  @Field(() => String)
  eventName!: string;
  @Field(() => Boolean)
  readOnly!: boolean;
  @Field(() => String, { nullable: true })
  username!: string | null;
  @Field(() => String, { nullable: true })
  accessKeyId!: string | null;
  @Field(() => String, { nullable: true })
  sourceIPAddress!: string | null;
  @Field(() => String, { nullable: true, description: 'The exception name of a failed call.' })
  errorCode!: string | null;
  @Field(() => [AuditResource])
  resources!: AuditResource[];
  @Field(() => String, { description: 'The whole CloudTrail record as JSON, as LookupEvents returns it.' })
  cloudTrailEvent!: string;
}

@ObjectType()
export class AuditEventEdge {
  @Field(() => String)
  cursor!: string;
  @Field(() => AuditEvent)
  node!: AuditEvent;
}

@ObjectType({ description: 'Audit records matching a search, a page at a time.' })
export class AuditEventConnection {
  @Field(() => String, { description: 'The log position (transaction:position) this page reflects.' })
  position!: string;
  @Field(() => [AuditEventEdge])
  edges!: AuditEventEdge[];
  @Field(() => [AuditEvent])
  nodes!: AuditEvent[];
  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}
