import { denialMessage, denialOf } from '../authz/authorize';
import { QUERY_ACTIONS, auditArn, historyArn } from '../authz/query-actions';
import { GraphQLError } from 'graphql';
import type { Principal } from '../auth/principal';
import type { Scope } from '../kms/domain/identifiers';
import { InvalidPageToken, type PageTokenUse } from '../page-tokens/page-token-codec';
import type { PageTokens } from '../page-tokens/page-tokens.service';
import { MAX_PAGE } from './query-limits';
import { hasAliasNameShape } from '../kms/domain/alias-name';

// The same shapes the REST query API accepts (src/query-api/temporal-aliases.controller.ts).
const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
const KEY_ID = /^[A-Za-z0-9-]{1,128}$/;

/** An error in what the caller asked, as GraphQL clients expect it (`extensions.code`). */
export function badInput(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });
}

/**
 * The caller's account in the Region asked about: every query is scoped to it. The Region is an
 * argument (as in the REST paths), not the SigV4 scope, because bearer-token callers have none.
 */
export function scopeOf(
  caller: Principal | undefined,
  region: string,
  action: string = QUERY_ACTIONS.readHistory,
): Scope {
  // The route's preHandler answers 401 before any resolver runs; this only guards against a wiring mistake.
  if (!caller) throw new GraphQLError('Not authenticated.', { extensions: { code: 'UNAUTHENTICATED' } });
  if (!REGION.test(region)) throw badInput(`Unknown Region ${JSON.stringify(region)}.`);
  const scope = { accountId: caller.accountId, region };
  const resource = action === QUERY_ACTIONS.readAudit ? auditArn(scope) : historyArn(scope);
  const denial = denialOf(caller, action, [resource]);
  if (denial) throw new GraphQLError(denialMessage(denial), { extensions: { code: 'FORBIDDEN' } });
  return scope;
}

export function aliasNameOf(name: string): string {
  if (!hasAliasNameShape(name)) throw badInput('An alias name starts with alias/ and has at most 256 characters.');
  return name;
}

export function keyIdOf(keyId: string): string {
  if (!KEY_ID.test(keyId)) throw badInput('keyId must be a key id, not an ARN or an alias.');
  return keyId;
}

export function pageSizeOf(first: number): number {
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE)
    throw badInput(`first must be between 1 and ${MAX_PAGE}.`);
  return first;
}

/** The listing an alias cursor belongs to: name-ordered aliases of one account and Region. */
const aliasesUse = (scope: Scope): PageTokenUse => ({ listing: 'graphql:aliases', binding: scope });

/** The opaque cursor of an alias in a name-ordered page: a MAC'd page token (src/page-tokens). */
export function aliasCursor(tokens: PageTokens, scope: Scope, aliasName: string): string {
  return tokens.issue(aliasesUse(scope), Buffer.from(aliasName, 'utf8'));
}

/** The alias name a cursor stands for; anything we did not issue, or issued too long ago, is refused. */
export function afterAlias(tokens: PageTokens, scope: Scope, cursor: string | null | undefined): string | undefined {
  if (cursor === undefined || cursor === null) return undefined;
  return openingCursor(() => tokens.open(aliasesUse(scope), cursor).toString('utf8'));
}

/**
 * What `open` reads from a cursor, or the 400 GraphQL error every refused cursor gets
 * (`BAD_USER_INPUT`, reason `InvalidCursor`); the status is on the original error because the
 * error formatter takes a refused request's HTTP status from there.
 */
export function openingCursor<T>(open: () => T): T {
  try {
    return open();
  } catch (error) {
    if (!(error instanceof InvalidPageToken)) throw error;
    throw refusedCursor(`after is not a cursor this API issued for this query: ${error.message}`);
  }
}

/** The error every refused cursor gets (see openingCursor). */
export function refusedCursor(message: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: 'BAD_USER_INPUT', reason: 'InvalidCursor' },
    originalError: Object.assign(new Error(message), { statusCode: 400 }),
  });
}
