import { Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { restError } from '../api-errors/rest-error';
import type { Principal } from '../auth/principal';
import { PrincipalRegistry } from '../auth/principal.registry';
import { RequestThrottle } from '../throttle/request-throttle';
import { queryCaller } from './query-caller';

/**
 * Who is calling the REST, GraphQL and admin APIs: authenticated by queryCaller (401 otherwise) and
 * within the principal's rate limit for them (429 ThrottlingException otherwise, when
 * ALIASTRAIL_RATE_LIMIT is set). Every route of those APIs starts here, so none can skip either.
 *
 * @example const caller = await this.callers.of(req);
 */
@Injectable()
export class QueryCallers {
  constructor(
    private readonly principals: PrincipalRegistry,
    private readonly throttle: RequestThrottle,
  ) {}

  async of(req: FastifyRequest): Promise<Principal> {
    const caller = await queryCaller(req, (id) => this.principals.find(id));
    if (!this.throttle.allows(caller, 'query')) throw restError(429, 'ThrottlingException', 'Rate exceeded');
    return caller;
  }
}
