import type { MercuriusDriverConfig } from '@nestjs/mercurius';
import type { FastifyRequest } from 'fastify';
import { GraphQLSchema } from 'graphql';
import type { QueryCallers } from '../callers/query-callers';
import { authenticateGraphql, callerOf } from './graphql-auth';
import { formatGraphqlErrors } from './graphql-errors';
import { DateTime } from './date-time.scalar';
import { SCHEMA_DESCRIPTION } from './argument-conventions';
import { complexityLimit } from './query-complexity';
import { MAX_COMPLEXITY, MAX_DEPTH, MAX_TOKENS } from './query-limits';

/**
 * The /graphql endpoint: a code-first schema built in memory (nothing is written to disk), SigV4 or
 * bearer authentication and the rate limit before anything else, and limits on tokens, depth and complexity.
 */
export function graphqlOptions(callers: QueryCallers): Omit<MercuriusDriverConfig, 'driver'> {
  return {
    path: '/graphql',
    autoSchemaFile: true,
    sortSchema: true,
    buildSchemaOptions: { scalarsMap: [{ type: Date, scalar: DateTime }] },
    // Code-first has no place for the schema's own description: the naming convention goes there.
    transformSchema: (schema) => new GraphQLSchema({ ...schema.toConfig(), description: SCHEMA_DESCRIPTION }),
    // GraphiQL is ours (graphql-api.module.ts), served from local files: mercurius's loads it from a CDN.
    graphiql: false,
    additionalRouteOptions: { preHandler: authenticateGraphql(callers) },
    context: (request: FastifyRequest) => ({ caller: callerOf(request) }),
    errorFormatter: formatGraphqlErrors,
    allowBatchedQueries: false,
    graphql: { parseOptions: { maxTokens: MAX_TOKENS } },
    queryDepth: MAX_DEPTH,
    validationRules: ({ variables }) => [complexityLimit(MAX_COMPLEXITY, variables)],
    // mercurius refuses validation rules that depend on the request together with its parse cache:
    // the cost depends on the variables (`first: $n`), so every request is parsed and validated anew.
    cache: false,
  };
}
