import { GraphQLError, Kind } from 'graphql';
import { DateTime } from './date-time.scalar';

describe('DateTime', () => {
  it('reads RFC 3339 date-times with an offset', () => {
    expect(DateTime.parseValue('2026-03-01T12:00:00Z')).toEqual(new Date('2026-03-01T12:00:00Z'));
    expect(DateTime.parseValue('2026-03-01T13:00:00.123+01:00')).toEqual(new Date('2026-03-01T12:00:00.123Z'));
    expect(DateTime.parseLiteral({ kind: Kind.STRING, value: '2026-03-01T12:00:00Z' })).toEqual(
      new Date('2026-03-01T12:00:00Z'),
    );
  });

  it.each(['yesterday', '2026-03-01', '2026-03-01T12:00:00', '2026-02-30T25:00:00Z', '', 1740830400, null])(
    'refuses %p',
    (value) => {
      expect(() => DateTime.parseValue(value)).toThrow(GraphQLError);
    },
  );

  it('refuses a literal that is not a string', () => {
    expect(() => DateTime.parseLiteral({ kind: Kind.INT, value: '1' })).toThrow(/must be a string/);
  });

  it('answers in UTC ISO form', () => {
    expect(DateTime.serialize(new Date('2026-03-01T13:00:00+01:00'))).toBe('2026-03-01T12:00:00.000Z');
    expect(() => DateTime.serialize('2026-03-01')).toThrow(GraphQLError);
  });
});
