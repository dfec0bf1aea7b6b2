import { type Principal, userIdentityOf } from '../auth/principal';
import { storableString } from '../event-store/storable-value';
import type { TokenActor } from './bearer-token-events';

/** What is known of an admin call: its request id, where it came from, what sent it. */
export interface AdminCall {
  readonly requestId: string;
  readonly sourceIp: string;
  readonly userAgent: string;
}

/**
 * The caller of POST or DELETE /admin/tokens as a token's events and row name it: by principal ARN,
 * with the call's particulars as a CloudTrail record would carry them. The user agent is the
 * caller's text: cut and made storable, as the console's sign-in records do.
 */
export function adminActor(call: AdminCall, caller: Principal): TokenActor {
  const userAgent = storableString(call.userAgent.slice(0, 1024)).text;
  return {
    name: caller.arn,
    metadata: {
      via: 'admin-api',
      requestId: call.requestId,
      userIdentity: userIdentityOf(caller),
      sourceIPAddress: call.sourceIp,
      userAgent,
    },
  };
}

/**
 * The CLI as a token's events and row name it: `cli:<operating-system user>`. It proves nothing (whoever
 * can reach the database can write anything); it tells a reader of the trail where to ask.
 */
export function cliActor(osUser: string): TokenActor {
  const user = storableString(osUser.slice(0, 128)).text || 'unknown';
  return { name: `cli:${user}`, metadata: { via: 'cli', osUser: user } };
}
