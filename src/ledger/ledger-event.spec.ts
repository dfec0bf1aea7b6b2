import fc from 'fast-check';
import { canonicalJson } from './canonical-json';
import { type LedgerEventRow, canonicalEvent, parseEventLine } from './ledger-event';

const row: LedgerEventRow = {
  position: '42',
  transactionId: '9000000000000000001',
  eventId: '0b6f1f8e-2f0e-4d39-9d57-2a3f4b5c6d7e',
  schemaVersion: 1,
  occurredAt: 1764291344638123,
  recordedAt: 1764291344639000,
  type: 'AliasCreated',
  tags: ['alias:1:us-east-1:alias/x', 'key:1:us-east-1:k'],
  // as jsonb prints it: members by length, then bytes; a space after ':' and ','
  dataJson: '{"keyId": "k", "aliasName": "alias/x", "nested": {"b": 1.50, "a": [1, 2e3]}}',
  metadataJson: '{"requestId": "r-1", "userIdentity": {"type": "IAMUser"}}',
};

describe('canonicalEvent', () => {
  it('is the RFC 8785 form of the whole stored row under its column names', () => {
    expect(canonicalEvent(row)).toBe(
      canonicalJson({
        data: { keyId: 'k', aliasName: 'alias/x', nested: { b: 1.5, a: [1, 2000] } },
        event_id: row.eventId,
        metadata: { requestId: 'r-1', userIdentity: { type: 'IAMUser' } },
        occurred_at: '2025-11-28T00:55:44.638123Z',
        position: '42',
        recorded_at: '2025-11-28T00:55:44.639000Z',
        schema_version: 1,
        tags: ['alias:1:us-east-1:alias/x', 'key:1:us-east-1:k'],
        transaction_id: '9000000000000000001',
        type: 'AliasCreated',
      }),
    );
  });

  it('agrees with canonicalJson of the whole object for any data, metadata, tags and type', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string(), fc.jsonValue()),
        fc.dictionary(fc.string(), fc.jsonValue()),
        fc.array(fc.option(fc.string(), { nil: null })),
        fc.string(),
        (data, metadata, tags, type) => {
          const value = {
            ...row,
            dataJson: JSON.stringify(data, null, 1),
            metadataJson: JSON.stringify(metadata),
            tags,
            type,
          };
          const whole = { ...JSON.parse(canonicalEvent(row)), data, metadata, tags, type };
          expect(canonicalEvent(value)).toBe(canonicalJson(JSON.parse(JSON.stringify(whole))));
        },
      ),
      { numRuns: 200 },
    );
  });

  it.each(Object.keys(row) as (keyof LedgerEventRow)[])('changes when %s changes', (field) => {
    const edits: { [K in keyof LedgerEventRow]: LedgerEventRow[K] } = {
      position: '43',
      transactionId: '9000000000000000002',
      eventId: '0b6f1f8e-2f0e-4d39-9d57-2a3f4b5c6d7f',
      schemaVersion: 2,
      occurredAt: 1764291344638124,
      recordedAt: 1764291344639001,
      type: 'AliasDeleted',
      tags: ['alias:1:us-east-1:alias/x'],
      dataJson: '{"keyId": "k2", "aliasName": "alias/x", "nested": {"b": 1.50, "a": [1, 2e3]}}',
      metadataJson: '{"requestId": "r-2", "userIdentity": {"type": "IAMUser"}}',
    };
    expect(canonicalEvent({ ...row, [field]: edits[field] })).not.toBe(canonicalEvent(row));
  });

  it('can place the event at another position (to recognise an event that was moved)', () => {
    expect(canonicalEvent(row, '7')).toBe(canonicalEvent({ ...row, position: '7' }));
  });

  it('keeps a time that is not a number as PostgreSQL printed it, and refuses what is not a row', () => {
    expect(canonicalEvent({ ...row, occurredAt: 'infinity' })).toContain('"occurred_at":"infinity"');
    expect(() => canonicalEvent({ ...row, position: '4 2' })).toThrow(SyntaxError);
    expect(() => canonicalEvent({ ...row, dataJson: '{' })).toThrow(SyntaxError);
    expect(() => parseEventLine('?')).toThrow(SyntaxError);
  });

  it('reads the tab-separated line the SQL writes', () => {
    const line = [
      row.position,
      row.transactionId,
      row.eventId,
      '1',
      '1764291344638123',
      '1764291344639000',
      '"AliasCreated"',
      JSON.stringify(row.tags),
      row.dataJson,
      row.metadataJson,
    ].join('\t');
    expect(parseEventLine(line)).toEqual(row);
    expect(parseEventLine(line.replace('1764291344638123', 'infinity')).occurredAt).toBe('infinity');
  });
});
