import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Client } from 'pg';
import { EventStore } from '../../src/event-store/event-store';
import { SubscriptionRegistry } from '../../src/event-store/subscription.registry';
import { anEvent, eventually, sleep } from '../support/events';
import { createTestApp } from '../support/test-app';
import { type TestDatabase, createTestDatabase } from '../support/test-database';

/**
 * One idle transaction that holds a transaction id holds back every reader (the barrier is the oldest
 * running transaction). It must be visible in health and metrics, and once it ends, readers must catch
 * up within a second, even when it ends without a commit (no NOTIFY: only the poll notices).
 */
describe('a subscription held back by an idle transaction', () => {
  let database: TestDatabase;
  let app: NestFastifyApplication;
  let holder: Client;

  beforeAll(async () => {
    database = await createTestDatabase();
    app = await createTestApp(database.url, { ALIASTRAIL_STALL_THRESHOLD_SECONDS: '1' });
    await app.init();
    holder = new Client({ connectionString: database.url, application_name: 'idle-holder' });
    await holder.connect();
  });
  afterAll(async () => {
    await holder.end().catch(() => undefined);
    await app.close();
    await database.drop();
  });

  const tail = () => app.get(SubscriptionRegistry).list()[0]!.status;
  const ready = async () => (await app.getHttpAdapter().getInstance().inject({ url: '/health/ready' })).json();
  const metric = async (name: string) => {
    const text = (await app.getHttpAdapter().getInstance().inject({ url: '/metrics' })).body;
    const line = text.split('\n').find((l) => l.startsWith(name));
    return line === undefined ? undefined : Number(line.split(' ').pop());
  };

  it('is reported while held back and catches up within a second after the transaction ends', async () => {
    const store = app.get(EventStore);
    await store.append([anEvent({ tags: ['before'], occurredAt: new Date() })]);
    expect(await eventually(() => tail().delivered === 1, 2000)).toBe(true);

    await holder.query('BEGIN');
    const { rows } = await holder.query<{ pid: number }>('SELECT pg_backend_pid() AS pid, pg_current_xact_id()');
    await store.append([
      anEvent({ tags: ['held'], occurredAt: new Date() }),
      anEvent({ tags: ['held'], occurredAt: new Date() }),
    ]);
    await sleep(1500);

    expect(tail().delivered).toBe(1);
    const report = await ready();
    const subscription = report.checks.subscriptions.subscriptions[0];
    expect(subscription).toMatchObject({ name: 'live-tail', running: true, lagEvents: 2, stalled: true });
    expect(subscription.lagSeconds).toBeGreaterThanOrEqual(1);
    expect(report.checks.subscriptions.oldestOpenTransaction).toMatchObject({
      pid: rows[0]!.pid,
      state: 'idle in transaction',
    });
    expect(await metric('aliastrail_oldest_transaction_age_seconds')).toBeGreaterThanOrEqual(1.4);
    expect(await metric('aliastrail_subscription_lag_events{subscription="live-tail"}')).toBe(2);

    const ended = Date.now();
    await holder.query('ROLLBACK');
    expect(await eventually(() => tail().delivered === 3, 1000, 5)).toBe(true);
    expect(Date.now() - ended).toBeLessThan(1000);

    const after = (await ready()).checks.subscriptions;
    expect(after.subscriptions[0]).toMatchObject({ lagEvents: 0, stalled: false });
    expect(await metric('aliastrail_subscription_lag_events{subscription="live-tail"}')).toBe(0);
  });
});
