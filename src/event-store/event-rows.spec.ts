import { parseEvents, sameJson, toStoredEvent } from './event-rows';

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

  it('reads the catch-up JSON document: bigints from text, times to the millisecond', () => {
    const [event] = parseEvents(
      JSON.stringify([
        [
          '9007199254740993',
          '18446744073709551615',
          'e',
          'T',
          1,
          ['a:b'],
          { x: 1 },
          { m: 2 },
          1732822543.123456,
          1732822543.9996,
        ],
      ]),
    );
    expect(event).toEqual({
      position: 9007199254740993n,
      transactionId: 18446744073709551615n,
      eventId: 'e',
      type: 'T',
      schemaVersion: 1,
      tags: ['a:b'],
      data: { x: 1 },
      metadata: { m: 2 },
      occurredAt: new Date(1732822543123),
      recordedAt: new Date(1732822544000),
    });
    expect(parseEvents('[]')).toEqual([]);
  });

  it('compares JSON ignoring key order', () => {
    expect(sameJson({ a: 1, b: [1, { c: 2, d: null }] }, { b: [1, { d: null, c: 2 }], a: 1 })).toBe(true);
    expect(sameJson({ a: 1 }, { a: 2 })).toBe(false);
    expect(sameJson({ a: 1 }, { a: 1, b: 1 })).toBe(false);
    expect(sameJson([1, 2], { 0: 1, 1: 2 })).toBe(false);
    expect(sameJson(null, {})).toBe(false);
  });
});
