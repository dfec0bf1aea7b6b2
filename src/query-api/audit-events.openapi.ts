import { applyDecorators } from '@nestjs/common';
import {
  type ApiQueryOptions,
  ApiBearerAuth,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiResponse,
  ApiSecurity,
  ApiTags,
  type SchemaObject,
} from '@nestjs/swagger';
import { schemaRef } from './openapi-schemas';
import { MAX_AUDIT_PAGE } from './audit-search-params';

/** The OpenAPI description of AuditEventsController, kept out of the controller. */

const query = (name: string, description: string, schema: SchemaObject = { type: 'string' }) =>
  ApiQuery({ name, required: false, description, schema } as ApiQueryOptions);

const FILTERS = [
  query(
    'eventName',
    'An operation, e.g. UpdateAlias, or DeleteKey for scheduled deletions. Repeat it for any of several (eventName=Encrypt&eventName=Decrypt).',
    { type: 'array', items: { type: 'string' }, maxItems: 50 },
  ),
  query('username', 'The caller’s user name (userIdentity.userName).'),
  query(
    'alias',
    'An alias name (alias/…) or alias ARN: the calls that named it as their key (KeyId, SourceKeyId, DestinationKeyId; a cryptographic call’s resources list only the key that served it) and the calls that list it among their resources (CreateAlias, UpdateAlias, DeleteAlias).',
  ),
  query('keyId', 'A key id or key ARN among the call’s resources.'),
  query('accessKeyId', 'The access key the call was signed with.'),
  query('sourceIp', 'The caller’s IP address.'),
  query('errorCode', 'An exception name, or * for every failed call.'),
  query(
    'readOnly',
    'true: the calls CloudTrail marks read-only (lists, DescribeKey, the Get… reads and every cryptographic call); false: the others.',
    { type: 'boolean' },
  ),
  query('eventId', 'A record’s eventID (a UUID): that record only.', { type: 'string', format: 'uuid' }),
  query(
    'eventSource',
    'kms.amazonaws.com (every KMS call) or signin.amazonaws.com (console sign-ins, ConsoleLogin); any other matches none.',
  ),
  query('resourceType', 'AWS::KMS::Key: the records that name a key or alias; any other matches none.'),
  query('startTime', 'Earliest event time, inclusive (ISO 8601).', { type: 'string', format: 'date-time' }),
  query('endTime', 'Latest event time, inclusive (ISO 8601).', { type: 'string', format: 'date-time' }),
  query('order', 'newest (default) or oldest first.', { type: 'string', enum: ['newest', 'oldest'] }),
];

const REGION = ApiParam({
  name: 'region',
  description: 'The Region, e.g. us-east-1. The account is the caller’s.',
  schema: { type: 'string', example: 'us-east-1' },
});

const ERRORS = [
  ApiResponse({ status: 400, description: 'A bad parameter or page token.', schema: schemaRef('ErrorAnswer') }),
  ApiResponse({
    status: 401,
    description: 'Unsigned, wrongly signed, or an unknown bearer token.',
    schema: schemaRef('ErrorAnswer'),
  }),
];

/** On the controller: tag and both security schemes (either one authenticates). */
export const AuditEventsApi = () => applyDecorators(ApiTags('audit'), ApiSecurity('sigv4'), ApiBearerAuth('bearer'));

export const AuditSearchDoc = () =>
  applyDecorators(
    ApiOperation({
      summary: 'Search the audit trail',
      description:
        'CloudTrail records of every call by this account in the Region, failed and read-only ones included. Filters combine; keyset pages whose token stays valid while records are added.',
    }),
    REGION,
    ...FILTERS,
    query('limit', `Page size, 1 to ${MAX_AUDIT_PAGE} (default 100).`, {
      type: 'integer',
      minimum: 1,
      maximum: MAX_AUDIT_PAGE,
    }),
    query(
      'nextToken',
      'The `nextToken` of the previous page, with the same filters. Tokens are authenticated (HMAC) and valid for 24 hours: a forged, altered or older one, or one of another search, is refused with 400 `InvalidNextToken`.',
    ),
    ApiResponse({ status: 200, description: 'A page of records.', schema: schemaRef('AuditEventsAnswer') }),
    ...ERRORS,
  );

export const AuditExportDoc = () =>
  applyDecorators(
    ApiOperation({
      summary: 'Export a search of the audit trail',
      description: 'Every matching record, streamed: JSON Lines (one CloudTrail record a line) or CSV.',
    }),
    REGION,
    ...FILTERS,
    query('format', 'jsonl (default) or csv.', { type: 'string', enum: ['jsonl', 'csv'] }),
    ApiResponse({
      status: 200,
      description: 'The records, streamed.',
      content: {
        'application/x-ndjson': { schema: { type: 'string', description: 'One CloudTrail record (JSON) per line.' } },
        'text/csv': { schema: { type: 'string', description: 'A header row, then one row per record.' } },
      },
    }),
    ...ERRORS,
  );
