import { isIP } from 'node:net';
import * as path from 'node:path';
import { z } from 'zod';

/** Everything the service reads from its environment, parsed once at start-up. */
export interface Config {
  readonly port: number;
  readonly host: string;
  /** Unset means: start the embedded PostgreSQL under `dataDir`. */
  readonly databaseUrl: string | undefined;
  readonly dataDir: string;
  readonly embeddedPostgresPort: number;
  readonly databasePoolSize: number;
  /** Write transactions at once; concurrent units of work beyond this share them (group commit). */
  readonly writeConcurrency: number;
  /** Caps how long our own sessions may sit idle inside a transaction; idle transactions stall every reader. */
  readonly idleTransactionTimeoutMs: number;
  /**
   * The database's statement_timeout for the service's sessions; the client also gives up on a
   * connection that stays silent 2 s past it (a stopped or paused server). Rebuilds lift it.
   */
  readonly statementTimeoutMs: number;
  /** The database's lock_timeout for the service's sessions: a write blocked by a lock fails, retryable. */
  readonly lockTimeoutMs: number;
  /** How long a request waits for a database connection, new or free, before it fails, retryable. */
  readonly connectTimeoutMs: number;
  readonly subscriptionPollIntervalMs: number;
  /** A subscription whose oldest unread event is older than this is reported as stalled. */
  readonly stallThresholdSeconds: number;
  /**
   * `controllable` adds POST /admin/clock (development and tests only;
   * docs/kms-behaviour.md#time-and-the-controllable-clock).
   */
  readonly clock: 'system' | 'controllable';
  readonly deletionSweepSeconds: number;
  readonly principalsFile: string | undefined;
  /** One principal from the environment; all three variables or none. */
  readonly bootstrapPrincipal: { accessKeyId: string; secretAccessKey: string; accountId: string } | undefined;
  /**
   * ALIASTRAIL_AUTH=permissive, for local development only (refused when NODE_ENV=production): an
   * access key no principal has is accepted without checking its signature, as a principal of this
   * account (ALIASTRAIL_PERMISSIVE_ACCOUNT_ID, else 000000000000), the way moto and LocalStack accept
   * `test`/`test`; only on a loopback HOST. Undefined: every signature is checked.
   */
  readonly permissive: { readonly accountId: string | undefined } | undefined;
  /** Records the successes of read-only calls (lists, DescribeKey, the crypto calls) in the audit trail too. */
  readonly auditReads: boolean;
  /**
   * Per-principal rate limit of the KMS and CloudTrail APIs (calls a second, with this burst), over
   * which calls answer ThrottlingException; undefined: off (the default).
   */
  readonly rateLimit: { readonly ratePerSecond: number; readonly burst: number } | undefined;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /**
   * The transaction-time cap the database enforces at commit (db/functions/event_time_cap.sql): an event whose
   * time is older than this when its transaction commits is rejected, so an answer about a time
   * older than the cap never changes later. Undefined: not enforced (and no answer is final).
   */
  readonly eventTimeCapMs: number | undefined;
  /** The longest a query may wait for a log position (`waitForPosition`, `atPosition`). */
  readonly queryWaitMaxMs: number;
  /** GraphiQL at /graphiql: everywhere but NODE_ENV=production. */
  readonly graphiql: boolean;
  /**
   * The ledger's Ed25519 private key (PEM), generated on first start if missing; the public key is
   * written beside it (`*.pub.pem`). Every instance must share it. The database never sees it.
   */
  readonly ledgerKeyFile: string;
  /** A signed ledger digest every this many events, besides the hourly one. */
  readonly ledgerDigestEvents: number;
  /** Runs the ledger's sequencer in this instance (any number may; they take turns). */
  readonly ledgerSequencer: boolean;
  /** The share of time (0–1] the sequencer spends chaining while behind and the service takes writes (LedgerSequencerOptions.catchUpShare). */
  readonly ledgerCatchUpShare: number;
  /**
   * The root key (32 raw bytes) that wraps every key's material in kms_key_material, generated 0600
   * on first start. Every instance must share it, and backups must hold it with the database: without
   * it no material unwraps. The database never sees it.
   */
  readonly rootKeyFile: string;
  /**
   * The reverse proxies (addresses or CIDR ranges) whose X-Forwarded-For and X-Forwarded-Proto are
   * believed: behind a TLS-terminating proxy, the caller's address (sourceIPAddress, the per-IP
   * sign-in limit) and https (the console cookie's Secure flag) come from those headers. Unset: the
   * headers are ignored, since any client can send them.
   */
  readonly trustProxy: string | undefined;
}

const integer = (min: number, max: number) =>
  z.string().regex(/^\d+$/, 'must be a whole number').transform(Number).pipe(z.number().int().min(min).max(max));

