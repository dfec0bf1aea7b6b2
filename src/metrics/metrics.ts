import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The service's Prometheus instruments, on a registry of its own (one per app instance). */
export class Metrics {
  readonly registry = new Registry();

  readonly httpRequests = new Counter({
    name: 'aliastrail_http_requests_total',
    help: 'HTTP requests answered, by method, route and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    registers: [this.registry],
  });

  readonly httpDuration = new Histogram({
    name: 'aliastrail_http_request_duration_seconds',
    help: 'HTTP request latency',
    labelNames: ['method', 'route'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  readonly eventsAppended = new Counter({
    name: 'aliastrail_events_appended_total',
    help: 'Events written to the event store (idempotent replays not counted)',
    registers: [this.registry],
  });

  readonly appendDuration = new Histogram({
    name: 'aliastrail_append_duration_seconds',
    help: 'Duration of units of work that appended events, locks and commit included',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [this.registry],
  });

  readonly auditCalls = new Counter({
    name: 'aliastrail_audit_calls_total',
    help: 'Calls that changed nothing (failed, read-only, no-op) by what became of their audit event',
    labelNames: ['outcome'],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** A gauge whose value is computed at scrape time. */
  addGauge(name: string, help: string, labelNames: readonly string[], collect: (gauge: Gauge) => Promise<void>): void {
    new Gauge({
      name,
      help,
      labelNames: [...labelNames],
      registers: [this.registry],
      async collect() {
        await collect(this);
      },
    });
  }
}
