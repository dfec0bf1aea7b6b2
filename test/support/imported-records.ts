import { randomUUID } from 'node:crypto';
import type { NewEvent } from '../../src/event-store/event.types';
import { kmsRecord } from './cloudtrail-files';

export const OBSERVED_ACCOUNT = '999988887777';

/**
 * Imported CloudTrail records as the import appends them (CloudTrailRecordImported), of every shape
 * the audit columns must read alike in SQL and TypeScript: a plain call, a read-only one through an
 * alias, a failed one, resources listed twice or malformed, no userIdentity, and text that is not an
 * object at all.
 */
export function importedRecords(accountId = OBSERVED_ACCOUNT): NewEvent[] {
  const arn = (resource: string) => `arn:aws:kms:us-east-1:${accountId}:${resource}`;
  const keyId = '0b1e6d8a-8f0e-4c47-9b84-5e0c2d6f7a11';
  const records: Record<string, unknown>[] = [
    kmsRecord({
      accountId,
      eventName: 'CreateKey',
      eventTime: '2026-03-01T10:00:00Z',
      resources: [{ accountId, type: 'AWS::KMS::Key', ARN: arn(`key/${keyId}`) }],
    }),
    kmsRecord({
      accountId,
      eventName: 'Encrypt',
      eventTime: '2026-03-01T10:01:00Z',
      readOnly: true,
      requestParameters: { keyId: 'alias/app', encryptionAlgorithm: 'SYMMETRIC_DEFAULT' },
      resources: [{ accountId, type: 'AWS::KMS::Key', ARN: arn(`key/${keyId}`) }],
    }),
    kmsRecord({
      accountId,
      eventName: 'CreateAlias',
      eventTime: '2026-03-01T10:02:00Z',
      errorCode: 'AlreadyExistsException',
      errorMessage: 'An alias with the name … already exists',
      resources: [
        { accountId, type: 'AWS::KMS::Key', ARN: arn('alias/app') },
        { accountId, type: 'AWS::KMS::Key', ARN: arn('alias/app') },
        { accountId, type: 'AWS::KMS::Key', ARN: arn(`key/${keyId}`) },
        { type: 'AWS::KMS::Key' },
        'not an object',
      ],
    }),
    {
      ...kmsRecord({ accountId, eventName: 'ListAliases', eventTime: '2026-03-01T10:03:00Z' }),
      userIdentity: undefined,
      resources: 'none',
    },
  ];
  const texts = [...records.map((record) => JSON.stringify(record)), '"just a string"'];
  return texts.map((record, i) => ({
    eventId: randomUUID(),
    type: 'CloudTrailRecordImported',
    tags: [`observed:${accountId}:us-east-1`],
    data: {
      accountId,
      region: 'us-east-1',
      eventName: i < records.length ? String(records[i]!.eventName) : 'Unknown',
      record,
    },
    occurredAt: new Date(Date.UTC(2026, 2, 1, 11, i)),
  }));
}