const schema = z.object({
  PORT: integer(0, 65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  ALIASTRAIL_DATA_DIR: z.string().min(1).default('data'),
  ALIASTRAIL_EMBEDDED_PG_PORT: integer(1, 65535).default(54329),
  ALIASTRAIL_DB_POOL_SIZE: integer(2, 500).default(20),
  ALIASTRAIL_WRITE_CONCURRENCY: integer(1, 100).default(2),
  ALIASTRAIL_IDLE_TX_TIMEOUT_MS: integer(100, 3_600_000).default(5000),
  ALIASTRAIL_STATEMENT_TIMEOUT_MS: integer(100, 3_600_000).default(10_000),
  ALIASTRAIL_LOCK_TIMEOUT_MS: integer(10, 3_600_000).default(3000),
  ALIASTRAIL_DB_CONNECT_TIMEOUT_MS: integer(100, 600_000).default(2000),
  ALIASTRAIL_POLL_INTERVAL_MS: integer(10, 500).default(250),
  ALIASTRAIL_STALL_THRESHOLD_SECONDS: integer(1, 86_400).default(5),
  ALIASTRAIL_CLOCK: z.enum(['system', 'controllable']).default('system'),
  ALIASTRAIL_DELETION_SWEEP_SECONDS: integer(1, 3600).default(10),
  ALIASTRAIL_PRINCIPALS_FILE: z.string().min(1).optional(),
  ALIASTRAIL_ACCESS_KEY_ID: z
    .string()
    .regex(/^[A-Z0-9]{16,128}$/, 'must be 16-128 upper-case letters and digits')
    .optional(),
  ALIASTRAIL_SECRET_ACCESS_KEY: z.string().min(16, 'must be at least 16 characters').optional(),
  ALIASTRAIL_ACCOUNT_ID: z
    .string()
    .regex(/^\d{12}$/, 'must be 12 digits')
    .optional(),
  ALIASTRAIL_AUTH: z.enum(['sigv4', 'permissive']).default('sigv4'),
  ALIASTRAIL_PERMISSIVE_ACCOUNT_ID: z
    .string()
    .regex(/^\d{12}$/, 'must be 12 digits')
    .optional(),
  ALIASTRAIL_AUDIT_READS: z.enum(['true', 'false']).default('true'),
  ALIASTRAIL_RATE_LIMIT: integer(0, 1_000_000).default(0),
  ALIASTRAIL_RATE_BURST: integer(1, 10_000_000).optional(),
  NODE_ENV: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // 0 turns the cap off; unset means twice the idle-transaction timeout (see eventTimeCapMsOf).
  ALIASTRAIL_EVENT_TIME_CAP_MS: integer(0, 86_400_000).optional(),
  ALIASTRAIL_QUERY_WAIT_MAX_MS: integer(0, 60_000).default(10_000),
  ALIASTRAIL_LEDGER_KEY_FILE: z.string().min(1).optional(),
  ALIASTRAIL_LEDGER_DIGEST_EVENTS: integer(1, 1_000_000).default(10_000),
  ALIASTRAIL_LEDGER_SEQUENCER: z.enum(['on', 'off']).default('on'),
  ALIASTRAIL_LEDGER_CATCHUP_PERCENT: integer(1, 100).default(25),
  ALIASTRAIL_ROOT_KEY_FILE: z.string().min(1).optional(),
  ALIASTRAIL_TRUST_PROXY: z
    .string()
    .refine(
      (value) => value.split(',').every(isAddressOrRange),
      "must be the proxies' addresses or CIDR ranges, comma-separated (e.g. 127.0.0.1,10.0.0.0/8)",
    )
    .optional(),
});

/** An IPv4 or IPv6 address, or a CIDR range of one (prefix within the address's bits). */
function isAddressOrRange(entry: string): boolean {
  const [address = '', prefix, ...rest] = entry.trim().split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128);
}

const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|localhost)$/;

