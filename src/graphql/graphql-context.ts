import type { FastifyRequest } from 'fastify';
import type { Principal } from '../auth/principal';

/** What every resolver gets as its context: the caller the route's preHandler authenticated. */
export interface GraphqlContext {
  readonly caller: Principal | undefined;
  /** Added by @nestjs/mercurius. */
  readonly req: FastifyRequest;
}
