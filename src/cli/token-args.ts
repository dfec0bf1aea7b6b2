import { UsageError } from './rebuild.command';

export const TOKEN_USAGE =
  'usage: npm run cli -- token create --access-key-id <id> [--description <text>] [--expires-in-days N]\n' +
  '       npm run cli -- token list [--access-key-id <id>]\n' +
  '       npm run cli -- token revoke <token id>';

/** What a `token` command line asks for. */
export type TokenArgs =
  | {
      readonly command: 'create';
      readonly accessKeyId: string;
      readonly description?: string;
      readonly expiresInDays?: number;
    }
  | { readonly command: 'list'; readonly accessKeyId?: string }
  | { readonly command: 'revoke'; readonly tokenId: string };

/** The `token` command line (after `token`), or a UsageError saying what is wrong with it. */
export function tokenArgsOf(args: readonly string[]): TokenArgs {
  const [command, ...rest] = args;
  if (command === 'revoke') {
    if (rest.length !== 1 || rest[0]!.startsWith('--')) throw new UsageError(TOKEN_USAGE);
    return { command, tokenId: rest[0]! };
  }
  if (command !== 'create' && command !== 'list') throw new UsageError(TOKEN_USAGE);
  const allowed =
    command === 'create' ? ['--access-key-id', '--description', '--expires-in-days'] : ['--access-key-id'];
  const options = optionsOf(rest, allowed);
  const accessKeyId = options.get('--access-key-id');
  if (command === 'list') return { command, ...(accessKeyId === undefined ? {} : { accessKeyId }) };
  if (accessKeyId === undefined) throw new UsageError(`token create needs --access-key-id\n${TOKEN_USAGE}`);
  const days = options.get('--expires-in-days');
  // Whole numbers only, as written: Number('') is 0 and Number('1e3') is 1000.
  if (days !== undefined && !/^\d{1,9}$/.test(days))
    throw new UsageError(`--expires-in-days: a whole number of days\n${TOKEN_USAGE}`);
  const description = options.get('--description');
  return {
    command,
    accessKeyId,
    ...(description === undefined ? {} : { description }),
    ...(days === undefined ? {} : { expiresInDays: Number(days) }),
  };
}

/** `--name value` pairs, each name at most once and one of `allowed`. */
function optionsOf(args: readonly string[], allowed: readonly string[]): Map<string, string> {
  const options = new Map<string, string>();
  for (let i = 0; i < args.length; i += 2) {
    const name = args[i]!;
    const value = args[i + 1];
    if (!allowed.includes(name)) throw new UsageError(`unknown option ${name}\n${TOKEN_USAGE}`);
    if (value === undefined) throw new UsageError(`${name} needs a value\n${TOKEN_USAGE}`);
    if (options.has(name)) throw new UsageError(`${name} is given twice\n${TOKEN_USAGE}`);
    options.set(name, value);
  }
  return options;
}
