import { sameJson, toStoredEvent } from './event-rows';

describe('event rows', () => {
  it('reads int8 and xid8 text as bigint', () => {
    const event = toStoredEvent({
      position: '9007199254740993',
      transaction_id: '18446744073709551615',
      event_id: 'e',
      type: 'T',
      schema_version: 2,
      tags: [],
      data: null,
      metadata: {},
      occurred_at: new Date(0),
      recorded_at: new Date(1),
    });
    expect(event.position).toBe(9007199254740993n);
    expect(event.transactionId).toBe(18446744073709551615n);
  });

  it('compares JSON ignoring key order', () => {
    expect(sameJson({ a: 1, b: [1, { c: 2, d: null }] }, { b: [1, { d: null, c: 2 }], a: 1 })).toBe(true);
    expect(sameJson({ a: 1 }, { a: 2 })).toBe(false);
    expect(sameJson({ a: 1 }, { a: 1, b: 1 })).toBe(false);
    expect(sameJson([1, 2], { 0: 1, 1: 2 })).toBe(false);
    expect(sameJson(null, {})).toBe(false);
  });
});
