import { ConfigError, loadConfig } from './config';

describe('loadConfig: the query API and the transaction-time cap', () => {
  it('caps event times at twice the idle-transaction timeout by default, and waits up to 10 s', () => {
    expect(loadConfig({})).toMatchObject({ eventTimeCapMs: 10_000, queryWaitMaxMs: 10_000 });
    expect(loadConfig({ ALIASTRAIL_IDLE_TX_TIMEOUT_MS: '2000' }).eventTimeCapMs).toBe(4000);
  });

  it('reads the cap and the wait, and turns the cap off with 0', () => {
    const config = loadConfig({ ALIASTRAIL_EVENT_TIME_CAP_MS: '60000', ALIASTRAIL_QUERY_WAIT_MAX_MS: '2500' });
    expect(config).toMatchObject({ eventTimeCapMs: 60_000, queryWaitMaxMs: 2500 });
    expect(loadConfig({ ALIASTRAIL_EVENT_TIME_CAP_MS: '0' }).eventTimeCapMs).toBeUndefined();
  });

  it('refuses a cap shorter than the idle-transaction timeout, and a wait over a minute', () => {
    expect(() => loadConfig({ ALIASTRAIL_EVENT_TIME_CAP_MS: '1000' })).toThrow(ConfigError);
    expect(() => loadConfig({ ALIASTRAIL_EVENT_TIME_CAP_MS: '1000' })).toThrow(/ALIASTRAIL_EVENT_TIME_CAP_MS/);
    expect(() => loadConfig({ ALIASTRAIL_QUERY_WAIT_MAX_MS: '60001' })).toThrow(/ALIASTRAIL_QUERY_WAIT_MAX_MS/);
  });
});
