import { HttpException } from '@nestjs/common';

/**
 * The one way the REST query API refuses a request: `{"error":{"code","message"}}` with the HTTP
 * status, and whatever else the answer says about itself beside it (`position`, the cut of an
 * as-of answer). ApiExceptionFilter sends a body of this shape as it is.
 *
 * @example throw restError(404, 'NotFound', 'alias/x did not exist at 2026-01-01T00:00:00.000Z.', about);
 */
export function restError(
  status: number,
  code: string,
  message: string,
  about: Readonly<Record<string, unknown>> = {},
): HttpException {
  return new HttpException({ error: { code, message }, ...about }, status);
}
