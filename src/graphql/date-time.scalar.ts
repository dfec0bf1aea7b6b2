import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

// RFC 3339 date-time with an explicit offset: a time without one would be read in the server's zone.
const RFC_3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i;

function parse(value: unknown): Date {
  const time = typeof value === 'string' && RFC_3339.test(value) ? new Date(value) : undefined;
  if (time === undefined || Number.isNaN(time.getTime()))
    throw new GraphQLError(
      `DateTime must be an RFC 3339 date-time with an offset, such as 2026-03-01T00:00:00Z; got ${JSON.stringify(value)}.`,
      { extensions: { code: 'BAD_USER_INPUT' } },
    );
  return time;
}

/**
 * `DateTime`: ISO 8601 / RFC 3339 strings out and in. Stricter than @nestjs/graphql's own scalar,
 * which turns "yesterday" into an Invalid Date instead of refusing it.
 *
 * @example parse('2026-03-01T12:00:00Z') // Date; parse('2026-03-01') // GraphQLError
 */
export const DateTime = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description: 'An RFC 3339 date-time with an offset, such as 2026-03-01T12:00:00.000Z; answers are in UTC.',
  serialize(value) {
    if (!(value instanceof Date) || Number.isNaN(value.getTime()))
      throw new GraphQLError('DateTime cannot represent a non-date value.');
    return value.toISOString();
  },
  parseValue: parse,
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING)
      throw new GraphQLError('DateTime must be a string.', { nodes: ast, extensions: { code: 'BAD_USER_INPUT' } });
    return parse(ast.value);
  },
});
