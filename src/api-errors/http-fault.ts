import { HttpException } from '@nestjs/common';
import { isDatabaseUnavailable } from '../database/database-errors';

/** An error as every API reports it: HTTP status, a stable code, and a message safe to show. */
export interface HttpFault {
  readonly status: number;
  readonly code: string;
  readonly message: string;
}

/** Where Fastify or Node refused a request on their own, what we say instead of their words. */
const FRAMEWORK: Readonly<Record<string, Omit<HttpFault, 'status'>>> = {
  FST_ERR_BAD_URL: { code: 'InvalidUrl', message: 'The URL is not valid (a malformed percent-encoding).' },
  FST_ERR_MAX_PARAM_LENGTH: {
    code: 'UriTooLong',
    message: 'A path segment is longer than the 100 characters accepted.',
  },
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'MalformedJson', message: 'The body is not valid JSON.' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'MalformedJson', message: 'The body is empty, but the content type is JSON.' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: 'UnsupportedMediaType', message: 'The content type is not accepted.' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    code: 'InvalidContentLength',
    message: 'The body is not as long as its Content-Length says.',
  },
  HPE_HEADER_OVERFLOW: {
    code: 'RequestHeaderFieldsTooLarge',
    message: 'The request line and headers are larger than the 16384 bytes accepted.',
  },
  ERR_HTTP_REQUEST_TIMEOUT: { code: 'RequestTimeout', message: 'The request was not received in time.' },
};

/** The REST code of a status, for refusals that carry no code of their own. */
const BY_STATUS: Readonly<Record<number, string>> = {
  400: 'InvalidRequest',
  401: 'Unauthorized',
  403: 'AccessDenied',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  408: 'RequestTimeout',
  409: 'Conflict',
  413: 'RequestEntityTooLarge',
  414: 'UriTooLong',
  415: 'UnsupportedMediaType',
  429: 'ThrottlingException',
  431: 'RequestHeaderFieldsTooLarge',
  503: 'ServiceUnavailable',
};

export const NO_ROUTE: HttpFault = { status: 404, code: 'NotFound', message: 'No route matches this method and path.' };
export const INTERNAL: HttpFault = { status: 500, code: 'InternalError', message: 'An internal error occurred.' };
/** The database is away or did not answer in time: a 503 that clients may retry. */
export const UNAVAILABLE: HttpFault = {
  status: 503,
  code: 'ServiceUnavailable',
  message: 'The service could not reach its database in time. You can retry the request.',
};

/**
 * What to answer for an error that escaped every handler: Nest's HTTP exceptions keep their status
 * and (our own) code and message; Fastify's and Node's refusals get a code and words of ours, never
 * theirs, which echo the URL; anything else is a fault of ours, told as no more than that.
 */
export function faultOf(error: unknown, bodyLimit: number): HttpFault {
  const code = (error as { code?: unknown } | null)?.code;
  const status = statusOf(error);
  if (status === undefined && isDatabaseUnavailable(error)) return UNAVAILABLE;
  if (status === undefined || status >= 500) return status === 503 ? UNAVAILABLE : INTERNAL;
  if (status === 413)
    return {
      status,
      code: 'RequestEntityTooLarge',
      message: `The request body is larger than the ${bodyLimit} bytes accepted.`,
    };
  const known = typeof code === 'string' ? FRAMEWORK[code] : undefined;
  if (known) return { status, ...known };
  if (error instanceof HttpException) return fromHttpException(error, status);
  return { status, code: BY_STATUS[status] ?? 'InvalidRequest', message: 'The request could not be read.' };
}

function statusOf(error: unknown): number | undefined {
  if (error instanceof HttpException) return error.getStatus();
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'HPE_HEADER_OVERFLOW') return 431;
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return 408;
  if (typeof code === 'string' && code.startsWith('HPE_')) return 400;
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 600 ? status : undefined;
}

function fromHttpException(error: HttpException, status: number): HttpFault {
  const cause = error.cause as { code?: unknown } | undefined;
  const known = typeof cause?.code === 'string' ? FRAMEWORK[cause.code] : undefined;
  if (known) return { status, ...known };
  // Nest's own 404 for an unknown route says `Cannot GET <the whole URL>`: ours says less.
  if (status === 404 && /^Cannot [A-Z]+ /.test(error.message)) return NO_ROUTE;
  const response = error.getResponse();
  const ours = (response as { error?: { code?: unknown; message?: unknown } }).error;
  if (typeof ours?.code === 'string' && typeof ours.message === 'string')
    return { status, code: ours.code, message: ours.message };
  // A route's own `new BadRequestException('…')`: its words were written for the caller.
  const message = typeof response === 'string' ? response : (response as { message?: unknown }).message;
  return {
    status,
    code: BY_STATUS[status] ?? 'InvalidRequest',
    message: typeof message === 'string' ? message : Array.isArray(message) ? message.join('; ') : error.message,
  };
}
