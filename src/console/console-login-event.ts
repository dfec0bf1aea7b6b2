import { type Principal, userIdentityOf } from '../auth/principal';
import { CONSOLE_LOGIN_RECORDED, CONSOLE_LOGIN_REGION, type ConsoleLoginRecorded } from '../audit/console-login';
import type { NewEvent } from '../event-store/event.types';
import { storableString } from '../event-store/storable-value';

/** What is known of a sign-in attempt: who was tried (a known principal), from where, when. */
export interface ConsoleLoginAttempt {
  readonly eventId: string;
  readonly requestId: string;
  readonly principal: Principal;
  readonly outcome: ConsoleLoginRecorded['outcome'];
  readonly sourceIp: string;
  readonly userAgent: string;
  readonly eventTime: Date;
  /** The console's address the sign-in was for (CloudTrail's additionalEventData.LoginTo). */
  readonly loginTo: string;
}

/**
 * The ConsoleLoginRecorded event of a sign-in attempt. No request parameters: a sign-in sends a
 * secret or a token, and neither may reach the trail. Untagged, as the audit recorder's records are:
 * no decision reads it.
 */
export function consoleLoginEvent(attempt: ConsoleLoginAttempt): NewEvent<ConsoleLoginRecorded> {
  const userAgent = storableString(attempt.userAgent.slice(0, 1024));
  return {
    eventId: attempt.eventId,
    type: CONSOLE_LOGIN_RECORDED,
    tags: [],
    data: { accountId: attempt.principal.accountId, region: CONSOLE_LOGIN_REGION, outcome: attempt.outcome },
    metadata: {
      requestId: attempt.requestId,
      eventName: 'ConsoleLogin',
      userIdentity: userIdentityOf(attempt.principal),
      sourceIPAddress: attempt.sourceIp,
      userAgent: userAgent.text,
      ...(userAgent.replaced > 0 ? { unstorableCharactersReplaced: userAgent.replaced } : {}),
      eventTime: attempt.eventTime.toISOString(),
      loginTo: storableString(attempt.loginTo.slice(0, 1024)).text,
    },
    occurredAt: attempt.eventTime,
  };
}
