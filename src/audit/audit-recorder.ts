import { performance } from 'node:perf_hooks';
import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { Clock } from '../clock/clock';
import { IdGenerator } from '../clock/id-generator';
import type { Config } from '../config/config';
import { CONFIG } from '../config/config.token';
import { EventStore } from '../event-store/event-store';
import type { NewEvent } from '../event-store/event.types';
import type { KmsError } from '../kms/domain/kms-error';
import type { KmsRequest } from '../kms/kms-request';
import { callMetadata } from '../kms/store/call-metadata';
import { Metrics } from '../metrics/metrics';
import { callResources } from './call-resources';
import { KMS_CALL_RECORDED, type KmsCallRecorded, READ_ONLY_OPERATIONS } from './kms-call-recorded';
import type { AuditRecorderStatus, Queued } from './recorder-status';
import { logExcerpt } from './log-excerpt';
import { writeSplitting } from './split-write';
import { storableValue } from '../event-store/storable-value';
import { cut, errorText, isTimeCapViolation, responseElementsOf } from './record-parts';
import {
  ERROR_MESSAGE_MAX,
  FLUSH_DELAY_MS,
  FLUSH_SIZE,
  HELD_MAX,
  RETRY_FIRST_MS,
  RETRY_LAST_MS,
  STOP_WAIT_MS,
  WAIT_ABOVE,
} from './recorder-limits';

/**
 * Appends a KmsCallRecorded event for each call that changed nothing, so that failed and read-only
 * calls are in the log like the rest (docs/history-model.md#projections). The caller does not wait for
 * the write: records of concurrent calls are appended together, about FLUSH_DELAY_MS later, in one unit
 * of work. The price is that a crash can lose the last FLUSH_DELAY_MS of such records; calls that
 * change state are recorded by their own events, in the transaction that makes the change.
 *
 * No record can stop the others: what a client sent is made storable first (storable-value.ts),
 * and a batch the database still refuses is split until the bad record stands alone and is set
 * aside (logged and counted). While the database is unavailable, records are held and retried
 * with back-off; a graceful stop writes them, or says how many it could not.
 */
