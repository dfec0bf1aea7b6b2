import type { StoreHealth } from './store-health.service';
import type { SubscriptionRegistry } from './subscription.registry';
import { withinDeadline } from '../database/within-deadline';
import type { Metrics } from '../metrics/metrics';

type EmptyReport = { subscriptions: []; oldestOpenTransaction: undefined };

/** Lag and barrier gauges, computed from the database at scrape time. */
export function registerStoreGauges(metrics: Metrics, health: StoreHealth, registry: SubscriptionRegistry): void {
  // One report per scrape, shared by the gauges below.
  // With the database away the report fails or does not come: the scrape still answers, without
  // these gauges, within the deadline (the health check says why).
  let pending: Promise<Awaited<ReturnType<StoreHealth['report']>> | EmptyReport> | undefined;
  const report = () => {
    pending ??= withinDeadline(600, () => health.report())
      .catch((): EmptyReport => ({ subscriptions: [], oldestOpenTransaction: undefined }))
      .finally(() => setTimeout(() => (pending = undefined), 0));
    return pending;
  };
  metrics.addGauge(
    'aliastrail_subscription_lag_events',
    'Events committed but not yet delivered',
    ['subscription'],
    async (gauge) => {
      gauge.reset();
      for (const s of (await report()).subscriptions) gauge.set({ subscription: s.name }, s.lagEvents);
    },
  );
  metrics.addGauge(
    'aliastrail_subscription_lag_seconds',
    'Age of the oldest undelivered event',
    ['subscription'],
    async (gauge) => {
      gauge.reset();
      for (const s of (await report()).subscriptions) gauge.set({ subscription: s.name }, s.lagSeconds);
    },
  );
  metrics.addGauge(
    'aliastrail_subscription_delivered_events',
    'Events delivered since start',
    ['subscription'],
    async (gauge) => {
      gauge.reset();
      for (const s of registry.list()) gauge.set({ subscription: s.status.name }, s.status.delivered);
    },
  );
  metrics.addGauge(
    'aliastrail_oldest_transaction_age_seconds',
    'Age of the oldest transaction holding a transaction id; it holds back every event reader',
    [],
    async (gauge) => {
      const oldest = await report();
      if (oldest.oldestOpenTransaction !== undefined) gauge.set(oldest.oldestOpenTransaction?.ageSeconds ?? 0);
    },
  );
}
