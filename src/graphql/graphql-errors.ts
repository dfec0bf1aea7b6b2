import { Catch, type ExceptionFilter } from '@nestjs/common';
import { GraphQLError } from 'graphql';
import { type MercuriusContext, defaultErrorFormatter } from 'mercurius';
import { BODY_LIMIT } from '../api-errors/body-limit';
import { UNAVAILABLE, faultOf } from '../api-errors/http-fault';
import { isDatabaseUnavailable } from '../database/database-errors';

/**
 * Hands a resolver's error back to GraphQL untouched. Without it the app's global filter
 * (ApiExceptionFilter, written for HTTP) takes it, finds no HTTP response in a resolver's
 * arguments and fails, so that a client's bad input would come out as an internal error.
 */
@Catch()
export class GraphqlErrorsFilter implements ExceptionFilter {
  catch(exception: unknown): unknown {
    return exception;
  }
}

/** A fault of ours (a database error, a bug), as opposed to an error about what the client sent. */
function isInternal(error: GraphQLError): boolean {
  const original = error.originalError as (Error & { statusCode?: number; errors?: unknown }) | undefined;
  if (!original || original instanceof GraphQLError || Array.isArray(original.errors)) return false;
  return !(typeof original.statusCode === 'number' && original.statusCode < 500);
}

type Execution = Parameters<typeof defaultErrorFormatter>[0];

/**
 * A request Fastify refused before GraphQL saw it (malformed JSON, a body over the limit): the
 * GraphQL error body still, with a code as every other error has (BAD_REQUEST, and the REST code as
 * `reason`), and our words rather than Fastify's.
 */
function frameworkRefusal(error: GraphQLError): GraphQLError | undefined {
  const original = error.originalError as { code?: unknown; statusCode?: unknown } | undefined;
  if (typeof original?.code !== 'string' || !original.code.startsWith('FST_')) return undefined;
  const fault = faultOf(original, BODY_LIMIT);
  if (fault.status >= 500) return undefined;
  return new GraphQLError(fault.message, {
    originalError: Object.assign(new Error(fault.message), { statusCode: fault.status }),
    extensions: { code: 'BAD_REQUEST', reason: fault.code },
  });
}

/**
 * mercurius's formatter (status codes, validation errors), except that our own faults are logged
 * and answered as "Internal server error" (their messages can carry SQL or stack details), and that
 * a refused request keeps its 4xx status however many errors it has.
 */
export function formatGraphqlErrors(execution: Execution, context: MercuriusContext) {
  const errors = execution.errors.map((error) => {
    const refusal = frameworkRefusal(error);
    if (refusal) return refusal;
    if (!isInternal(error)) return error;
    if (isDatabaseUnavailable(error.originalError)) {
      context.reply?.log.warn(
        { path: error.path },
        `GraphQL resolver: database unavailable (${error.originalError!.message})`,
      );
      return new GraphQLError(UNAVAILABLE.message, {
        nodes: error.nodes,
        path: error.path,
        originalError: Object.assign(new Error(UNAVAILABLE.message), { statusCode: UNAVAILABLE.status }),
        extensions: { code: 'SERVICE_UNAVAILABLE', reason: UNAVAILABLE.code },
      });
    }
    context.reply?.log.error({ err: error.originalError, path: error.path }, 'GraphQL resolver failed');
    const statusCode = (error.originalError as { statusCode?: number }).statusCode;
    return new GraphQLError('Internal server error.', {
      nodes: error.nodes,
      path: error.path,
      originalError: Object.assign(new Error('Internal server error.'), { statusCode }),
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  });
  const formatted = defaultErrorFormatter({ ...execution, errors }, context);
  // mercurius keeps a request error's status (400 for validation) only when it carries one message;
  // a document with two problems would otherwise be a 200 without data.
  const status = execution.data ? undefined : statusOf(errors);
  return status === undefined ? formatted : { ...formatted, statusCode: status };
}

function statusOf(errors: readonly GraphQLError[]): number | undefined {
  for (const error of errors) {
    // A GraphQLError a resolver throws arrives wrapped once more, with a path: its status is a level down.
    const original = error.originalError as (Error & { statusCode?: unknown; originalError?: unknown }) | undefined;
    const status =
      original?.statusCode ?? (original?.originalError as { statusCode?: unknown } | undefined)?.statusCode;
    if (typeof status === 'number' && status >= 400) return status;
  }
  return undefined;
}
