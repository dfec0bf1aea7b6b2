import { applyDecorators } from '@nestjs/common';
import {
  type SchemaObject,
  ApiBearerAuth,
  ApiOperation,
  ApiParam,
  ApiQuery,
  type ApiQueryOptions,
  ApiResponse,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import { schemaRef } from './openapi-schemas';
import { MAX_PAGE } from './query-params';

/**
 * The OpenAPI description of TemporalAliasesController, one decorator per route, kept out of the
 * controller so that it reads as code. Security schemes are declared in openapi.ts.
 */

const query = (name: string, description: string, schema: SchemaObject = { type: 'string' }) =>
  ApiQuery({ name, required: false, description, schema } as ApiQueryOptions);

const cutQueries = (name: string, what: string) => [
  query(
    name,
    `${what}: an ISO 8601 date-time. The answer takes every event whose time is at or before it. Default: now.`,
    { type: 'string', format: 'date-time' },
  ),
  query(
    `${name}Position`,
    `Instead of \`${name}\`: an event's log position (e.g. from \`x-aliastrail-position\`). The answer takes every event at or before that event in log order, (transaction id, position): the state the temporal model had right after applying it. Waits (bounded) until the model has applied it. Such answers are final.`,
    { type: 'string', pattern: '^\\d+$' },
  ),
];

const WAIT = [
  query(
    'waitForPosition',
    'Answer only once the temporal model has applied the event at this log position (read-your-writes after a KMS call), or, with `latest`, every event committed when the request arrived; 503 if that takes longer than the wait.',
    { type: 'string', pattern: '^(\\d+|latest)$' },
  ),
  query(
    'waitTimeoutMs',
    'How long to wait for a position, in milliseconds (default and maximum: the server’s configured limit, 10 s unless it was configured otherwise).',
    {
      type: 'integer',
      minimum: 0,
    },
  ),
];

const REGION = ApiParam({
  name: 'region',
  description: 'The Region, e.g. us-east-1. The account is the caller’s.',
  schema: { type: 'string', example: 'us-east-1' },
});
const KEY_ID = ApiParam({ name: 'keyId', description: 'A key id (not an ARN or alias).', schema: { type: 'string' } });
const NAME = ApiQuery({
  name: 'name',
  required: true,
  description: 'The alias name, alias/…',
  schema: { type: 'string' },
});

const ok = (schema: string, description: string) =>
  ApiResponse({ status: 200, description, schema: schemaRef(schema) });
const ERRORS = [
  ApiResponse({
    status: 400,
    description:
      'A bad parameter (`InvalidNextToken`: a page token not issued here, or expired), or a position no committed event has.',
    schema: schemaRef('ErrorAnswer'),
  }),
  ApiResponse({
    status: 401,
    description: 'Unsigned, wrongly signed, or an unknown bearer token.',
    schema: schemaRef('ErrorAnswer'),
  }),
  ApiResponse({
    status: 503,
    description: 'The temporal model had not applied the position asked for within the wait.',
    schema: schemaRef('PositionNotApplied'),
  }),
];

const route = (summary: string, description: string, ...decorators: (MethodDecorator | ClassDecorator)[]) =>
  applyDecorators(ApiOperation({ summary, description }), REGION, ...decorators, ...ERRORS);

/** On the controller: tag and both security schemes (either one authenticates). */
export const TemporalAliasesApi = () =>
  applyDecorators(ApiTags('temporal aliases'), ApiSecurity('sigv4'), ApiBearerAuth('bearer'));

export const AliasesAtDoc = () =>
  route(
    'Every alias of the Region at a time or position',
    'In name order, paginated.',
    ...cutQueries('at', 'When'),
    query('limit', `Page size, 1 to ${MAX_PAGE} (default 100).`, { type: 'integer', minimum: 1, maximum: MAX_PAGE }),
    query(
      'nextToken',
      'The `nextToken` of the previous page, in the same Region. Tokens are authenticated (HMAC) and valid for 24 hours: a forged, altered or older one is refused with 400 `InvalidNextToken`.',
    ),
    ...WAIT,
    ok('AliasesAtAnswer', 'The aliases that existed then.'),
  );

export const AliasAtDoc = () =>
  route(
    'Which key an alias pointed to at a time or position',
    'The version of the alias that held then, when it began and ended, and who began and ended it.',
    NAME,
    ...cutQueries('at', 'When'),
    ...WAIT,
    ok('AliasAtAnswer', 'The version that held then.'),
    ApiResponse({
      status: 404,
      description: 'The alias did not exist then.',
      schema: schemaRef('AliasNotFoundAnswer'),
    }),
  );

export const AliasHistoryDoc = () =>
  route(
    'Every version of an alias',
    'Oldest first, across deletions and re-creations. With `usage=true` (which needs aliastrail:ReadAudit too), each version also counts the calls that came through the alias (named it as KeyId, SourceKeyId or DestinationKeyId) and were served by its key while it held, per operation and caller, from the audit trail.',
    NAME,
    query('usage', 'true: count each version’s calls through the alias (default false).', { type: 'boolean' }),
    ...WAIT,
    ok('AliasHistoryAnswer', 'The versions.'),
  );

export const KeyAliasesAtDoc = () =>
  route(
    'The aliases that pointed to a key at a time or position',
    'In name order.',
    KEY_ID,
    ...cutQueries('at', 'When'),
    ...WAIT,
    ok('KeyAliasesAnswer', 'The aliases on the key then.'),
  );

export const KeyHistoryDoc = () =>
  route(
    'Every alias version that pointed to a key',
    'The key’s aliases over time, in the order they began.',
    KEY_ID,
    ...WAIT,
    ok('KeyHistoryAnswer', 'The versions.'),
  );

export const DiffDoc = () =>
  route(
    'What changed between two times or positions',
    'Every alias whose target differs between the two cuts (null where it did not exist). `from` or `fromPosition` is required.',
    ...cutQueries('from', 'The first cut'),
    ...cutQueries('to', 'The second cut'),
    ...WAIT,
    ok('DiffAnswer', 'The aliases that differ.'),
  );
