import type { StoredEvent } from '../event-store/event.types';
import { eventTimeOf } from './cloudtrail-format';
import type { AuditPart } from './cloudtrail-record';

/**
 * A console sign-in, successful or not (issue 15): CloudTrail's ConsoleLogin, from
 * signin.amazonaws.com. Appended before the sign-in is answered; its metadata is a call's
 * (requestId, userIdentity, sourceIPAddress, userAgent, eventTime), without parameters: what was
 * sent is a secret or a token.
 */
export const CONSOLE_LOGIN_RECORDED = 'ConsoleLoginRecorded';

export interface ConsoleLoginRecorded {
  readonly accountId: string;
  /** Sign-in is global: like AWS, aliastrail records it in us-east-1. */
  readonly region: string;
  readonly outcome: 'Success' | 'Failure';
}

/** The Region CloudTrail delivers IAM users' ConsoleLogin records to. */
export const CONSOLE_LOGIN_REGION = 'us-east-1';
/** CloudTrail's errorMessage of a failed ConsoleLogin. */
export const CONSOLE_LOGIN_FAILED = 'Failed authentication';

type Metadata = Record<string, unknown> & { userIdentity?: Record<string, unknown> };

/** The ConsoleLogin record of a ConsoleLoginRecorded event, in CloudTrail's field order. */
export function consoleLoginPart(event: StoredEvent): AuditPart {
  const data = event.data as ConsoleLoginRecorded;
  const metadata = event.metadata as Metadata;
  const identity = metadata.userIdentity ?? {};
  const failed = data.outcome === 'Failure';
  const eventTime = new Date(String(metadata.eventTime ?? event.occurredAt.toISOString()));
  const sourceIp = typeof metadata.sourceIPAddress === 'string' ? metadata.sourceIPAddress : null;
  const text = (value: unknown) => (typeof value === 'string' ? value : null);
  const record = {
    eventVersion: '1.08',
    userIdentity: identity,
    eventTime: eventTimeOf(eventTime),
    eventSource: 'signin.amazonaws.com',
    eventName: 'ConsoleLogin',
    awsRegion: data.region,
    sourceIPAddress: sourceIp,
    userAgent: metadata.userAgent ?? null,
    ...(failed ? { errorMessage: CONSOLE_LOGIN_FAILED } : {}),
    requestParameters: null,
    responseElements: { ConsoleLogin: data.outcome },
    additionalEventData: { LoginTo: metadata.loginTo ?? null, MobileVersion: 'No', MFAUsed: 'No' },
    eventID: event.eventId,
    readOnly: false,
    eventType: 'AwsConsoleSignIn',
    managementEvent: true,
    recipientAccountId: data.accountId,
    eventCategory: 'Management',
  };
  return {
    callId: String(metadata.requestId ?? event.eventId),
    head: {
      eventId: event.eventId,
      accountId: data.accountId,
      region: data.region,
      eventTime,
      eventName: 'ConsoleLogin',
      readOnly: false,
      username: text(identity.userName),
      accessKeyId: text(identity.accessKeyId),
      sourceIp,
      errorCode: null,
      principalArn: text(identity.arn),
      namedAliases: [],
      record,
    },
    resources: [],
  };
}
