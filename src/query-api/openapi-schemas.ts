import type { ReferenceObject, SchemaObject } from '@nestjs/swagger';

/**
 * The JSON shapes of the query API's answers, as OpenAPI components. They mirror temporal-answers.ts
 * and as-of-cuts.ts by hand: the answers are plain objects, not DTO classes.
 */

const ref = (name: string): ReferenceObject => ({ $ref: `#/components/schemas/${name}` });
const nullable = (schema: SchemaObject): SchemaObject => ({ ...schema, nullable: true });
const dateTime: SchemaObject = { type: 'string', format: 'date-time' };

const CHECKPOINT: SchemaObject = {
  type: 'string',
  pattern: '^\\d{20}:\\d{19}$',
  description:
    'A log checkpoint "<transaction id>:<position>", zero-padded so that the strings sort in log order (the order the projection applies events in).',
  example: '00000000000000000812:0000000000000000040',
};

/** `position` and `finalBefore`: on every answer. */
const REFLECTS: Record<string, SchemaObject> = {
  position: {
    ...CHECKPOINT,
    description: `The log position the answer reflects: the temporal model's checkpoint. ${CHECKPOINT.description}`,
  },
  finalBefore: nullable({
    ...dateTime,
    description:
      'Answers about times before this never change: nothing that commits later can affect them (the transaction-time cap). Null when no answer is final yet, or the cap is off.',
  }),
};

const FINAL: SchemaObject = {
  type: 'boolean',
  description:
    "Whether this answer can never change: true for answers by position, and for answers about a time before `finalBefore`; never for an observed account's answers.",
};

/** How an answer names its cut: a time or an event position (with that event's checkpoint). */
const cut = (name: string): Record<string, SchemaObject> => ({
  [name]: { ...dateTime, description: `The time asked about (absent when asked by position).` },
  [`${name}Position`]: {
    type: 'string',
    pattern: '^\\d+$',
    description: 'The event position asked about (absent when asked by time).',
  },
  [`${name}Checkpoint`]: { ...CHECKPOINT, description: `That event's checkpoint. ${CHECKPOINT.description}` },
});

/** `observed`: on every temporal answer (observed-answers.ts). */
const OBSERVED: SchemaObject = nullable({
  type: 'object',
  required: ['evidenceFrom', 'evidenceTo'],
  properties: {
    evidenceFrom: nullable({
      ...dateTime,
      description: 'Event time of the earliest imported record (or snapshot) of the Region.',
    }),
    evidenceTo: nullable({
      ...dateTime,
      description: 'Event time of the latest imported record (or snapshot) of the Region.',
    }),
  },
  description:
    "Null for an account the KMS API serves. For an observed account (its history imported from CloudTrail), what its records cover in the Region, as far as the model has applied them (both null: none yet). An observed account's answers are never final, and follow event time: a late file changes them.",
});

/** `known`: on every answer about a moment. */
const KNOWN: SchemaObject = {
  type: 'boolean',
  description:
    "False when the moment is before an observed account's evidence (or it has none yet): nothing can be said, and the answer holds no alias (`alias` null, lists and changes empty). Always true for a served account.",
};

const answer = (required: string[], properties: Record<string, SchemaObject | ReferenceObject>): SchemaObject => ({
  type: 'object',
  required: ['position', 'finalBefore', 'observed', ...required],
  properties: { ...REFLECTS, observed: OBSERVED, ...properties },
});

const ERROR: SchemaObject = {
  type: 'object',
  required: ['code', 'message'],
  properties: { code: { type: 'string', example: 'InvalidTime' }, message: { type: 'string' } },
};