/** Thrown when the environment is unusable; the message names every bad variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * Reads and validates the environment. Empty strings count as unset, as shells often export them.
 *
 * @example loadConfig({ PORT: '8080' }).port // 8080
 */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const v = parsed.data;
  const bootstrap = [v.ALIASTRAIL_ACCESS_KEY_ID, v.ALIASTRAIL_SECRET_ACCESS_KEY, v.ALIASTRAIL_ACCOUNT_ID];
  if (bootstrap.some((value) => value !== undefined) && bootstrap.some((value) => value === undefined)) {
    throw new ConfigError(
      'Invalid configuration:\n  ALIASTRAIL_ACCESS_KEY_ID, ALIASTRAIL_SECRET_ACCESS_KEY and ALIASTRAIL_ACCOUNT_ID go together: set all three or none',
    );
  }
  if (v.ALIASTRAIL_CLOCK === 'controllable' && v.NODE_ENV === 'production') {
    throw new ConfigError(
      'Invalid configuration:\n  ALIASTRAIL_CLOCK: controllable is refused when NODE_ENV=production',
    );
  }
  if (v.ALIASTRAIL_AUTH === 'permissive' && v.NODE_ENV === 'production') {
    throw new ConfigError(
      'Invalid configuration:\n  ALIASTRAIL_AUTH: permissive (any access key, no signature check) is refused when NODE_ENV=production',
    );
  }
  // Unchecked callers from the network would be anyone's: permissive mode serves this machine only.
  if (v.ALIASTRAIL_AUTH === 'permissive' && !LOOPBACK.test(v.HOST)) {
    throw new ConfigError(
      `Invalid configuration:\n  ALIASTRAIL_AUTH: permissive (any access key, no signature check) listens on loopback only, not HOST=${v.HOST}`,
    );
  }
  return {
    port: v.PORT,
    host: v.HOST,
    databaseUrl: v.DATABASE_URL,
    dataDir: path.resolve(v.ALIASTRAIL_DATA_DIR),
    embeddedPostgresPort: v.ALIASTRAIL_EMBEDDED_PG_PORT,
    databasePoolSize: v.ALIASTRAIL_DB_POOL_SIZE,
    writeConcurrency: v.ALIASTRAIL_WRITE_CONCURRENCY,
    idleTransactionTimeoutMs: v.ALIASTRAIL_IDLE_TX_TIMEOUT_MS,
    statementTimeoutMs: v.ALIASTRAIL_STATEMENT_TIMEOUT_MS,
    lockTimeoutMs: v.ALIASTRAIL_LOCK_TIMEOUT_MS,
    connectTimeoutMs: v.ALIASTRAIL_DB_CONNECT_TIMEOUT_MS,
    subscriptionPollIntervalMs: v.ALIASTRAIL_POLL_INTERVAL_MS,
    stallThresholdSeconds: v.ALIASTRAIL_STALL_THRESHOLD_SECONDS,
    clock: v.ALIASTRAIL_CLOCK,
    deletionSweepSeconds: v.ALIASTRAIL_DELETION_SWEEP_SECONDS,
    principalsFile: v.ALIASTRAIL_PRINCIPALS_FILE,
    bootstrapPrincipal: v.ALIASTRAIL_ACCESS_KEY_ID
      ? {
          accessKeyId: v.ALIASTRAIL_ACCESS_KEY_ID,
          secretAccessKey: v.ALIASTRAIL_SECRET_ACCESS_KEY!,
          accountId: v.ALIASTRAIL_ACCOUNT_ID!,
        }
      : undefined,
    permissive: v.ALIASTRAIL_AUTH === 'permissive' ? { accountId: v.ALIASTRAIL_PERMISSIVE_ACCOUNT_ID } : undefined,
    auditReads: v.ALIASTRAIL_AUDIT_READS === 'true',
    rateLimit:
      v.ALIASTRAIL_RATE_LIMIT > 0
        ? { ratePerSecond: v.ALIASTRAIL_RATE_LIMIT, burst: v.ALIASTRAIL_RATE_BURST ?? 2 * v.ALIASTRAIL_RATE_LIMIT }
        : undefined,
    logLevel: v.LOG_LEVEL,
    eventTimeCapMs: eventTimeCapMsOf(v.ALIASTRAIL_EVENT_TIME_CAP_MS, v.ALIASTRAIL_IDLE_TX_TIMEOUT_MS),
    queryWaitMaxMs: v.ALIASTRAIL_QUERY_WAIT_MAX_MS,
    graphiql: v.NODE_ENV !== 'production',
    // Under the data directory by default: it exists wherever the service can start, CI included.
    ledgerKeyFile: path.resolve(
      v.ALIASTRAIL_LEDGER_KEY_FILE ?? path.join(v.ALIASTRAIL_DATA_DIR, 'ledger-signing-key.pem'),
    ),
    ledgerDigestEvents: v.ALIASTRAIL_LEDGER_DIGEST_EVENTS,
    ledgerSequencer: v.ALIASTRAIL_LEDGER_SEQUENCER === 'on',
    ledgerCatchUpShare: v.ALIASTRAIL_LEDGER_CATCHUP_PERCENT / 100,
    // Beside the ledger's key, for the same reason.
    rootKeyFile: path.resolve(v.ALIASTRAIL_ROOT_KEY_FILE ?? path.join(v.ALIASTRAIL_DATA_DIR, 'root-key.bin')),
    trustProxy: v.ALIASTRAIL_TRUST_PROXY,
  };
}

/**
 * The event-time cap: a unit of work reads the clock, then may sit idle in its transaction up to the
 * idle timeout before it appends and commits, so the default leaves twice that. A cap shorter than
 * the idle timeout would reject ordinary slow commits, so it is refused.
 */
function eventTimeCapMsOf(capMs: number | undefined, idleTimeoutMs: number): number | undefined {
  if (capMs === 0) return undefined;
  if (capMs === undefined) return 2 * idleTimeoutMs;
  if (capMs < idleTimeoutMs)
    throw new ConfigError(
      `Invalid configuration:\n  ALIASTRAIL_EVENT_TIME_CAP_MS: must be 0 (off) or at least ALIASTRAIL_IDLE_TX_TIMEOUT_MS (${idleTimeoutMs})`,
    );
  return capMs;
}
