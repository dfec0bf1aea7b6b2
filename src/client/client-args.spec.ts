import { parseClientArgs, textSourceOf } from './client-args';
import { UsageError } from './client-errors';

const PATH = '/api/regions/us-east-1/alias?name=alias/x&at=2026-03-01T14:00:00Z';

describe('the aliastrail command line', () => {
  it('reads a GET with the connection options before or after the command, spaced or with =', () => {
    const expected = {
      kind: 'get',
      path: PATH,
      options: { profile: 'p', region: 'eu-west-1', endpointUrl: 'http://127.0.0.1:3000' },
    };
    expect(
      parseClientArgs([
        '--profile',
        'p',
        '--region',
        'eu-west-1',
        '--endpoint-url',
        'http://127.0.0.1:3000',
        'get',
        PATH,
      ]),
    ).toEqual(expected);
    expect(
      parseClientArgs(['get', PATH, '--profile=p', '--endpoint-url=http://127.0.0.1:3000', '--region=eu-west-1']),
    ).toEqual(expected);
    expect(parseClientArgs(['get', '/health'])).toEqual({ kind: 'get', path: '/health', options: {} });
  });

  it('reads a POST without a body, with --body JSON, @file or -, and - on its own', () => {
    expect(parseClientArgs(['post', '/admin/ledger/verify'])).toMatchObject({ kind: 'post', body: undefined });
    expect(parseClientArgs(['post', '/admin/clock', '--body', '{"advanceSeconds":60}'])).toMatchObject({
      body: { from: 'inline', text: '{"advanceSeconds":60}' },
    });
    expect(parseClientArgs(['post', '/admin/clock', '--body', '@clock.json']).kind).toBe('post');
    expect(parseClientArgs(['post', '/admin/clock', '--body=@clock.json'])).toMatchObject({
      body: { from: 'file', path: 'clock.json' },
    });
    expect(parseClientArgs(['post', '/admin/clock', '-'])).toMatchObject({ body: { from: 'stdin' } });
    expect(parseClientArgs(['post', '/admin/clock', '--body', '-'])).toMatchObject({ body: { from: 'stdin' } });
  });

  it('reads a GraphQL query with its variables, inline or from files', () => {
    expect(
      parseClientArgs(['graphql', '{ aliases(region: "us-east-1") { position } }', '--variables', '{"a":1}']),
    ).toEqual({
      kind: 'graphql',
      query: { from: 'inline', text: '{ aliases(region: "us-east-1") { position } }' },
      variables: { from: 'inline', text: '{"a":1}' },
      options: {},
    });
    expect(parseClientArgs(['--token', 't0k', 'graphql', '@q.graphql', '--variables=@v.json'])).toEqual({
      kind: 'graphql',
      query: { from: 'file', path: 'q.graphql' },
      variables: { from: 'file', path: 'v.json' },
      options: { token: 't0k' },
    });
  });

  it('asks for help with -h, --help or help, wherever they are', () => {
    expect(parseClientArgs(['--help'])).toEqual({ kind: 'help' });
    expect(parseClientArgs(['get', '-h'])).toEqual({ kind: 'help' });
    expect(parseClientArgs(['help'])).toEqual({ kind: 'help' });
  });

  it('takes what follows -- as arguments, even when it starts with a dash', () => {
    expect(parseClientArgs(['graphql', '--', '--not-an-option'])).toMatchObject({
      query: { from: 'inline', text: '--not-an-option' },
    });
  });

  it.each([
    [[], /no command/],
    [['frob'], /unknown command frob/],
    [['get'], /needs a path/],
    [['get', 'api/regions'], /must start with \//],
    [['get', 'http://127.0.0.1:3000/api/regions/us-east-1/aliases'], /--endpoint-url/],
    [['get', '/a', '/b'], /unexpected: \/b/],
    [['get', '/a', '--bogus', 'x'], /unknown option --bogus/],
    [['get', '/a', '--profile'], /--profile needs a value/],
    [['get', '/a', '--profile='], /--profile must not be empty/],
    [['get', '/a', '--region', 'a', '--region', 'b'], /--region is given twice/],
    [['get', '/a', '--body', '{}'], /--body goes with post/],
    [['post', '/a', '--variables', '{}'], /--variables goes with graphql/],
    [['post', '/a', '--body', '{}', '-'], /give the body once/],
    [['post', '/a', '{}'], /unexpected: \{\}/],
    [['graphql'], /needs a query/],
    [['get', '/a', '--token', 't', '--profile', 'p'], /exclude each other/],
    [['get', '/a', '--endpoint-url', '127.0.0.1:3000'], /http:\/\/ or https:\/\//],
  ])('refuses %j as a usage error', (args, message) => {
    expect(() => parseClientArgs(args)).toThrow(UsageError);
    expect(() => parseClientArgs(args)).toThrow(message);
  });

  it('reads @file as a file and - as standard input, as curl does, and @ alone as text', () => {
    expect(textSourceOf('@body.json')).toEqual({ from: 'file', path: 'body.json' });
    expect(textSourceOf('-')).toEqual({ from: 'stdin' });
    expect(textSourceOf('@')).toEqual({ from: 'inline', text: '@' });
    expect(textSourceOf('{}')).toEqual({ from: 'inline', text: '{}' });
  });
});