export const OPENAPI_SCHEMAS: Record<string, SchemaObject> = {
  ErrorAnswer: {
    type: 'object',
    required: ['error'],
    properties: { error: ERROR },
    description:
      'Every error of /api (unknown routes and over-long or malformed requests included): 400 bad parameters (`UnsupportedCut`: a log position asked of an observed account, whose history follows event time), 401 unauthenticated, 403 denied, 404 not found, 413/414/431 too large, 503 not applied yet.',
  },
  PositionNotApplied: {
    type: 'object',
    required: ['error', 'position'],
    properties: { error: ERROR, position: { ...CHECKPOINT, description: 'Where the temporal model stands.' } },
    description: '503: the temporal model has not applied the position asked for within the wait; retry later.',
  },
  AliasVersion: {
    type: 'object',
    required: ['aliasName', 'version', 'targetKeyId', 'validFrom', 'validTo', 'startedBy', 'endedBy', 'endedReason'],
    properties: {
      aliasName: { type: 'string', example: 'alias/finance' },
      version: { type: 'integer', minimum: 1, description: "The version's number among the alias's versions." },
      targetKeyId: nullable({
        type: 'string',
        description:
          "The key the alias pointed to during the version. Null only for an observed account's version whose target no imported record shows (then `targetKnown` is false): unknown, not absent.",
      }),
      targetKnown: {
        type: 'boolean',
        enum: [false],
        description: 'Present, and false, only when `targetKeyId` is null.',
      },
      validFrom: nullable({
        ...dateTime,
        description:
          "Event time the version began (inclusive). Null only for an observed account's alias that existed before its first imported record (then `beganBeforeEvidence` is true, and `startedBy` is null).",
      }),
      beganBeforeEvidence: {
        type: 'boolean',
        enum: [true],
        description: 'Present, and true, only when `validFrom` is null.',
      },
      validTo: nullable({ ...dateTime, description: 'Event time the version ended (exclusive); null while it holds.' }),
      startedBy: nullable({
        type: 'object',
        additionalProperties: true,
        description: 'The event that began it and who caused it (an imported record: its eventName, userIdentity, …).',
      }),
      endedBy: nullable({ type: 'object', additionalProperties: true, description: 'The event that ended it.' }),
      endedReason: nullable({
        type: 'string',
        enum: ['retargeted', 'deleted', 'key-deleted', 're-created', 'snapshot-differs'],
        description:
          'Observed accounts only: re-created, a CreateAlias of an alias the records showed as existing; snapshot-differs, a snapshot showed another target (either way the records lack a change).',
      }),
    },
  },
  AliasChange: {
    type: 'object',
    required: ['aliasName', 'before', 'after'],
    properties: {
      aliasName: { type: 'string' },
      before: nullable({
        type: 'string',
        description:
          'Target key at the first cut; null: the alias did not exist; "unknown": it existed, and no imported record shows its target (observed accounts).',
      }),
      after: nullable({
        type: 'string',
        description: 'Target key at the second cut; null and "unknown" as for `before`.',
      }),
    },
  },
  AliasAtAnswer: answer(['final', 'known', 'alias'], {
    ...cut('at'),
    final: FINAL,
    known: KNOWN,
    alias: { allOf: [ref('AliasVersion')], nullable: true, description: 'Null only when `known` is false.' },
  }),
  AliasNotFoundAnswer: answer(['error', 'final', 'known'], { error: ERROR, ...cut('at'), final: FINAL, known: KNOWN }),
  AliasesAtAnswer: answer(['final', 'known', 'aliases', 'nextToken'], {
    ...cut('at'),
    final: FINAL,
    known: KNOWN,
    aliases: { type: 'array', items: ref('AliasVersion') },
    nextToken: nullable({
      type: 'string',
      description: 'Pass as `nextToken` for the next page (valid 24 hours); null on the last.',
    }),
  }),
  AliasHistoryAnswer: answer(['aliasName', 'versions'], {
    aliasName: { type: 'string' },
    versions: {
      type: 'array',
      items: {
        allOf: [ref('AliasVersion')],
        properties: {
          usage: {
            type: 'array',
            description:
              'With `usage=true`: calls through the alias this version’s key served, per operation and caller.',
            items: {
              type: 'object',
              required: ['eventName', 'principalArn', 'calls', 'failed'],
              properties: {
                eventName: { type: 'string', example: 'Encrypt' },
                principalArn: nullable({ type: 'string', description: 'userIdentity.arn of the caller.' }),
                calls: { type: 'integer', minimum: 1 },
                failed: { type: 'integer', minimum: 0, description: 'Of those calls, the ones that failed.' },
              },
            },
          },
        },
      },
    },
    usagePosition: {
      ...CHECKPOINT,
      description: `With \`usage=true\`: the audit model's checkpoint the counts reflect. ${CHECKPOINT.description}`,
    },
  }),
  KeyAliasesAnswer: answer(['final', 'known', 'keyId', 'aliases'], {
    ...cut('at'),
    final: FINAL,
    known: KNOWN,
    keyId: { type: 'string' },
    aliases: { type: 'array', items: ref('AliasVersion') },
  }),
  KeyHistoryAnswer: answer(['keyId', 'versions'], {
    keyId: { type: 'string' },
    versions: { type: 'array', items: ref('AliasVersion') },
  }),
  DiffAnswer: answer(['final', 'known', 'changes'], {
    ...cut('from'),
    ...cut('to'),
    final: FINAL,
    known: KNOWN,
    changes: { type: 'array', items: ref('AliasChange') },
  }),
};

/** The audit search's shapes (audit-events.controller.ts). */
const AUDIT_SCHEMAS: Record<string, SchemaObject> = {
  AuditEvent: {
    type: 'object',
    required: ['eventId', 'eventTime', 'eventName', 'readOnly', 'resources', 'cloudTrailEvent'],
    properties: {
      eventId: { type: 'string', format: 'uuid' },
      eventTime: dateTime,
      eventName: { type: 'string', example: 'UpdateAlias' },
      readOnly: { type: 'boolean' },
      username: nullable({ type: 'string' }),
      accessKeyId: nullable({ type: 'string' }),
      sourceIPAddress: nullable({ type: 'string' }),
      errorCode: nullable({ type: 'string', description: 'The exception name of a failed call.' }),
      resources: {
        type: 'array',
        items: {
          type: 'object',
          properties: { accountId: { type: 'string' }, type: { type: 'string' }, ARN: { type: 'string' } },
        },
      },
      cloudTrailEvent: {
        type: 'object',
        additionalProperties: true,
        description: 'The whole CloudTrail record, in the fields and order CloudTrail writes for a KMS call.',
      },
    },
  },
  AuditEventsAnswer: {
    type: 'object',
    required: ['position', 'events'],
    properties: {
      position: { ...CHECKPOINT, description: `The audit model's checkpoint. ${CHECKPOINT.description}` },
      events: { type: 'array', items: ref('AuditEvent') },
      nextToken: {
        type: 'string',
        description: 'Present when more records match: pass it with the same filters (valid 24 hours).',
      },
    },
  },
};
Object.assign(OPENAPI_SCHEMAS, AUDIT_SCHEMAS);

export const schemaRef = ref;
