import { UsageError } from './client-errors';

/** The options every command takes; unset ones come from the environment (client-settings.ts). */
export interface ConnectionOptions {
  readonly profile?: string;
  readonly region?: string;
  readonly endpointUrl?: string;
  readonly token?: string;
}

/** Text given inline, in a file (`@path`), or on standard input (`-`). */
export type TextSource =
  | { readonly from: 'inline'; readonly text: string }
  | { readonly from: 'file'; readonly path: string }
  | { readonly from: 'stdin' };

export type ClientCommand =
  | { readonly kind: 'help' }
  | { readonly kind: 'get' | 'delete'; readonly path: string; readonly options: ConnectionOptions }
  | {
      readonly kind: 'post';
      readonly path: string;
      /** Undefined: no body and no content type (POST /admin/ledger/verify and the rebuilds take none). */
      readonly body: TextSource | undefined;
      readonly options: ConnectionOptions;
    }
  | {
      readonly kind: 'graphql';
      readonly query: TextSource;
      readonly variables: TextSource | undefined;
      readonly options: ConnectionOptions;
    };

const CONNECTION_OPTIONS = {
  '--profile': 'profile',
  '--region': 'region',
  '--endpoint-url': 'endpointUrl',
  '--token': 'token',
} as const;
const VALUE_OPTIONS = new Set<string>([...Object.keys(CONNECTION_OPTIONS), '--body', '--variables']);

/** `@file` names a file and `-` standard input, as curl's --data does; anything else is the text. */
export function textSourceOf(value: string): TextSource {
  if (value === '-') return { from: 'stdin' };
  if (value.startsWith('@') && value.length > 1) return { from: 'file', path: value.slice(1) };
  return { from: 'inline', text: value };
}

/** The request path a user typed: a path of the service, with its query string if any. */
function pathOf(value: string | undefined, command: string): string {
  if (value === undefined) throw new UsageError(`${command} needs a path, e.g. /api/regions/us-east-1/aliases`);
  // A full URL would leave two places to say where the service is: --endpoint-url is the one.
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value))
    throw new UsageError('give the path only, from its /; say where the service is with --endpoint-url');
  if (!value.startsWith('/')) throw new UsageError(`the path must start with /, e.g. /api/regions/us-east-1/aliases`);
  return value;
}

interface Scanned {
  readonly positionals: string[];
  readonly values: Map<string, string>;
  readonly help: boolean;
}

/** Splits the arguments into options (`--name value` or `--name=value`, anywhere) and the rest. */
function scan(args: readonly string[]): Scanned {
  const positionals: string[] = [];
  const values = new Map<string, string>();
  let help = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (arg === '-h' || arg === '--help') {
      help = true;
      continue;
    }
    // A lone `-` is standard input, and a GraphQL query or a path never starts with a dash.
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const equals = arg.indexOf('=');
    const name = equals > 0 ? arg.slice(0, equals) : arg;
    if (!VALUE_OPTIONS.has(name)) throw new UsageError(`unknown option ${name}`);
    const value = equals > 0 ? arg.slice(equals + 1) : args[++i];
    if (value === undefined) throw new UsageError(`${name} needs a value`);
    if (value === '') throw new UsageError(`${name} must not be empty`);
    if (values.has(name)) throw new UsageError(`${name} is given twice`);
    values.set(name, value);
  }
  return { positionals, values, help };
}

function connectionOptions(values: Map<string, string>): ConnectionOptions {
  const options: Record<string, string> = {};
  for (const [flag, key] of Object.entries(CONNECTION_OPTIONS)) {
    const value = values.get(flag);
    if (value !== undefined) options[key] = value;
  }
  // Both would say how to authenticate; refusing is clearer than picking one silently.
  if (options.token !== undefined && options.profile !== undefined)
    throw new UsageError('--token and --profile exclude each other: a request is signed or carries a token');
  if (options.endpointUrl !== undefined && !/^https?:\/\/[^/]/i.test(options.endpointUrl))
    throw new UsageError(`--endpoint-url must be an http:// or https:// URL, not ${options.endpointUrl}`);
  return options;
}

function noExtra(rest: readonly string[], command: string): void {
  if (rest.length > 0) throw new UsageError(`${command} takes one argument; unexpected: ${rest.join(' ')}`);
}

function onlyFor(values: Map<string, string>, flag: string, command: string, kind: string): void {
  if (values.has(flag) && command !== kind) throw new UsageError(`${flag} goes with ${kind}, not ${command}`);
}

/** The command the arguments (process.argv after the script) ask for; UsageError when they make none. */
export function parseClientArgs(args: readonly string[]): ClientCommand {
  const { positionals, values, help } = scan(args);
  if (help) return { kind: 'help' };
  const [command, first, ...rest] = positionals;
  if (command === undefined) throw new UsageError('no command given');
  if (command === 'help') return { kind: 'help' };
  onlyFor(values, '--body', command, 'post');
  onlyFor(values, '--variables', command, 'graphql');
  const options = connectionOptions(values);
  switch (command) {
    case 'get':
    case 'delete':
      noExtra(rest, command);
      return { kind: command, path: pathOf(first, command), options };
    case 'post': {
      const flag = values.get('--body');
      if (flag !== undefined && rest.length > 0) throw new UsageError('give the body once: --body or -');
      if (rest.length > 1 || (rest.length === 1 && rest[0] !== '-'))
        throw new UsageError(`post takes a path, then --body JSON, --body @file or -; unexpected: ${rest.join(' ')}`);
      const body = flag !== undefined ? textSourceOf(flag) : rest[0] === '-' ? textSourceOf('-') : undefined;
      return { kind: 'post', path: pathOf(first, command), body, options };
    }
    case 'graphql': {
      if (first === undefined)
        throw new UsageError('graphql needs a query, e.g. \'{ aliases(region: "us-east-1") { … } }\'');
      noExtra(rest, command);
      const variables = values.get('--variables');
      return {
        kind: 'graphql',
        query: textSourceOf(first),
        variables: variables === undefined ? undefined : textSourceOf(variables),
        options,
      };
    }
    default:
      throw new UsageError(`unknown command ${command} (get, post, delete or graphql)`);
  }
}
