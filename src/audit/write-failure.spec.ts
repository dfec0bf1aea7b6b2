import { EventIdConflictError } from '../event-store/event-id-conflict';
import { writeFailureOf } from './write-failure';

const pgError = (code: string, message = 'error') => Object.assign(new Error(message), { code });

describe('writeFailureOf', () => {
  it('holds what a database that is away or busy answers', () => {
    for (const code of ['08006', '08001', '57P01', '57P03', '57014', '53300', '40001', '40P01', '25P03', '55P03'])
      expect([code, writeFailureOf(pgError(code))]).toEqual([code, 'unavailable']);
    for (const code of ['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE'])
      expect([code, writeFailureOf(pgError(code))]).toEqual([code, 'unavailable']);
    expect(writeFailureOf(new Error('Connection terminated unexpectedly'))).toBe('unavailable');
    expect(writeFailureOf(new Error('timeout exceeded when trying to connect'))).toBe('unavailable');
    expect(writeFailureOf(new Error('Client has encountered a connection error and is not queryable'))).toBe(
      'unavailable',
    );
  });

  it('sets aside what the database refuses as data', () => {
    expect(writeFailureOf(pgError('22P02', 'invalid input syntax for type json'))).toBe('refused');
    expect(writeFailureOf(pgError('22021'))).toBe('refused');
    expect(writeFailureOf(pgError('23505'))).toBe('refused');
    expect(writeFailureOf(pgError('54001', 'stack depth limit exceeded'))).toBe('refused');
    expect(writeFailureOf(new EventIdConflictError('stored already with a different payload'))).toBe('refused');
    expect(writeFailureOf(new TypeError('Do not know how to serialize a BigInt'))).toBe('refused');
  });

  it('calls anything else unknown', () => {
    expect(writeFailureOf(pgError('42501', 'permission denied'))).toBe('unknown');
    expect(writeFailureOf(pgError('XX000'))).toBe('unknown');
    expect(writeFailureOf(new Error('something odd'))).toBe('unknown');
    expect(writeFailureOf(undefined)).toBe('unknown');
  });
});
