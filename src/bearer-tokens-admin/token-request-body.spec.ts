import { tokenRequestOfBody } from './token-request-body';

describe('the body of POST /admin/tokens', () => {
  it('is taken parsed, as bytes, or absent', () => {
    expect(tokenRequestOfBody({ description: 'x', expiresInDays: 2 })).toEqual({
      request: { description: 'x', expiresInDays: 2 },
    });
    expect(tokenRequestOfBody(Buffer.from('{"description":"x"}'))).toEqual({ request: { description: 'x' } });
    expect(tokenRequestOfBody(Buffer.from('  '))).toEqual({ request: { description: '' } });
    expect(tokenRequestOfBody(undefined)).toEqual({ request: { description: '' } });
  });

  it('says so when it is not JSON, or not a request', () => {
    expect(tokenRequestOfBody(Buffer.from('description=x'))).toEqual({ problem: expect.stringMatching(/not JSON/) });
    expect(tokenRequestOfBody(Buffer.from('[1]'))).toEqual({ problem: expect.stringMatching(/JSON object/) });
    expect(tokenRequestOfBody({ expiresInDays: 0 })).toEqual({ problem: expect.stringMatching(/1 to 3650/) });
  });
});
