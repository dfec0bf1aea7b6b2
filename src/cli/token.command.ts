import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Principal } from '../auth/principal';
import { GENERATED_CREDENTIAL_FILE, loadPrincipals } from '../auth/principals-loader';
import { BearerTokenIssuer } from '../bearer-tokens/bearer-token-issuer';
import { hasTokenTable } from '../bearer-tokens/bearer-token-sql';
import { type TokenRecord, tokenJson, tokenRequestOf } from '../bearer-tokens/issued-token';
import { cliActor } from '../bearer-tokens/token-actors';
import { TOKEN_CACHE_LIMITS } from '../bearer-tokens/token-cache';
import { type Clock, SystemClock } from '../clock/clock';
import { IdGenerator } from '../clock/id-generator';
import type { Config } from '../config/config';
import { createKysely } from '../database/create-database';
import { EventStore } from '../event-store/event-store';
import { cliPool, openCliDatabase } from './cli-database';
import { type CliLogger, UsageError } from './rebuild.command';
import { tokenArgsOf } from './token-args';

/**
 * `token create|list|revoke`: bearer tokens for the query and admin APIs, made and revoked without
 * a restart (issue 17). A token is made for a principal the service is configured with (the
 * principals file, the bootstrap environment variables, or the credential generated on first start
 * in the data directory), so this command needs the service's configuration. `create` prints the
 * token once, with its id, as JSON on stdout; everything else the command says goes to stderr.
 */
export async function tokenCommand(args: readonly string[], config: Config, logger: CliLogger): Promise<void> {
  const parsed = tokenArgsOf(args);
  const say = (message: string) => process.stderr.write(`${message}\n`);
  const answer = (value: unknown) => process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  if (parsed.command === 'create') {
    // Both checked before the database is opened: a typo costs no embedded server start.
    const owner = principalOf(config, parsed.accessKeyId);
    const request = tokenRequestOf({ description: parsed.description, expiresInDays: parsed.expiresInDays });
    if ('problem' in request)
      throw new UsageError(request.problem.replace(/`(\w+)`/g, (_, name: string) => optionName(name)));
    await withIssuer(config, logger, async (issuer, clock) => {
      const { token, record } = await issuer.create(owner, request.request, cliActor(osUser()));
      answer({ token, ...tokenJson(record, clock.now()) });
      say(`This is the only time the token is shown: keep it now. It acts as ${owner.arn}.`);
      say(`Revoke it with: npm run cli -- token revoke ${record.tokenId}`);
    });
  } else if (parsed.command === 'list') {
    await withIssuer(config, logger, async (issuer, clock) =>
      process.stdout.write(tokenTable(await issuer.list(parsed.accessKeyId), clock.now())),
    );
  } else {
    await withIssuer(config, logger, async (issuer, clock) => {
      const revoked = await issuer.revoke(parsed.tokenId, cliActor(osUser()));
      if (!revoked) throw new UsageError(`no token has the id ${parsed.tokenId} (see npm run cli -- token list)`);
      answer(tokenJson(revoked, clock.now()));
      say(`Revoked: every service instance refuses it within ${TOKEN_CACHE_LIMITS.usableTtlMs / 1000} s.`);
    });
  }
}

/** Runs `work` with an issuer on the service's database (DATABASE_URL, or the embedded one), closed after. */
async function withIssuer(
  config: Config,
  logger: CliLogger,
  work: (issuer: BearerTokenIssuer, clock: Clock) => Promise<unknown>,
): Promise<void> {
  // stdout carries the answer alone (a script reads the token from it): the log stays at debug level.
  const server = await openCliDatabase(config, (message) => logger.debug(message));
  const pool = cliPool(server.url, config, 'aliastrail-token', 2);
  const db = createKysely(pool);
  try {
    if (!(await hasTokenTable(db)))
      throw new UsageError(
        'this database has no bearer_tokens table yet: start the service once, or run npm run db:migrate',
      );
    const clock = new SystemClock();
    await work(new BearerTokenIssuer(new EventStore(pool, db), db, clock, new IdGenerator()), clock);
  } finally {
    await db.destroy();
    await server.stop();
  }
}

/**
 * The configured principal of `accessKeyId`, as the service loads them, except that nothing is
 * generated: with no principal configured and no generated credential yet, the service has not
 * started, and a credential made here would be one nobody was shown.
 */
function principalOf(config: Config, accessKeyId: string): Principal {
  const generated = path.join(config.dataDir, GENERATED_CREDENTIAL_FILE);
  const configured = config.principalsFile !== undefined || config.bootstrapPrincipal !== undefined;
  const principals =
    configured || fs.existsSync(generated)
      ? loadPrincipals(
          { principalsFile: config.principalsFile, bootstrap: config.bootstrapPrincipal, dataDir: config.dataDir },
          () => undefined,
        )
      : [];
  const principal = principals.find((p) => p.accessKeyId === accessKeyId);
  if (principal) return principal;
  throw new UsageError(
    `no configured principal has the access key id ${accessKeyId}. Run this with the service's configuration ` +
      `(ALIASTRAIL_PRINCIPALS_FILE, ALIASTRAIL_ACCESS_KEY_ID…, or ALIASTRAIL_DATA_DIR holding ${GENERATED_CREDENTIAL_FILE}).`,
  );
}

const optionName = (field: string) => (field === 'expiresInDays' ? '--expires-in-days' : `--${field}`);

/** Who runs the command, for the token's created_by; `unknown` where the system has no such user. */
function osUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return process.env.USER ?? 'unknown';
  }
}

/** The tokens as a table for people; the tokens themselves are in no table. */
function tokenTable(tokens: readonly TokenRecord[], now: Date): string {
  if (tokens.length === 0) return 'no tokens\n';
  const rows = tokens.map((record) => {
    const token = tokenJson(record, now);
    return [
      token.tokenId,
      token.accessKeyId,
      token.status,
      token.createdAt,
      token.createdBy,
      token.expiresAt ?? '-',
      token.description,
    ];
  });
  const header = ['TOKEN ID', 'ACCESS KEY ID', 'STATUS', 'CREATED', 'CREATED BY', 'EXPIRES', 'DESCRIPTION'];
  const widths = header.map((name, column) => Math.max(name.length, ...rows.map((row) => row[column]!.length)));
  return (
    [header, ...rows]
      .map((row) =>
        row
          .map((cell, column) => cell.padEnd(widths[column]!))
          .join('  ')
          .trimEnd(),
      )
      .join('\n') + '\n'
  );
}
