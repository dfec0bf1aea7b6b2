import { userIdentityOf } from '../auth/principal';
import type { KmsRequest } from '../kms-api/kms-request';

/** Request parameters larger than this are not stored: a hostile body must not bloat the log. */
const MAX_PARAMETERS_BYTES = 8 * 1024;

/**
 * The metadata every event of an API call carries (design §4): who, from where, what was sent, and
 * when; the audit trail's CloudTrail records are built from it.
 */
export function callMetadata(request: KmsRequest, eventTime: Date): Record<string, unknown> {
  const parameters = JSON.stringify(request.params);
  return {
    requestId: request.requestId,
    eventName: request.operation,
    userIdentity: userIdentityOf(request.principal),
    sourceIPAddress: request.sourceIp,
    userAgent: request.userAgent.slice(0, 1024),
    ...(Buffer.byteLength(parameters) <= MAX_PARAMETERS_BYTES
      ? { requestParameters: request.params }
      : { requestParameters: null, requestParametersOmitted: `over ${MAX_PARAMETERS_BYTES} bytes` }),
    eventTime: eventTime.toISOString(),
  };
}
