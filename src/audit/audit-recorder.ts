import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { Clock } from '../clock/clock';
import { IdGenerator } from '../clock/id-generator';
import type { Config } from '../config/config';
import { CONFIG } from '../config/config.token';
import { EventStore } from '../event-store/event-store';
import type { NewEvent } from '../event-store/event.types';
import type { KmsError } from '../kms/kms-error';
import type { KmsRequest } from '../kms-api/kms-request';
import { callMetadata } from '../kms-store/call-metadata';
import { Metrics } from '../metrics/metrics';
import { callResources } from './call-resources';
import { lowerCamel } from './cloudtrail-format';
import { KMS_CALL_RECORDED, type KmsCallRecorded, READ_ONLY_OPERATIONS } from './kms-call-recorded';

/** Calls buffered before a flush starts at once rather than on the timer. */
const FLUSH_SIZE = 500;
const FLUSH_DELAY_MS = 10;
/** Beyond this many unwritten records a caller waits for the flush: back-pressure, not loss. */
const WAIT_ABOVE = 5_000;
/** While the database refuses writes, at most this many records wait; older ones are dropped and counted. */
const HELD_MAX = 100_000;

/**
 * Appends a KmsCallRecorded event for each call that changed nothing, so that failed and read-only
 * calls are in the log like the rest (design §6). The caller does not wait for the write: records
 * of concurrent calls are appended together, a few milliseconds later, in one unit of work. The
 * price is that a crash can lose the last few milliseconds of such records; calls that change
 * state are recorded by their own events, in the transaction that makes the change.
 */
@Injectable()
export class AuditRecorder implements OnModuleDestroy {
  private readonly logger = new Logger(AuditRecorder.name);
  private pending: NewEvent[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: EventStore,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly metrics: Metrics,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  /**
   * Records a call that changed nothing. Read-only calls are skipped when ALIASTRAIL_AUDIT_READS is
   * false. Resolves at once unless too many records are unwritten.
   */
  record(request: KmsRequest, outcome: { error?: KmsError; output?: Record<string, unknown> }): Promise<void> {
    const readOnly = READ_ONLY_OPERATIONS.has(request.operation);
    if (readOnly && !outcome.error && !this.config.auditReads) return Promise.resolve();
    const eventTime = this.clock.now();
    const data: KmsCallRecorded = {
      ...request.scope,
      eventName: request.operation,
      readOnly,
      ...(outcome.error ? { errorCode: outcome.error.code, errorMessage: outcome.error.detail ?? '' } : {}),
      resources: callResources(request.scope, request.params, outcome.output),
      responseElements: outcome.error ? null : responseElementsOf(request, outcome.output),
    };
    this.pending.push({
      eventId: this.ids.uuid(),
      type: KMS_CALL_RECORDED,
      // No tags: no decision ever depends on these events, so no unit of work should read them.
      tags: [],
      data,
      metadata: callMetadata(request, eventTime),
      occurredAt: eventTime,
    });
    if (this.pending.length >= FLUSH_SIZE) this.flushNow();
    else this.timer ??= setTimeout(() => this.flushNow(), FLUSH_DELAY_MS);
    return this.pending.length > WAIT_ABOVE ? this.flushing : Promise.resolve();
  }

  /** Writes what is buffered; resolves when every record given so far has been tried. */
  flush(): Promise<void> {
    this.flushNow();
    return this.flushing;
  }

  async onModuleDestroy(): Promise<void> {
    await this.flush();
  }

  private flushNow(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    if (batch.length === 0) return;
    this.pending = [];
    this.flushing = this.flushing.then(() => this.write(batch));
  }

  private async write(batch: NewEvent[]): Promise<void> {
    try {
      await this.store.append(batch);
      this.metrics.auditCalls.inc({ outcome: 'written' }, batch.length);
    } catch (error) {
      // Held for the next flush; the event ids make a retry of a batch that did commit harmless.
      // A batch held past the transaction-time cap (db/migrations/0007) would be refused for ever:
      // refused, it did not commit, so it goes again stamped now; the record keeps the call's time.
      const held = [
        ...(isTimeCapViolation(error) ? batch.map((e) => ({ ...e, occurredAt: this.clock.now() })) : batch),
        ...this.pending,
      ];
      const dropped = Math.max(0, held.length - HELD_MAX);
      this.pending = held.slice(dropped);
      this.metrics.auditCalls.inc({ outcome: 'retried' }, batch.length);
      if (dropped > 0) this.metrics.auditCalls.inc({ outcome: 'dropped' }, dropped);
      this.logger.error(`audit records not written (${batch.length}, ${dropped} dropped): ${(error as Error).message}`);
      this.timer ??= setTimeout(() => this.flushNow(), 1000);
    }
  }
}

const isTimeCapViolation = (error: unknown) => (error as { constraint?: unknown }).constraint === 'events_time_cap';

/** responseElements of a successful call that changed nothing: null for reads (spec §12.4). */
function responseElementsOf(
  request: KmsRequest,
  output: Record<string, unknown> | undefined,
): Record<string, unknown> | null {
  if (READ_ONLY_OPERATIONS.has(request.operation) || output === undefined) return null;
  return lowerCamel(output) as Record<string, unknown>;
}