@Injectable()
export class AuditRecorder implements OnModuleDestroy {
  private readonly logger = new Logger(AuditRecorder.name);
  private pending: NewEvent[] = [];
  private held: Queued[] = [];
  private inFlight: readonly Queued[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  /** 0 while writes succeed; the delay before the next retry while records are held. */
  private retryDelayMs = 0;
  /** Failures of calls whose write may have committed: the events that would show it did. */
  private readonly unlessStored = new WeakMap<NewEvent, readonly string[]>();
  private setAside = 0;
  private written = 0;
  private dropped = 0;
  private stopping = false;

  constructor(
    private readonly store: EventStore,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly metrics: Metrics,
    @Inject(CONFIG) private readonly config: Config,
  ) {
    metrics.addGauge('aliastrail_audit_held_records', 'Audit records waiting for the database', [], async (g) => {
      g.set(this.status().held);
    });
    metrics.addGauge(
      'aliastrail_audit_oldest_held_seconds',
      'How long the oldest audit record waiting for the database has waited (0 when none)',
      [],
      async (g) => g.set((this.status().oldestHeldMs ?? 0) / 1000),
    );
  }

  /**
   * Records a call that changed nothing. Read-only calls are skipped when ALIASTRAIL_AUDIT_READS is
   * false. Resolves at once unless too many records are unwritten.
   */
  record(
    request: KmsRequest,
    outcome: { error?: KmsError; output?: Record<string, unknown>; unlessStored?: readonly string[] },
  ): Promise<void> {
    const readOnly = READ_ONLY_OPERATIONS.has(request.operation);
    if (readOnly && !outcome.error && !this.config.auditReads) return Promise.resolve();
    const eventTime = this.clock.now();
    // Error messages and resource ARNs repeat what the client sent: stored as jsonb can hold them.
    const data = storableValue<KmsCallRecorded>({
      ...request.scope,
      eventName: request.operation,
      readOnly,
      ...(outcome.error
        ? { errorCode: outcome.error.code, errorMessage: cut(outcome.error.detail ?? '', ERROR_MESSAGE_MAX) }
        : {}),
      resources: callResources(
        request.operation,
        request.scope,
        request.params,
        outcome.output,
        request.resolvedKeyArns,
      ),
      responseElements: outcome.error ? null : responseElementsOf(request, outcome.output),
    });
    const metadata = callMetadata(request, eventTime);
    const replaced = data.replaced + Number(metadata.unstorableCharactersReplaced ?? 0);
    const event: NewEvent = {
      eventId: this.ids.uuid(),
      type: KMS_CALL_RECORDED,
      // No tags: no decision ever depends on these events, so no unit of work should read them.
      tags: [],
      data: data.value,
      metadata: replaced > 0 ? { ...metadata, unstorableCharactersReplaced: replaced } : metadata,
      occurredAt: eventTime,
    };
    if (outcome.unlessStored && outcome.unlessStored.length > 0) this.unlessStored.set(event, outcome.unlessStored);
    this.pending.push(event);
    this.dropOverflow();
    // While held records wait for their retry, new ones wait with them: no write per call meanwhile.
    if (this.retryDelayMs > 0) return Promise.resolve();
    if (this.pending.length >= FLUSH_SIZE) this.flushNow();
    else this.timer ??= setTimeout(() => this.flushNow(), FLUSH_DELAY_MS);
    return this.pending.length > WAIT_ABOVE ? this.flushing : Promise.resolve();
  }

  /** Writes what is buffered or held; resolves when every record given so far has been tried. */
  flush(): Promise<void> {
    this.flushNow();
    return this.flushing;
  }

  /** Synchronous, for the health endpoint: held records, the oldest one's wait, and set-asides. */
  status(): AuditRecorderStatus {
    const now = performance.now();
    let oldest: number | undefined;
    let held = 0;
    for (const queue of [this.held, this.inFlight]) {
      for (const item of queue) {
        if (item.heldSince === undefined) continue;
        held += 1;
        if (oldest === undefined || item.heldSince < oldest) oldest = item.heldSince;
      }
    }
    // Fresh records waiting behind a retry are held as much as the ones that failed.
    if (this.retryDelayMs > 0) held += this.pending.length;
    return { held, oldestHeldMs: oldest === undefined ? null : now - oldest, setAside: this.setAside };
  }

  /** A graceful stop writes what is held or buffered, waiting at most STOP_WAIT_MS, and says so. */
  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    const unwritten = () => this.held.length + this.pending.length + this.inFlight.length;
    const before = unwritten();
    const writtenBefore = this.written;
    const deadline = performance.now() + STOP_WAIT_MS;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, STOP_WAIT_MS)));
    await Promise.race([this.drain(deadline), timeout]);
    clearTimeout(timer);
    const left = unwritten();
    const message = `audit recorder stopped: ${this.written - writtenBefore} of ${before} unwritten records written, ${left} could not be`;
    if (left > 0) this.logger.error(`${message} (database unavailable; they are lost)`);
    else this.logger.log(message);
  }

  /** Retries until nothing is left to write or the deadline passes. */
  private async drain(deadline: number): Promise<void> {
    while (performance.now() < deadline) {
      this.flushNow();
      await this.flushing;
      if (this.held.length + this.pending.length === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  private flushNow(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch: Queued[] = [...this.held, ...this.pending.map((event) => ({ event }))];
    if (batch.length === 0) return;
    this.held = [];
    this.pending = [];
    this.flushing = this.flushing
      .then(() => this.write(batch))
      .catch((error: unknown) => {
        // Not expected (write classifies every failure), but a rejected chain would stop every later flush.
        this.logger.error(`audit flush failed: ${errorText(error)}`);
        this.inFlight = [];
        this.held = [
          ...batch.map((item) => ({ ...item, heldSince: item.heldSince ?? performance.now() })),
          ...this.held,
        ];
      });
  }

  private async write(batch: Queued[]): Promise<void> {
    this.inFlight = batch;
    const outcome = await writeSplitting(batch, (chunk) => this.append(chunk), FLUSH_SIZE);
    this.inFlight = [];
    this.written += outcome.written.length;
    if (outcome.written.length > 0) this.metrics.auditCalls.inc({ outcome: 'written' }, outcome.written.length);
    for (const { item, error } of outcome.setAside) this.setAsideOne(item.event, error);
    if (outcome.held.length === 0) {
      this.retryDelayMs = 0;
      if (this.pending.length > 0 && !this.stopping) this.timer ??= setTimeout(() => this.flushNow(), FLUSH_DELAY_MS);
      return;
    }
    const now = performance.now();
    this.held = [...outcome.held.map((item) => ({ ...item, heldSince: item.heldSince ?? now })), ...this.held];
    this.dropOverflow();
    this.metrics.auditCalls.inc({ outcome: 'retried' }, outcome.held.length);
    // While the database is away, a retry a second costs a refused connection and lets the records
    // go within a second of its return; an error that may pass (a permission) backs off to 30 s.
    this.retryDelayMs = outcome.unavailable
      ? RETRY_FIRST_MS
      : Math.min(RETRY_LAST_MS, Math.max(RETRY_FIRST_MS, this.retryDelayMs * 2));
    const cause = outcome.unavailable ?? 'an error that may pass';
    this.logger.error(
      `audit records not written (${outcome.held.length} held, ${this.dropped} dropped so far), ` +
        `retry in ${this.retryDelayMs / 1000} s: ${errorText(cause)}`,
    );
    if (this.stopping) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flushNow(), this.retryDelayMs);
  }

  /**
   * One write of a chunk. A chunk held past the transaction-time cap (db/migrations/0007) would be
   * refused for ever: refused, it did not commit, so it goes again stamped now (the record keeps
   * the call's time in its metadata). The event ids make a retry of a chunk that did commit harmless.
   */
  private async append(chunk: readonly Queued[]): Promise<void> {
    const events = await this.withoutSuperseded(chunk.map((item) => item.event));
    if (events.length === 0) return;
    try {
      await this.store.appendWithoutCopies(events);
    } catch (error) {
      if (!isTimeCapViolation(error)) throw error;
      for (const item of chunk) {
        const restamped = { ...item.event, occurredAt: this.clock.now() };
        const unlessStored = this.unlessStored.get(item.event);
        if (unlessStored) this.unlessStored.set(restamped, unlessStored);
        item.event = restamped;
      }
      await this.store.appendWithoutCopies(await this.withoutSuperseded(chunk.map((item) => item.event)));
    }
  }

  /**
   * The records to write, less the failures of calls whose write committed after all: their
   * connection was lost after COMMIT was sent, and the call is in the trail through its own events.
   * Recording its failure too would give one call two records (the audit model refuses that).
   */
  private async withoutSuperseded(events: readonly NewEvent[]): Promise<NewEvent[]> {
    const conditional = events.flatMap((event) => this.unlessStored.get(event) ?? []);
    if (conditional.length === 0) return [...events];
    const stored = await this.store.storedEventIds(conditional);
    return events.filter((event) => {
      const ids = this.unlessStored.get(event);
      if (!ids || !ids.some((id) => stored.has(id.toLowerCase()))) return true;
      this.metrics.auditCalls.inc({ outcome: 'superseded' });
      return false;
    });
  }

  private setAsideOne(event: NewEvent, error: unknown): void {
    this.setAside += 1;
    this.metrics.auditCalls.inc({ outcome: 'set_aside' });
    const metadata = event.metadata ?? {};
    this.logger.error(
      `audit record set aside, the database refused it: ${errorText(error)}; ` +
        `${logExcerpt(metadata.eventName, 64)} request ${logExcerpt(metadata.requestId, 64)}, event ${event.eventId}; ` +
        `excerpt: ${logExcerpt(metadata.requestParameters ?? null, 120)}`,
    );
  }

  /** Keeps at most HELD_MAX unwritten records, dropping the oldest (counted). */
  private dropOverflow(): void {
    let excess = this.held.length + this.pending.length - HELD_MAX;
    if (excess <= 0) return;
    this.metrics.auditCalls.inc({ outcome: 'dropped' }, excess);
    this.dropped += excess;
    const fromHeld = Math.min(excess, this.held.length);
    this.held = this.held.slice(fromHeld);
    excess -= fromHeld;
    if (excess > 0) this.pending = this.pending.slice(excess);
  }
}
