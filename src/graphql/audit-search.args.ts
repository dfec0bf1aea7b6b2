import { ArgsType, Field } from '@nestjs/graphql';
import type { AuditFilters } from '../projections/audit/audit-events.reader';
import { ALIAS_NAME } from './argument-conventions';
import { DateTime } from './date-time.scalar';
import { badInput } from './query-arguments';
import { renamed, renamedTo } from './renamed-argument';

const text = (description: string) => ({ nullable: true, description });
const time = (description: string) => ({ nullable: true, description });

/** The filters of `auditEvents`: each named after the AuditEvent field it matches, as the convention says. */
@ArgsType()
export class AuditSearchArgs {
  @Field(() => String, text('An operation, e.g. UpdateAlias.'))
  eventName?: string | null;
  @Field(() => [String], { nullable: true, description: 'Any of these operations (at most 50).' })
  eventNames?: string[] | null;
  @Field(() => String, text('The caller’s user name.'))
  username?: string | null;
  @Field(
    () => String,
    text(`${ALIAS_NAME} (or its ARN) that the call named as its key (a crypto call through it) or concerned.`),
  )
  aliasName?: string | null;
  @Field(() => String, text('A key id or ARN the call concerned.'))
  keyId?: string | null;
  @Field(() => String, text('The access key the call was signed with.'))
  accessKeyId?: string | null;
  @Field(() => String, text('The caller’s IP address.'))
  sourceIPAddress?: string | null;
  @Field(() => String, text('An exception name, or * for any failed call.'))
  errorCode?: string | null;
  @Field(() => Boolean, { nullable: true })
  readOnly?: boolean | null;
  @Field(() => DateTime, time('The span’s start, inclusive: calls at or after it.'))
  from?: Date | null;
  @Field(() => DateTime, time('The span’s end, inclusive: calls at or before it.'))
  to?: Date | null;
  @Field(() => Boolean, { defaultValue: false, description: 'Oldest first instead of newest first.' })
  oldestFirst = false;

  // The names this query had before the convention: one release more.
  @Field(() => String, { nullable: true, deprecationReason: renamedTo('aliasName') })
  alias?: string | null;
  @Field(() => DateTime, { nullable: true, deprecationReason: renamedTo('from') })
  startTime?: Date | null;
  @Field(() => DateTime, { nullable: true, deprecationReason: renamedTo('to') })
  endTime?: Date | null;
}

/** The reader's filters from a search's arguments, old names resolved; refuses a contradiction. */
export function auditFiltersOf(args: AuditSearchArgs): AuditFilters {
  const from = renamed(['from', args.from], ['startTime', args.startTime]);
  const to = renamed(['to', args.to], ['endTime', args.endTime]);
  if (from && to && from > to) throw badInput('from must not be after to.');
  if (args.eventNames && args.eventNames.length > 50) throw badInput('eventNames takes at most 50 operations.');
  const given: Record<string, unknown> = {
    eventName: args.eventName,
    eventNames: args.eventNames,
    username: args.username,
    alias: renamed(['aliasName', args.aliasName], ['alias', args.alias]),
    resources: typeof args.keyId === 'string' ? [args.keyId] : undefined,
    accessKeyId: args.accessKeyId,
    sourceIp: args.sourceIPAddress,
    errorCode: args.errorCode,
    readOnly: args.readOnly,
    startTime: from,
    endTime: to,
  };
  return Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined && v !== null)) as AuditFilters;
}
