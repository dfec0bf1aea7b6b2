import { restError } from '../api-errors/rest-error';
import type { Scope } from '../kms/domain/identifiers';
import { InvalidPageToken, type PageTokenUse } from '../page-tokens/page-token-codec';
import type { PageTokens } from '../page-tokens/page-tokens.service';
import { hasAliasNameShape } from '../kms/domain/alias-name';

/**
 * Parsing and validation of the query API's path and query parameters: pure, and each failure a 400
 * with the API's error shape `{ error: { code, message } }`.
 */

export const MAX_PAGE = 1000;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
const POSITION = /^\d{1,19}$/;

const badRequest = (code: string, message: string) => restError(400, code, message);

export function regionOf(region: string): string {
  if (!REGION.test(region)) throw badRequest('InvalidRegion', `Unknown Region ${region}.`);
  return region;
}

/** An ISO 8601 date-time; `now` when absent. */
export function timeOf(at: string | undefined, name = 'at', now = () => new Date()): Date {
  if (at === undefined) return now();
  const time = new Date(at);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(at) || Number.isNaN(time.getTime()))
    throw badRequest('InvalidTime', `\`${name}\` must be an ISO 8601 date-time.`);
  return time;
}

export function keyIdOf(keyId: string): string {
  if (!/^[A-Za-z0-9-]{1,128}$/.test(keyId))
    throw badRequest('InvalidKeyId', 'The key id must be a key id, not an ARN or alias.');
  return keyId;
}

export function nameOf(name: string | undefined): string {
  if (!name || !hasAliasNameShape(name))
    throw badRequest('InvalidAliasName', '`name` must be an alias name (alias/…).');
  return name;
}

/** `true` or `false`; false when absent. */
export function booleanOf(value: string | undefined, name: string): boolean {
  if (value !== undefined && value !== 'true' && value !== 'false')
    throw badRequest('InvalidParameter', `\`${name}\` must be true or false.`);
  return value === 'true';
}

export function limitOf(limit: string | undefined): number {
  const size = limit === undefined ? 100 : Number(limit);
  if (!/^\d+$/.test(limit ?? '100') || !Number.isInteger(size) || size < 1 || size > MAX_PAGE)
    throw badRequest('InvalidLimit', `limit must be 1 to ${MAX_PAGE}.`);
  return size;
}

/** A log position: the `position` of an event (as in `x-aliastrail-position`), 1 or more. */
export function positionOf(value: string | undefined, name: string): bigint | undefined {
  if (value === undefined) return undefined;
  if (!POSITION.test(value) || BigInt(value) < 1n || BigInt(value) > 9223372036854775807n)
    throw badRequest('InvalidPosition', `\`${name}\` must be an event's log position (a whole number, 1 or more).`);
  return BigInt(value);
}

/**
 * `waitForPosition`: a log position, or `latest`, the newest committed event when the request
 * arrives: "after everything committed so far", for a reader that did not make the changes it must
 * see (keys another client just created, the AWS managed keys a Region's first call provisioned).
 */
export function waitForPositionOf(value: string | undefined): bigint | 'latest' | undefined {
  return value === 'latest' ? value : positionOf(value, 'waitForPosition');
}

/** How long to wait for a position: `waitTimeoutMs`, at most (and by default) `maxMs`. */
export function waitTimeoutOf(value: string | undefined, maxMs: number): number {
  if (value === undefined) return maxMs;
  const ms = Number(value);
  if (!/^\d{1,9}$/.test(value) || ms > maxMs)
    throw badRequest('InvalidWaitTimeout', `waitTimeoutMs must be 0 to ${maxMs}.`);
  return ms;
}

/** "As of when": a time (`at`, default now) or a log position (`atPosition`), never both. */
export type AsOf = { readonly time: Date } | { readonly position: bigint };

export function asOfOf(
  at: string | undefined,
  atPosition: string | undefined,
  name = 'at',
  now = () => new Date(),
): AsOf {
  const position = positionOf(atPosition, `${name}Position`);
  if (position === undefined) return { time: timeOf(at, name, now) };
  if (at !== undefined)
    throw badRequest('InvalidParameterCombination', `Give \`${name}\` or \`${name}Position\`, not both.`);
  return { position };
}

/** The listing a `nextToken` of the aliases route belongs to: one account and Region's aliases. */
const aliasesUse = (scope: Scope): PageTokenUse => ({ listing: 'rest:aliases', binding: scope });

/** The key of the next page (the last alias name shown) from a token this API issued; 400 otherwise. */
export function pageTokenOf(tokens: PageTokens, scope: Scope, nextToken: string | undefined): string | undefined {
  if (nextToken === undefined) return undefined;
  try {
    return tokens.open(aliasesUse(scope), nextToken).toString('utf8');
  } catch (error) {
    if (!(error instanceof InvalidPageToken)) throw error;
    throw badRequest('InvalidNextToken', error.message);
  }
}

/** The `nextToken` after `lastAliasName`: a MAC'd page token (src/page-tokens), opaque to clients. */
export const nextPageToken = (tokens: PageTokens, scope: Scope, lastAliasName: string) =>
  tokens.issue(aliasesUse(scope), Buffer.from(lastAliasName, 'utf8'));

/** The query string as Fastify parses it: a name given twice arrives as an array. */
export type QueryString = Readonly<Record<string, string | string[] | undefined>>;

/** One query parameter's value; 400 when it is given more than once. */
export function single(params: QueryString, name: string): string | undefined {
  const value = params[name];
  if (Array.isArray(value)) throw badRequest('InvalidParameter', `\`${name}\` is given more than once.`);
  return value;
}
