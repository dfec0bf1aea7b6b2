import { applyDecorators } from '@nestjs/common';
import {
  type SchemaObject,
  ApiBearerAuth,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiResponse,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import { schemaRef } from './openapi-schemas';

/** The OpenAPI description of TemporalKeysController (temporal-keys.controller.ts) and its answers. */

const nullable = (schema: SchemaObject): SchemaObject => ({ ...schema, nullable: true });

/** `observed` and `known`, as on the alias answers (openapi-schemas.ts). */
const PROVENANCE: Record<string, SchemaObject> = {
  observed: nullable({
    type: 'object',
    required: ['evidenceFrom', 'evidenceTo'],
    properties: {
      evidenceFrom: nullable({ type: 'string', format: 'date-time' }),
      evidenceTo: nullable({ type: 'string', format: 'date-time' }),
    },
    description:
      "Null for an account the KMS API serves; for an observed account, what its imported records and snapshots cover in the Region. Its keys come from that evidence: CreateKey records give their metadata, later records their state, description, tags, policy and rotation, a snapshot every key's state; what the evidence does not show is null.",
  }),
  known: {
    type: 'boolean',
    description: "False before an observed account's evidence: nothing can be said (no keys).",
  },
};
const dateTime: SchemaObject = { type: 'string', format: 'date-time' };

/** An observed account's key: what no record or snapshot shows is null (observed-keys.ts). */
const UNKNOWN = 'Null only for an observed account whose records and snapshots do not show it.';

const KEY_AT: SchemaObject = {
  type: 'object',
  required: ['keyId', 'arn', 'keyState', 'keySpec', 'keyUsage', 'keyManager', 'description', 'creationDate', 'aliases'],
  properties: {
    keyId: { type: 'string' },
    arn: { type: 'string' },
    keyState: nullable({
      type: 'string',
      example: 'Enabled',
      description: `DescribeKey's KeyState then (Enabled, Disabled, PendingDeletion, PendingImport; a snapshot of an observed account may also show Unavailable, Creating, Updating or PendingReplicaDeletion). ${UNKNOWN}`,
    }),
    keySpec: nullable({ type: 'string', example: 'SYMMETRIC_DEFAULT', description: UNKNOWN }),
    keyUsage: nullable({ type: 'string', example: 'ENCRYPT_DECRYPT', description: UNKNOWN }),
    keyManager: nullable({ type: 'string', enum: ['CUSTOMER', 'AWS'], description: UNKNOWN }),
    origin: nullable({ type: 'string', example: 'AWS_KMS', description: UNKNOWN }),
    description: nullable({ type: 'string', description: UNKNOWN }),
    creationDate: nullable({ ...dateTime, description: UNKNOWN }),
    deletionDate: nullable({ ...dateTime, description: 'When a key pending deletion was due to be deleted.' }),
    aliases: { type: 'array', items: { type: 'string' }, description: 'The aliases that pointed at it then, by name.' },
  },
};

/** Added to the document's components by openapi.ts. */
export const KEYS_AT_SCHEMAS: Record<string, SchemaObject> = {
  KeyAt: KEY_AT,
  KeysAtAnswer: {
    type: 'object',
    required: ['at', 'observed', 'known', 'keys'],
    properties: {
      at: dateTime,
      ...PROVENANCE,
      keys: { type: 'array', items: schemaRef('KeyAt') },
      hiddenKeys: {
        type: 'integer',
        description: 'Keys that existed then but are left out: the caller may not kms:DescribeKey them.',
      },
    },
  },
  KeyAtAnswer: {
    type: 'object',
    required: ['at', 'observed', 'known', 'key'],
    properties: {
      at: dateTime,
      ...PROVENANCE,
      key: {
        allOf: [schemaRef('KeyAt')],
        nullable: true,
        properties: {
          tags: nullable({
            type: 'array',
            description: 'Null when the caller may not kms:ListResourceTags the key.',
            items: { type: 'object', properties: { TagKey: { type: 'string' }, TagValue: { type: 'string' } } },
          }),
          policy: nullable({
            type: 'string',
            description:
              'The key policy then, as GetKeyPolicy answered; null when the caller may not kms:GetKeyPolicy.',
          }),
          policyIsDefault: nullable({
            type: 'boolean',
            description:
              "Whether that was the default policy (none set yet); null for an observed account's key created before its records.",
          }),
          rotation: nullable({
            type: 'object',
            description:
              'What GetKeyRotationStatus answered then (`error` for a key it refuses); null when the caller may not kms:GetKeyRotationStatus.',
            properties: {
              keyRotationEnabled: { type: 'boolean' },
              rotationPeriodInDays: nullable({ type: 'integer' }),
              nextRotationDate: nullable(dateTime),
              error: { type: 'string' },
            },
          }),
        },
      },
    },
  },
};

const REGION = ApiParam({
  name: 'region',
  description: 'The Region. The account is the caller’s.',
  schema: { type: 'string' },
});
const AT = ApiQuery({
  name: 'at',
  required: false,
  description: 'An ISO 8601 date-time: the answer takes every event whose time is at or before it. Default: now.',
  schema: { type: 'string', format: 'date-time' },
});
const errors = (denied: string) => [
  ApiResponse({ status: 400, description: 'A bad parameter.', schema: schemaRef('ErrorAnswer') }),
  ApiResponse({
    status: 401,
    description: 'Unsigned, wrongly signed, or an unknown bearer token.',
    schema: schemaRef('ErrorAnswer'),
  }),
  ApiResponse({ status: 403, description: denied, schema: schemaRef('ErrorAnswer') }),
];

export const TemporalKeysApi = () =>
  applyDecorators(ApiTags('temporal keys'), ApiSecurity('sigv4'), ApiBearerAuth('bearer'));

export const KeysAtDoc = () =>
  applyDecorators(
    ApiOperation({
      summary: 'Every key of the Region as it was at a time',
      description:
        'Keys deleted since included, each with its state, metadata and aliases then, in key id order. Folded from the log itself: the answer reflects every event committed when it was asked. Without `at`, the keys as they are now, from the current model (the one ListKeys and DescribeKey read).',
    }),
    REGION,
    AT,
    ApiResponse({ status: 200, description: 'The keys that existed then.', schema: schemaRef('KeysAtAnswer') }),
    ...errors('Not allowed aliastrail:ReadHistory.'),
  );

export const KeyAtDoc = () =>
  applyDecorators(
    ApiOperation({
      summary: 'One key as it was at a time',
      description: 'Its state, metadata, tags, key policy, rotation and aliases then.',
    }),
    REGION,
    ApiParam({ name: 'keyId', description: 'A key id (not an ARN or alias).', schema: { type: 'string' } }),
    AT,
    ApiResponse({ status: 200, description: 'The key then.', schema: schemaRef('KeyAtAnswer') }),
    ApiResponse({ status: 404, description: 'The key did not exist then.', schema: schemaRef('ErrorAnswer') }),
    ...errors('Not allowed aliastrail:ReadHistory, or kms:DescribeKey on the key.'),
  );
