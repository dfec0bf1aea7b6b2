import { RequestThrottle } from '../throttle/request-throttle';
import { authorizeKms } from '../authz/authorize';
import { QUERY_ACTIONS } from '../authz/query-actions';
import { Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { auditCursorBytes, auditCursorOf, auditTokenUse } from '../audit/audit-page-token';
import { PrincipalRegistry } from '../auth/principal.registry';
import { verifySigV4 } from '../auth/sigv4-verifier';
import { KmsError } from '../kms/domain/kms-error';
import { parseAwsJson } from '../aws-json/aws-json-body';
import { InvalidPageToken } from '../page-tokens/page-token-codec';
import { PageTokens } from '../page-tokens/page-tokens.service';
import { AuditEventsReader } from '../projections/audit/audit-events.reader';
import { parseLookupRequest } from './lookup-events.request';
import { lookupEventOf } from './lookup-events.response';

/** CloudTrail's two X-Amz-Target spellings (the AWS CLI sends the long one). */
const TARGETS = ['CloudTrail_20131101.', 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.'];

export function cloudTrailOperationOf(target: unknown): string | undefined {
  if (typeof target !== 'string') return undefined;
  const prefix = TARGETS.find((p) => target.startsWith(p));
  return prefix === undefined ? undefined : target.slice(prefix.length);
}

/**
 * CloudTrail's LookupEvents over AWS JSON 1.1 (docs/kms-behaviour.md#lookupevents), answered from the
 * `audit` projection for the caller's account and the Region of its credential scope. Signed for the
 * service `cloudtrail`.
 */
@Injectable()
export class CloudTrailApi {
  constructor(
    private readonly principals: PrincipalRegistry,
    private readonly throttle: RequestThrottle,
    private readonly audit: AuditEventsReader,
    private readonly tokens: PageTokens,
  ) {}

  async call(req: FastifyRequest, operation: string, body: Buffer): Promise<Record<string, unknown>> {
    const caller = await verifySigV4(
      { method: req.method, path: req.url.split('?')[0] ?? '/', query: {}, headers: req.headers, body },
      'cloudtrail',
      (id) => this.principals.find(id),
      new Date(),
    );
    if (operation !== 'LookupEvents') throw new KmsError('UnknownOperationException', undefined);
    // The caller's policies first, as AWS authorizes before it reads the request.
    this.throttle.check(caller.principal, 'cloudtrail');
    authorizeKms(caller.principal, QUERY_ACTIONS.lookupEvents, ['*']);
    const request = parseLookupRequest(parseAwsJson(body));
    if (request.none) return { Events: [] };
    const scope = { accountId: caller.principal.accountId, region: caller.region };
    const search = { ...request.filters, order: 'newest' as const };
    const use = auditTokenUse('cloudtrail:LookupEvents', scope, search);
    let after;
    try {
      after = request.nextToken === undefined ? undefined : auditCursorOf(this.tokens.open(use, request.nextToken));
    } catch (error) {
      if (!(error instanceof InvalidPageToken)) throw error;
      // AWS's words for every refused token, expired ones included.
      throw new KmsError('InvalidNextTokenException', 'Invalid NextToken.');
    }
    const rows = await this.audit.search(scope, { ...search, limit: request.maxResults + 1, after });
    const page = rows.slice(0, request.maxResults);
    const last = page.at(-1);
    return {
      Events: page.map(lookupEventOf),
      ...(rows.length > request.maxResults && last
        ? { NextToken: this.tokens.issue(use, auditCursorBytes(last)) }
        : {}),
    };
  }
}
