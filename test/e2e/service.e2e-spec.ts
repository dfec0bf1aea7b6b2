import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { sql } from 'kysely';
import { EventStore } from '../../src/event-store/event-store';
import { anEvent } from '../support/events';
import { createTestApp } from '../support/test-app';
import { type TestDatabase, createTestDatabase } from '../support/test-database';

describe('the service over HTTP', () => {
  let database: TestDatabase;
  let app: NestFastifyApplication;
  let base: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    app = await createTestApp(database.url);
    await app.listen(0, '127.0.0.1');
    base = await app.getUrl();
    base = base.replace('[::1]', '127.0.0.1');
  });
  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  it('answers liveness with a request id', async () => {
    const response = await fetch(`${base}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('replaces a client-sent request id with its own', async () => {
    const response = await fetch(`${base}/health`, { headers: { 'x-request-id': 'forged-by-client' } });
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('is ready: database up, migrations applied, subscriptions and projections running', async () => {
    // As an orchestrator asks: again until ready, for a while. A probe has 1 s to answer, which a
    // starved machine (CI's two CPUs under every tier at once) can miss once.
    let response = await fetch(`${base}/health/ready`);
    for (let tries = 0; response.status !== 200 && tries < 20; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      response = await fetch(`${base}/health/ready`);
    }
    expect(response.status).toBe(200);
    const body = (await response.json()) as any;
    expect(body.status).toBe('ok');
    expect(body.checks.database.status).toBe('up');
    expect(body.checks.migrations.status).toBe('up');
    expect(body.checks.subscriptions).toMatchObject({
      status: 'up',
      subscriptions: expect.arrayContaining([
        expect.objectContaining({ name: 'live-tail', running: true }),
        expect.objectContaining({ name: 'projection:temporal', running: true, lastError: null }),
      ]),
    });
  });

  it('exposes Prometheus metrics for requests, appends, lag and open transactions', async () => {
    await app.get(EventStore).append([anEvent({ occurredAt: new Date() })]);
    await fetch(`${base}/health`);
    const response = await fetch(`${base}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(text).toMatch(/aliastrail_http_requests_total\{method="GET",route="\/health",status_code="200"\} \d+/);
    expect(text).toMatch(/aliastrail_http_request_duration_seconds_bucket/);
    expect(text).toMatch(/^aliastrail_events_appended_total [1-9]/m);
    expect(text).toMatch(/aliastrail_append_duration_seconds_count [1-9]/);
    expect(text).toMatch(/aliastrail_subscription_lag_events\{subscription="live-tail"\} \d+/);
    expect(text).toMatch(/aliastrail_subscription_lag_seconds\{subscription="live-tail"\}/);
    expect(text).toMatch(/aliastrail_subscription_lag_events\{subscription="projection:temporal"\} \d+/);
    expect(text).toMatch(/aliastrail_subscription_lag_seconds\{subscription="projection:temporal"\}/);
    expect(text).toMatch(/^aliastrail_oldest_transaction_age_seconds \d/m);
    expect(text).toMatch(/process_resident_memory_bytes/);
  });

  it('answers an unknown route with a JSON 404', async () => {
    const response = await fetch(`${base}/no/such/route`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error: { code: 'NotFound', message: 'No route matches this method and path.' },
    });
  });

  it('reports not ready when a migration is no longer recorded', async () => {
    await sql`ALTER TABLE schema_migrations RENAME TO schema_migrations_hidden`.execute(database.db);
    try {
      const response = await fetch(`${base}/health/ready`);
      expect(response.status).toBe(503);
      const body = (await response.json()) as any;
      expect(body.status).toBe('unavailable');
      expect(body.checks.migrations.status).toBe('down');
      expect(body.checks.database.status).toBe('up');
    } finally {
      await sql`ALTER TABLE schema_migrations_hidden RENAME TO schema_migrations`.execute(database.db);
    }
    expect((await fetch(`${base}/health/ready`)).status).toBe(200);
  });
});
