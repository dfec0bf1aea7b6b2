import { type TokenRequest, tokenRequestOf } from '../bearer-tokens/issued-token';

/**
 * The token request in a POST /admin/tokens body, or what is wrong with it. Fastify hands the body
 * over parsed when it was sent as application/json, as bytes under any other content type (the KMS
 * API's catch-all parser, app.factory.ts), and not at all when there was none: all three are taken,
 * so `curl --data '{}'` and a signed request without a body work alike.
 */
export function tokenRequestOfBody(body: unknown): { request: TokenRequest } | { problem: string } {
  if (!Buffer.isBuffer(body)) return tokenRequestOf(body);
  const text = body.toString('utf8').trim();
  if (text === '') return tokenRequestOf(undefined);
  try {
    return tokenRequestOf(JSON.parse(text));
  } catch {
    return { problem: 'The body is not JSON: send {"description"?: string, "expiresInDays"?: integer}.' };
  }
}
