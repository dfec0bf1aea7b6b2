import { UsageError } from './rebuild.command';
import { tokenArgsOf } from './token-args';

describe('token command line', () => {
  it('reads create, list and revoke', () => {
    expect(tokenArgsOf(['create', '--access-key-id', 'AKIA1'])).toEqual({ command: 'create', accessKeyId: 'AKIA1' });
    expect(
      tokenArgsOf(['create', '--description', 'grafana board', '--access-key-id', 'AKIA1', '--expires-in-days', '30']),
    ).toEqual({ command: 'create', accessKeyId: 'AKIA1', description: 'grafana board', expiresInDays: 30 });
    expect(tokenArgsOf(['list'])).toEqual({ command: 'list' });
    expect(tokenArgsOf(['list', '--access-key-id', 'AKIA1'])).toEqual({ command: 'list', accessKeyId: 'AKIA1' });
    expect(tokenArgsOf(['revoke', '3f2504e0-4f89-11d3-9a0c-0305e82c3301'])).toEqual({
      command: 'revoke',
      tokenId: '3f2504e0-4f89-11d3-9a0c-0305e82c3301',
    });
  });

  it('refuses what it cannot read, with the usage', () => {
    for (const args of [
      [],
      ['make'],
      ['create'],
      ['create', '--access-key-id'],
      ['create', '--access-key-id', 'A', '--access-key-id', 'B'],
      ['create', '--access-key-id', 'A', '--expires-in-days', ''],
      ['create', '--access-key-id', 'A', '--expires-in-days', '1e3'],
      ['create', '--access-key-id', 'A', '--expires-in-days', '-1'],
      ['create', '--access-key-id', 'A', '--token', 'x'],
      ['list', '--description', 'x'],
      ['revoke'],
      ['revoke', 'a', 'b'],
      ['revoke', '--id'],
    ])
      expect(() => tokenArgsOf(args)).toThrow(UsageError);
  });
});
