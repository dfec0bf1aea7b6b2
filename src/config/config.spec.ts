import * as path from 'node:path';
import { ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig({});
    expect(config).toEqual({
      port: 3000,
      host: '127.0.0.1',
      databaseUrl: undefined,
      dataDir: path.resolve('data'),
      embeddedPostgresPort: 54329,
      databasePoolSize: 20,
      writeConcurrency: 2,
      idleTransactionTimeoutMs: 5000,
      statementTimeoutMs: 10_000,
      lockTimeoutMs: 3000,
      connectTimeoutMs: 2000,
      subscriptionPollIntervalMs: 250,
      stallThresholdSeconds: 5,
      clock: 'system',
      deletionSweepSeconds: 10,
      principalsFile: undefined,
      bootstrapPrincipal: undefined,
      logLevel: 'info',
      graphiql: true,
      auditReads: true,
      eventTimeCapMs: 10_000,
      queryWaitMaxMs: 10_000,
      ledgerKeyFile: path.resolve('data', 'ledger-signing-key.pem'),
      ledgerDigestEvents: 10_000,
      ledgerSequencer: true,
      ledgerCatchUpShare: 0.25,
      rootKeyFile: path.resolve('data', 'root-key.bin'),
    });
  });

  it('keeps the ledger key under the data directory unless told otherwise', () => {
    expect(loadConfig({ ALIASTRAIL_DATA_DIR: '/tmp/at' }).ledgerKeyFile).toBe('/tmp/at/ledger-signing-key.pem');
    expect(
      loadConfig({ ALIASTRAIL_LEDGER_KEY_FILE: '/run/secrets/ledger.pem', ALIASTRAIL_LEDGER_DIGEST_EVENTS: '500' }),
    ).toMatchObject({ ledgerKeyFile: '/run/secrets/ledger.pem', ledgerDigestEvents: 500 });
    expect(() => loadConfig({ ALIASTRAIL_LEDGER_DIGEST_EVENTS: '0' })).toThrow(/ALIASTRAIL_LEDGER_DIGEST_EVENTS/);
    expect(loadConfig({ ALIASTRAIL_TRUST_PROXY: '10.0.0.0/8,::1' }).trustProxy).toBe('10.0.0.0/8,::1');
    expect(loadConfig({}).trustProxy).toBeUndefined();
    for (const bad of ['true', '10.0.0.0/999', ':::', '10.0.0.1/8/8', '10.0.0.1,'])
      expect(() => loadConfig({ ALIASTRAIL_TRUST_PROXY: bad })).toThrow(/ALIASTRAIL_TRUST_PROXY/);
    expect(loadConfig({ ALIASTRAIL_TRUST_PROXY: '::1,fd00::/8' }).trustProxy).toBe('::1,fd00::/8');
    expect(loadConfig({ ALIASTRAIL_LEDGER_SEQUENCER: 'off' }).ledgerSequencer).toBe(false);
    expect(loadConfig({ ALIASTRAIL_LEDGER_CATCHUP_PERCENT: '100' }).ledgerCatchUpShare).toBe(1);
    expect(() => loadConfig({ ALIASTRAIL_LEDGER_CATCHUP_PERCENT: '0' })).toThrow(/ALIASTRAIL_LEDGER_CATCHUP_PERCENT/);
  });

  it('reads every variable', () => {
    const config = loadConfig({
      PORT: '8080',
      HOST: '0.0.0.0',
      DATABASE_URL: 'postgres://u@db:5432/x',
      ALIASTRAIL_DATA_DIR: '/tmp/at',
      ALIASTRAIL_EMBEDDED_PG_PORT: '6000',
      ALIASTRAIL_DB_POOL_SIZE: '50',
      ALIASTRAIL_WRITE_CONCURRENCY: '3',
      ALIASTRAIL_IDLE_TX_TIMEOUT_MS: '1000',
      ALIASTRAIL_POLL_INTERVAL_MS: '100',
      ALIASTRAIL_STALL_THRESHOLD_SECONDS: '2',
      LOG_LEVEL: 'warn',
    });
    expect(config).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      databaseUrl: 'postgres://u@db:5432/x',
      dataDir: '/tmp/at',
      embeddedPostgresPort: 6000,
      databasePoolSize: 50,
      writeConcurrency: 3,
      idleTransactionTimeoutMs: 1000,
      subscriptionPollIntervalMs: 100,
      stallThresholdSeconds: 2,
      logLevel: 'warn',
    });
  });

  it('reads the bootstrap principal, all or nothing', () => {
    const env = {
      ALIASTRAIL_ACCESS_KEY_ID: 'AKIAEXAMPLEEXAMPLE',
      ALIASTRAIL_SECRET_ACCESS_KEY: 'secret-secret-secret',
      ALIASTRAIL_ACCOUNT_ID: '111122223333',
    };
    expect(loadConfig(env).bootstrapPrincipal).toEqual({
      accessKeyId: 'AKIAEXAMPLEEXAMPLE',
      secretAccessKey: 'secret-secret-secret',
      accountId: '111122223333',
    });
    expect(() => loadConfig({ ALIASTRAIL_ACCESS_KEY_ID: 'AKIAEXAMPLEEXAMPLE' })).toThrow(/go together/);
  });

  it('refuses the controllable clock in production', () => {
    expect(loadConfig({ ALIASTRAIL_CLOCK: 'controllable' }).clock).toBe('controllable');
    expect(() => loadConfig({ ALIASTRAIL_CLOCK: 'controllable', NODE_ENV: 'production' })).toThrow(
      /refused when NODE_ENV=production/,
    );
  });

  it('checks every signature unless permissive mode is asked for, and refuses that in production', () => {
    expect(loadConfig({}).permissive).toBeUndefined();
    expect(loadConfig({ ALIASTRAIL_AUTH: 'permissive' }).permissive).toEqual({ accountId: undefined });
    expect(
      loadConfig({ ALIASTRAIL_AUTH: 'permissive', ALIASTRAIL_PERMISSIVE_ACCOUNT_ID: '000000000000' }).permissive,
    ).toEqual({ accountId: '000000000000' });
    expect(() => loadConfig({ ALIASTRAIL_AUTH: 'permissive', NODE_ENV: 'production' })).toThrow(
      /ALIASTRAIL_AUTH: permissive .* refused when NODE_ENV=production/,
    );
    expect(() => loadConfig({ ALIASTRAIL_AUTH: 'permissive', HOST: '0.0.0.0' })).toThrow(
      /listens on loopback only, not HOST=0.0.0.0/,
    );
    expect(loadConfig({ ALIASTRAIL_AUTH: 'permissive', HOST: '::1' }).permissive).toBeDefined();
    expect(() => loadConfig({ ALIASTRAIL_AUTH: 'open' })).toThrow(/ALIASTRAIL_AUTH/);
    expect(() => loadConfig({ ALIASTRAIL_PERMISSIVE_ACCOUNT_ID: '12' })).toThrow(/12 digits/);
  });

  it('treats empty strings as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', PORT: '' })).toMatchObject({ databaseUrl: undefined, port: 3000 });
  });

  it('names every bad variable at once', () => {
    const attempt = () =>
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', ALIASTRAIL_POLL_INTERVAL_MS: '5000' });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/PORT: must be a whole number/);
    expect(attempt).toThrow(/DATABASE_URL: must be a postgres/);
    expect(attempt).toThrow(/ALIASTRAIL_POLL_INTERVAL_MS/);
  });

  it('keeps the root key beside the ledger key under the data directory unless told otherwise', () => {
    expect(loadConfig({ ALIASTRAIL_DATA_DIR: '/tmp/at' }).rootKeyFile).toBe('/tmp/at/root-key.bin');
    expect(loadConfig({ ALIASTRAIL_ROOT_KEY_FILE: '/run/secrets/root.key' }).rootKeyFile).toBe('/run/secrets/root.key');
    expect(loadConfig({ ALIASTRAIL_ROOT_KEY_FILE: 'keys/root.bin' }).rootKeyFile).toBe(path.resolve('keys/root.bin'));
  });
});
