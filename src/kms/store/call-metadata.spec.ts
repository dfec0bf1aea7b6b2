import type { StoredEvent } from '../../event-store/event.types';
import { auditPartOf } from '../../audit/cloudtrail-record';
import type { KmsRequest } from '../kms-request';
import { callMetadata } from './call-metadata';

const request = (params: Record<string, unknown>, userAgent = 'aws-cli/2'): KmsRequest => ({
  requestId: 'req-1',
  operation: 'CreateAlias',
  principal: {
    accessKeyId: 'AKIAALICE00000000001',
    secretAccessKey: 'secret',
    accountId: '111122223333',
    arn: 'arn:aws:iam::111122223333:user/Alice',
    userName: 'Alice',
  },
  scope: { accountId: '111122223333', region: 'eu-west-1' },
  sourceIp: '192.0.2.10',
  userAgent,
  params,
});
const at = new Date('2026-03-01T14:00:00.250Z');

/** The CloudTrail record an AliasCreated event with this metadata shows. */
const recordOf = (metadata: Record<string, unknown>) =>
  auditPartOf({
    position: 1n,
    transactionId: 1n,
    eventId: '00000000-0000-4000-8000-000000000001',
    type: 'AliasCreated',
    schemaVersion: 1,
    tags: [],
    data: { accountId: '111122223333', region: 'eu-west-1', aliasName: 'alias/x', keyId: 'k' },
    metadata,
    occurredAt: at,
    recordedAt: at,
  } as StoredEvent)!.head!.record;

describe('callMetadata', () => {
  it('stores what was sent as sent, with no marks, when it is storable', () => {
    const metadata = callMetadata(request({ AliasName: 'alias/x\u200d\u{10FFFF}' }), at);
    expect(metadata.requestParameters).toEqual({ AliasName: 'alias/x\u200d\u{10FFFF}' });
    expect(metadata).not.toHaveProperty('unstorableCharactersReplaced');
    expect(metadata).not.toHaveProperty('requestParametersOmitted');
    expect(recordOf(metadata)).not.toHaveProperty('additionalEventData');
  });

  it('replaces lone surrogates and U+0000 in parameters, keys and user agent, and marks how many', () => {
    const metadata = callMetadata(request({ AliasName: 'alias/lone\ud800', ['k\udc00']: '\u0000' }, 'agent\u0000'), at);
    expect(metadata.requestParameters).toEqual({ AliasName: 'alias/lone\ufffd', ['k\ufffd']: '\ufffd' });
    expect(metadata.userAgent).toBe('agent\ufffd');
    expect(metadata.unstorableCharactersReplaced).toBe(4);
    const record = recordOf(metadata);
    expect(record.requestParameters).toEqual({ aliasName: 'alias/lone\ufffd', ['k\ufffd']: '\ufffd' });
    expect(record.additionalEventData).toEqual({ unstorableCharactersReplaced: 4 });
    // The record stays in CloudTrail's field order: additionalEventData after responseElements.
    const keys = Object.keys(record);
    expect(keys.indexOf('additionalEventData')).toBe(keys.indexOf('responseElements') + 1);
  });

  it('omits parameters nested too deep, a million levels included, and marks why', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 1_000_000; i++) deep = { a: deep };
    const metadata = callMetadata(request({ Deep: deep }), at);
    expect(metadata).toMatchObject({
      requestParameters: null,
      requestParametersOmitted: 'nested deeper than 64 levels',
    });
    const record = recordOf(metadata);
    expect(record.requestParameters).toBeNull();
    expect(record.additionalEventData).toEqual({ requestParametersOmitted: 'nested deeper than 64 levels' });
  });

  it('omits parameters over 8 KiB, and marks why', () => {
    const metadata = callMetadata(request({ AliasName: 'x'.repeat(1024 * 1024) }), at);
    expect(metadata).toMatchObject({ requestParameters: null, requestParametersOmitted: 'over 8192 bytes' });
    expect(recordOf(metadata).additionalEventData).toEqual({ requestParametersOmitted: 'over 8192 bytes' });
  });
});
