import { isConnectionLost, isDatabaseUnavailable } from './database-errors';

const pgError = (code: string, message = 'error') => Object.assign(new Error(message), { code });

describe('isDatabaseUnavailable', () => {
  it('is true of a database that is away, busy or too slow', () => {
    for (const code of [
      '08006',
      '08001',
      '57P01',
      '57P02',
      '57P03',
      '57014',
      '53300',
      '40001',
      '40P01',
      '25P03',
      '55P03',
      '58030',
    ])
      expect([code, isDatabaseUnavailable(pgError(code))]).toEqual([code, true]);
    for (const code of ['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH'])
      expect([code, isDatabaseUnavailable(pgError(code))]).toEqual([code, true]);
    for (const message of [
      'Connection terminated unexpectedly',
      'timeout exceeded when trying to connect',
      'Client has encountered a connection error and is not queryable',
      'the database did not answer within 4000 ms',
    ])
      expect([message, isDatabaseUnavailable(new Error(message))]).toEqual([message, true]);
  });

  it('is false of an answer about the request, and of what is not an error', () => {
    for (const code of ['23505', '22P02', '42501', '42P01', 'XX000', 'P0001'])
      expect([code, isDatabaseUnavailable(pgError(code))]).toEqual([code, false]);
    expect(isDatabaseUnavailable(new Error('something odd'))).toBe(false);
    expect(isDatabaseUnavailable(undefined)).toBe(false);
    expect(isDatabaseUnavailable('Connection terminated')).toBe(false);
  });

  it('tells a lost connection (outcome unknown) from the server rolling back on its own', () => {
    for (const code of ['08006', '57P01', '25P03', 'ECONNRESET'])
      expect([code, isConnectionLost(pgError(code))]).toEqual([code, true]);
    expect(isConnectionLost(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isConnectionLost(new Error('the database did not answer within 4000 ms'))).toBe(true);
    for (const code of ['57014', '55P03', '40P01', '40001', '23505'])
      expect([code, isConnectionLost(pgError(code))]).toEqual([code, false]);
  });
});
