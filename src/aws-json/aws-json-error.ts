import type { KmsError } from '../kms/domain/kms-error';

/** The content type of every AWS JSON 1.1 request and answer, errors included. */
export const AMZ_JSON = 'application/x-amz-json-1.1';

/** An AWS JSON 1.1 error body: {"__type", "message"}, without "message" when the error has none (as AWS). */
export function errorBody(error: KmsError): Record<string, string> {
  return error.detail === undefined ? { __type: error.code } : { __type: error.code, message: error.detail };
}
