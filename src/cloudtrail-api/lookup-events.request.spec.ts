import { generateKeyPairSync } from 'node:crypto';
import { auditCursorBytes, auditCursorOf, auditTokenUse } from '../audit/audit-page-token';
import { InvalidPageToken, openPageToken, sealPageToken } from '../page-tokens/page-token-codec';
import { pageTokenKeyOf } from '../page-tokens/page-token-key';
import { csvLine } from '../projections/audit/audit-export';
import { parseLookupRequest } from './lookup-events.request';

const codeOf = (body: unknown) => {
  try {
    parseLookupRequest(body);
    return 'ok';
  } catch (error) {
    return (error as Error).name;
  }
};

describe('parseLookupRequest', () => {
  it('maps each lookup attribute to a filter', () => {
    const one = (AttributeKey: string, AttributeValue: string) =>
      parseLookupRequest({ LookupAttributes: [{ AttributeKey, AttributeValue }] });
    expect(one('ResourceName', 'alias/x').filters).toEqual({ resources: ['alias/x'] });
    expect(one('ReadOnly', 'false').filters).toEqual({ readOnly: false });
    expect(one('EventSource', 'kms.amazonaws.com')).toMatchObject({
      none: false,
      filters: { eventSource: 'kms.amazonaws.com' },
    });
    expect(one('EventSource', 'signin.amazonaws.com').filters).toEqual({ eventSource: 'signin.amazonaws.com' });
    expect(one('EventSource', 'iam.amazonaws.com').none).toBe(true);
    expect(parseLookupRequest({}).maxResults).toBe(50);
  });

  it('includes the whole second of EndTime, and refuses what AWS refuses', () => {
    expect(parseLookupRequest({ StartTime: 10, EndTime: 20 }).filters).toEqual({
      startTime: new Date(10_000),
      endTime: new Date(20_999),
    });
    expect(codeOf({ LookupAttributes: [{}, {}] })).toBe('InvalidLookupAttributesException');
    expect(codeOf({ LookupAttributes: [{ AttributeKey: 'Nope', AttributeValue: 'x' }] })).toBe(
      'InvalidLookupAttributesException',
    );
    expect(codeOf({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: '' }] })).toBe(
      'InvalidLookupAttributesException',
    );
    expect(codeOf({ StartTime: 2, EndTime: 1 })).toBe('InvalidTimeRangeException');
    expect(codeOf({ MaxResults: 51 })).toBe('InvalidMaxResultsException');
    expect(codeOf({ MaxResults: 1.5 })).toBe('InvalidMaxResultsException');
    expect(codeOf({ EventCategory: 'management' })).toBe('InvalidEventCategoryException');
    expect(codeOf({ StartTime: 'yesterday' })).toBe('SerializationException');
    expect(codeOf([])).toBe('SerializationException');
    expect(codeOf({ LookupAttributes: 'x' })).toBe('SerializationException');
  });
});

describe('audit page tokens', () => {
  const cursor = { eventTime: new Date('2026-01-01T00:00:00.123Z'), seq: 42n };
  const key = pageTokenKeyOf(generateKeyPairSync('ed25519').privateKey);
  const scope = { accountId: '111122223333', region: 'us-west-2' };
  const use = (search: unknown) => auditTokenUse('cloudtrail:LookupEvents', scope, search);
  const now = new Date('2026-01-02T00:00:00Z');
  const open = (token: string, search: unknown) =>
    auditCursorOf(openPageToken(key, use(search), token, now, 86_400_000));
  it('come back as the cursor they were made from, for the same search only', () => {
    const token = sealPageToken(key, use({ eventName: 'CreateAlias' }), auditCursorBytes(cursor), now);
    expect(open(token, { eventName: 'CreateAlias' })).toEqual(cursor);
    expect(() => open(token, { eventName: 'DeleteAlias' })).toThrow(InvalidPageToken);
    expect(() => open('garbage', {})).toThrow(InvalidPageToken);
    expect(() => open(`${token}x`, { eventName: 'CreateAlias' })).toThrow(InvalidPageToken);
    // An authenticated payload of another listing's shape is still no audit cursor.
    const other = sealPageToken(key, use({}), Buffer.from('alias/x'), now);
    expect(() => open(other, {})).toThrow(InvalidPageToken);
  });
});

describe('the CSV export', () => {
  it('quotes fields and defuses values a spreadsheet would run as formulas', () => {
    const line = csvLine({
      seq: 1n,
      eventId: 'e',
      eventTime: new Date(0),
      eventName: 'CreateAlias',
      readOnly: false,
      username: '=HYPERLINK("x")',
      accessKeyId: null,
      sourceIp: '1.2.3.4',
      principalArn: null,
      namedAliases: [],
      errorCode: null,
      resources: [],
      record: { errorMessage: 'a, "b"' },
    });
    expect(line).toContain(`"'=HYPERLINK(""x"")"`);
    expect(line).toContain('"a, ""b"""');
    expect(line.endsWith('\r\n')).toBe(true);
  });
});
