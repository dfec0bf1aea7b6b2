import { Field, Int, ObjectType } from '@nestjs/graphql';
import { DateTime } from './date-time.scalar';
import { KNOWN_DESCRIPTION, OBSERVED_DESCRIPTION, ObservedEvidence } from './observed-evidence.types';

@ObjectType({ description: "The caller as CloudTrail's userIdentity shows it." })
export class UserIdentity {
  @Field(() => String, { nullable: true, description: 'IAMUser, or null for a change the service made itself.' })
  type!: string | null;
  @Field(() => String, { nullable: true })
  principalId!: string | null;
  @Field(() => String, { nullable: true })
  arn!: string | null;
  @Field(() => String, { nullable: true })
  accountId!: string | null;
  @Field(() => String, { nullable: true })
  accessKeyId!: string | null;
  @Field(() => String, { nullable: true })
  userName!: string | null;
}

@ObjectType({ description: 'The event that began or ended an alias version, and who caused it.' })
export class ChangeCause {
  @Field(() => String, { description: 'AliasCreated, AliasRetargeted or AliasDeleted.' })
  eventType!: string;
  @Field(() => String)
  eventId!: string;
  @Field(() => String, { description: "The event's position in the log." })
  eventPosition!: string;
  @Field(() => String, {
    nullable: true,
    description: 'The API call: CreateAlias, UpdateAlias, DeleteAlias, DeleteKey.',
  })
  eventName!: string | null;
  @Field(() => String, { nullable: true })
  requestId!: string | null;
  @Field(() => UserIdentity, { nullable: true })
  userIdentity!: UserIdentity | null;
  @Field(() => String, { nullable: true, description: 'Set when the service itself made the change.' })
  invokedBy!: string | null;
  @Field(() => String, { nullable: true })
  sourceIPAddress!: string | null;
  @Field(() => String, { nullable: true })
  userAgent!: string | null;
}

@ObjectType({ description: 'One version of an alias: the key it pointed to during [validFrom, validTo).' })
export class AliasVersion {
  @Field(() => String)
  aliasName!: string;
  @Field(() => String)
  aliasArn!: string;
  @Field(() => Int, { description: "1 for the alias's first version; every retarget or re-creation adds one." })
  version!: number;
  @Field(() => String, {
    nullable: true,
    description:
      "Null only for an observed account's alias whose target no imported record shows (unknown, not absent).",
  })
  targetKeyId!: string | null;
  @Field(() => String, { nullable: true, description: 'Null when targetKeyId is.' })
  targetKeyArn!: string | null;
  @Field(() => DateTime, {
    nullable: true,
    description: "Null only for an observed account's alias that existed before its first imported record.",
  })
  validFrom!: Date | null;
  @Field(() => DateTime, { nullable: true, description: 'Null while the version still holds.' })
  validTo!: Date | null;
  @Field(() => ChangeCause, { nullable: true, description: 'Null when validFrom is: no record began it.' })
  startedBy!: ChangeCause | null;
  @Field(() => ChangeCause, { nullable: true })
  endedBy!: ChangeCause | null;
  @Field(() => String, {
    nullable: true,
    description:
      'retargeted, deleted or key-deleted; for an observed account also re-created or snapshot-differs (its records lack a change); null while it holds.',
  })
  endedReason!: string | null;
}

@ObjectType({ description: 'One alias at a point in time.' })
export class AliasAt {
  @Field(() => String)
  aliasName!: string;
  @Field(() => DateTime)
  at!: Date;
  @Field(() => String, { description: 'The log position (transaction:position) this answer reflects.' })
  position!: string;
  @Field(() => AliasVersion, {
    nullable: true,
    description: 'The version that held at `at`; null if none did, or if `known` is false.',
  })
  alias!: AliasVersion | null;
  @Field(() => ObservedEvidence, { nullable: true, description: OBSERVED_DESCRIPTION })
  observed!: ObservedEvidence | null;
  @Field(() => Boolean, { description: KNOWN_DESCRIPTION })
  known!: boolean;
}
