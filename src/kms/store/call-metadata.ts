import { storableString, storableValue } from '../../event-store/storable-value';
import { userIdentityOf } from '../../auth/principal';
import type { KmsRequest } from '../kms-request';
import { MAX_JSON_DEPTH } from '../../event-store/json-depth-limit';

/** Request parameters larger than this are not stored: a hostile body must not bloat the log. */
const MAX_PARAMETERS_BYTES = 8 * 1024;

/**
 * The metadata every event of an API call carries
 * (docs/history-model.md#units-of-work-and-consistency): who, from where, what was sent, and when; the
 * audit trail's CloudTrail records are built from it.
 *
 * What a client sent is stored as jsonb can hold it, and marked where it is not as sent, the way
 * CloudTrail marks omitted parameters: `requestParametersOmitted` says why requestParameters is
 * null (too large, nested too deep), `unstorableCharactersReplaced` counts the lone surrogates and
 * U+0000 that were replaced by U+FFFD (jsonb refuses both; one such record used to stop the
 * recorder for good).
 */
export function callMetadata(request: KmsRequest, eventTime: Date): Record<string, unknown> {
  const params = storableValue(request.params, MAX_JSON_DEPTH);
  const userAgent = storableString(request.userAgent.slice(0, 1024));
  const replaced = params.replaced + userAgent.replaced;
  return {
    requestId: request.requestId,
    eventName: request.operation,
    userIdentity: request.console
      ? {
          ...userIdentityOf(request.principal),
          sessionContext: consoleSessionContext(request.console.sessionCreatedAt),
        }
      : userIdentityOf(request.principal),
    sourceIPAddress: request.sourceIp,
    userAgent: userAgent.text,
    ...(request.paramsWithheld !== undefined
      ? { requestParameters: null, requestParametersOmitted: request.paramsWithheld }
      : parametersOf(params.value, params.tooDeep)),
    ...(replaced > 0 ? { unstorableCharactersReplaced: replaced } : {}),
    eventTime: eventTime.toISOString(),
    ...(request.console ? { sessionCredentialFromConsole: true } : {}),
  };
}

/** CloudTrail's sessionContext of a call made in a console session (no MFA: aliastrail has none). */
const consoleSessionContext = (createdAt: Date) => ({
  attributes: { creationDate: createdAt.toISOString().replace(/\.\d{3}Z$/, 'Z'), mfaAuthenticated: 'false' },
});

function parametersOf(params: Readonly<Record<string, unknown>>, tooDeep: boolean): Record<string, unknown> {
  if (tooDeep) {
    return { requestParameters: null, requestParametersOmitted: `nested deeper than ${MAX_JSON_DEPTH} levels` };
  }
  // The copy is at most MAX_JSON_DEPTH deep, so JSON.stringify cannot run out of stack here.
  if (Buffer.byteLength(JSON.stringify(params)) > MAX_PARAMETERS_BYTES) {
    return { requestParameters: null, requestParametersOmitted: `over ${MAX_PARAMETERS_BYTES} bytes` };
  }
  return { requestParameters: params };
}
