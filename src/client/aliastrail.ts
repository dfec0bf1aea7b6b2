import * as fs from 'node:fs';
import { type ClientCommand, type TextSource, parseClientArgs } from './client-args';
import { signingCredentials } from './client-credentials';
import { OperationalError, UsageError } from './client-errors';
import { settingsOf } from './client-settings';
import { USAGE } from './client-usage';
import { hasGraphqlErrors, prettyJson } from './json-output';
import { requestTargetOf } from './request-target';
import { type ClientAnswer, type ClientRequest, type RequestAuth, send } from './signed-request';

/**
 * `npx aliastrail …` (bin/aliastrail.js runs this file): one signed call to the query, GraphQL or
 * admin APIs, its answer on stdout. Exit 0 on a 2xx answer, 1 on an error answer or an operational
 * problem (one line, no stack trace), 2 on a usage error.
 */

type Env = Readonly<Record<string, string | undefined>>;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function textOf(source: TextSource, what: string): Promise<string> {
  if (source.from === 'inline') return source.text;
  if (source.from === 'stdin') return readStdin();
  try {
    return fs.readFileSync(source.path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read the ${what} file ${source.path} (${(error as NodeJS.ErrnoException).code})`);
  }
}

/** JSON text checked here: a typo is better told as such than as the service's 400. */
function checkedJson(text: string, what: string): string {
  try {
    JSON.parse(text);
    return text;
  } catch (error) {
    throw new UsageError(`the ${what} is not JSON: ${(error as Error).message}`);
  }
}

async function requestOf(command: Exclude<ClientCommand, { kind: 'help' }>, endpoint: string): Promise<ClientRequest> {
  switch (command.kind) {
    case 'get':
      return { method: 'GET', target: requestTargetOf(endpoint, command.path) };
    case 'delete':
      return { method: 'DELETE', target: requestTargetOf(endpoint, command.path) };
    case 'post': {
      const body = command.body && checkedJson(await textOf(command.body, 'body'), '--body');
      return { method: 'POST', target: requestTargetOf(endpoint, command.path), body };
    }
    case 'graphql': {
      const query = await textOf(command.query, 'query');
      const variables = command.variables
        ? (JSON.parse(checkedJson(await textOf(command.variables, 'variables'), '--variables')) as unknown)
        : undefined;
      if (variables !== undefined && (typeof variables !== 'object' || variables === null || Array.isArray(variables)))
        throw new UsageError('--variables must be a JSON object, e.g. {"at": "2026-03-01T14:00:00Z"}');
      const body = JSON.stringify(variables === undefined ? { query } : { query, variables });
      return { method: 'POST', target: requestTargetOf(endpoint, '/graphql'), body };
    }
  }
}

/** Prints the answer where it belongs; the exit status. */
function report(answer: ClientAnswer, graphql: boolean): number {
  const text = answer.body.toString('utf8');
  // JSON is pretty-printed; anything else (the audit export's NDJSON or CSV) is written as it came.
  const json = /^application\/([\w.-]+\+)?json\b/i.test(answer.contentType) ? prettyJson(text) : undefined;
  const failed = answer.status < 200 || answer.status >= 300 || (graphql && hasGraphqlErrors(text));
  const stream = failed ? process.stderr : process.stdout;
  if (json !== undefined) stream.write(`${json}\n`);
  else if (answer.body.length > 0) stream.write(answer.body);
  else if (failed) stream.write(`aliastrail: the service answered HTTP ${answer.status} without a body\n`);
  return failed ? 1 : 0;
}

/** Runs the command `args` asks for; the exit status. */
export async function runClient(args: readonly string[], env: Env): Promise<number> {
  try {
    const command = parseClientArgs(args);
    if (command.kind === 'help') {
      process.stdout.write(USAGE);
      return 0;
    }
    const settings = await settingsOf(command.options, env);
    const request = await requestOf(command, settings.endpoint);
    const auth: RequestAuth =
      settings.auth.kind === 'bearer'
        ? settings.auth
        : { kind: 'sigv4', credentials: await signingCredentials(settings.auth.profile), region: settings.auth.region };
    return report(await send(request, auth, settings.endpoint), command.kind === 'graphql');
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`aliastrail: ${error.message} (see aliastrail --help)\n`);
      return 2;
    }
    if (error instanceof OperationalError) {
      process.stderr.write(`aliastrail: ${error.message}\n`);
      return 1;
    }
    // Anything else is a bug of this command: its stack helps, on request only.
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`aliastrail: ${message}\n`);
    if (env.ALIASTRAIL_DEBUG === '1' && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    return 1;
  }
}

// A reader that stops early (`| head`) closes the pipe: that ends the command quietly, not with a trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? 0);
});

// The exit status is set rather than forced, so that a long answer is written out in full first.
void runClient(process.argv.slice(2), process.env).then((code) => {
  process.exitCode = code;
});
