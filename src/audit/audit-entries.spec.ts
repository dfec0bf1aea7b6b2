import type { StoredEvent } from '../event-store/event.types';
import { auditEntriesOf } from './audit-entries';
import { eventTimeOf, lowerCamel, responseDateOf } from './cloudtrail-format';

const scope = { accountId: '111122223333', region: 'eu-west-1' };
const K = '1234abcd-12ab-34cd-56ef-1234567890ab';
const arn = (resource: string) => `arn:aws:kms:eu-west-1:111122223333:${resource}`;
let position = 0n;
const event = (type: string, data: object, metadata: Record<string, unknown>): StoredEvent => ({
  position: ++position,
  transactionId: 1n,
  eventId: `00000000-0000-4000-8000-${String(position).padStart(12, '0')}`,
  type,
  schemaVersion: 1,
  tags: [],
  data: { ...scope, ...data },
  metadata,
  occurredAt: new Date('2026-03-01T14:00:00.250Z'),
  recordedAt: new Date(),
});
const call = (requestId: string, eventName: string, requestParameters: object) => ({
  requestId,
  eventName,
  userIdentity: { type: 'IAMUser', accessKeyId: 'AKIAEXAMPLE', userName: 'Alice', accountId: scope.accountId },
  sourceIPAddress: '192.0.2.0',
  userAgent: 'aws-cli/2',
  requestParameters,
  eventTime: '2026-03-01T14:00:00.250Z',
});

describe('auditEntriesOf', () => {
  it('makes one record per call with the fields of a CloudTrail record, searchable by alias name and key id', () => {
    const [entry] = auditEntriesOf([
      event(
        'AliasCreated',
        { aliasName: 'alias/finance', keyId: K },
        call('r1', 'CreateAlias', { AliasName: 'alias/finance', TargetKeyId: K }),
      ),
    ]);
    expect(entry!.head!.record).toMatchObject({
      eventName: 'CreateAlias',
      eventTime: '2026-03-01T14:00:00Z',
      requestParameters: { aliasName: 'alias/finance', targetKeyId: K },
      responseElements: { keyId: arn(`key/${K}`) },
      requestID: 'r1',
      readOnly: false,
    });
    expect(entry!.head).toMatchObject({ username: 'Alice', accessKeyId: 'AKIAEXAMPLE', errorCode: null });
    expect(entry!.resources.map((r) => r.ARN)).toEqual([arn(`key/${K}`), arn('alias/finance')]);
    expect(entry!.resourceNames).toEqual([K, 'alias/finance']);
  });

  it('folds a scheduled deletion and the aliases that went with it into one DeleteKey service record', () => {
    const service = { invokedBy: 'AWS Internal', callId: 'c1' };
    const entries = auditEntriesOf([
      event('KeyDeleted', { keyId: K }, service),
      event('AliasDeleted', { aliasName: 'alias/a', keyId: K, reason: 'key-deleted' }, service),
      event('AliasDeleted', { aliasName: 'alias/b', keyId: K, reason: 'key-deleted' }, service),
    ]);
    expect(entries).toHaveLength(1);
    expect(entries[0]!.head!.record).toMatchObject({
      eventName: 'DeleteKey',
      eventType: 'AwsServiceEvent',
      requestParameters: null,
    });
    expect(entries[0]!.head!.record).not.toHaveProperty('requestID');
    expect(entries[0]!.resources.map((r) => r.ARN)).toEqual([arn(`key/${K}`), arn('alias/a'), arn('alias/b')]);
  });

  it('leaves a headless part when a batch starts inside a call, and records nothing for provisioning', () => {
    const service = { invokedBy: 'AWS Internal', callId: 'c2' };
    const [part] = auditEntriesOf([
      event('AliasDeleted', { aliasName: 'alias/c', keyId: K, reason: 'key-deleted' }, service),
    ]);
    expect(part).toMatchObject({ callId: 'c2', head: undefined });
    expect(auditEntriesOf([event('KeyCreated', { keyId: K }, { invokedBy: 'AWS Internal', callId: 'c3' })])).toEqual(
      [],
    );
  });

  it('records a failed call without a response, and CreateKey with the defaults KMS applied', () => {
    const [failed] = auditEntriesOf([
      event(
        'KmsCallRecorded',
        {
          eventName: 'DeleteAlias',
          readOnly: false,
          errorCode: 'NotFoundException',
          errorMessage: 'gone',
          resources: [arn('alias/x')],
          responseElements: null,
        },
        call('r2', 'DeleteAlias', { AliasName: 'alias/x' }),
      ),
    ]);
    expect(failed!.head!.record).toMatchObject({
      errorCode: 'NotFoundException',
      errorMessage: 'gone',
      responseElements: null,
    });
    expect(failed!.head!.errorCode).toBe('NotFoundException');
    const [created] = auditEntriesOf([
      event(
        'KeyCreated',
        {
          keyId: K,
          keySpec: 'SYMMETRIC_DEFAULT',
          keyUsage: 'ENCRYPT_DECRYPT',
          keyManager: 'CUSTOMER',
          origin: 'AWS_KMS',
          description: '',
          tags: [],
        },
        call('r3', 'CreateKey', {}),
      ),
    ]);
    expect(created!.head!.record.requestParameters).toEqual({
      description: '',
      origin: 'AWS_KMS',
      bypassPolicyLockoutSafetyCheck: false,
      customerMasterKeySpec: 'SYMMETRIC_DEFAULT',
      keySpec: 'SYMMETRIC_DEFAULT',
      keyUsage: 'ENCRYPT_DECRYPT',
      tags: [],
      multiRegion: false,
    });
    expect(created!.head!.record.responseElements).toMatchObject({
      keyMetadata: {
        aWSAccountId: scope.accountId,
        keyState: 'Enabled',
        encryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
        creationDate: 'Mar 1, 2026, 2:00:00 PM',
      },
    });
  });
});

describe('CloudTrail value formats', () => {
  it('writes members in lowerCamelCase, times to the second, response dates as KMS records do', () => {
    expect(lowerCamel({ AliasName: 'a', Tags: [{ TagKey: 'k' }], AWSAccountId: '1' })).toEqual({
      aliasName: 'a',
      tags: [{ tagKey: 'k' }],
      aWSAccountId: '1',
    });
    expect(eventTimeOf(new Date('2022-08-14T23:08:31.999Z'))).toBe('2022-08-14T23:08:31Z');
    expect(responseDateOf(new Date('2022-08-10T22:38:27Z'))).toBe('Aug 10, 2022, 10:38:27 PM');
    expect(responseDateOf(new Date('2022-08-10T00:05:09Z'))).toBe('Aug 10, 2022, 12:05:09 AM');
    expect(responseDateOf(new Date('2022-08-10T12:00:00Z'))).toBe('Aug 10, 2022, 12:00:00 PM');
  });
});
