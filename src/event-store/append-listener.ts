import { Client } from 'pg';
import { UNAVAILABLE_MAX_BACKOFF_MS } from '../database/retry-delay';
import { EVENTS_CHANNEL } from './append-notifier';

/**
 * One LISTEN connection per process, shared by every subscription. It reconnects with back-off on
 * failure; a failure here never stops a subscription, which keeps polling meanwhile.
 */
export class AppendListener {
  private client: Client | undefined;
  private readonly wakers = new Set<() => void>();
  private stopped = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private failures = 0;

  constructor(
    private readonly connectionString: string,
    private readonly onError: (error: Error) => void = () => undefined,
  ) {}

  get connected(): boolean {
    return this.client !== undefined;
  }

  async start(): Promise<void> {
    this.stopped = false;
    await this.connect();
  }

  /** Registers a callback run on every notification; returns its removal. */
  onAppend(wake: () => void): () => void {
    this.wakers.add(wake);
    return () => this.wakers.delete(wake);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new Client({
      connectionString: this.connectionString,
      application_name: 'aliastrail-listen',
      // A paused or unreachable server must not hold the reconnection for ever; keepalive notices a
      // peer gone without a word (the LISTEN connection is otherwise silent).
      connectionTimeoutMillis: 5000,
      keepAlive: true,
      keepAliveInitialDelayMillis: 5000,
    });
    client.on('notification', () => this.wakers.forEach((wake) => wake()));
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, new Error('LISTEN connection closed')));
    try {
      await client.connect();
      await client.query(`LISTEN ${EVENTS_CHANNEL}`);
      if (this.stopped) {
        // stop() came while this was connecting: nothing may stay open after it.
        await client.end().catch(() => undefined);
        return;
      }
      this.client = client;
      this.failures = 0;
      // Anything appended while we were not listening was not announced: wake everyone once.
      this.wakers.forEach((wake) => wake());
    } catch (error) {
      await client.end().catch(() => undefined);
      this.lost(client, error as Error);
    }
  }

  private lost(client: Client, error: Error): void {
    if (this.stopped || (this.client !== undefined && this.client !== client)) return;
    if (this.client === client) this.client = undefined;
    if (this.retryTimer) return;
    this.onError(error);
    this.failures += 1;
    // Capped low: subscriptions poll meanwhile, but notifications make them prompt again.
    const delay = Math.min(UNAVAILABLE_MAX_BACKOFF_MS, 100 * 2 ** Math.min(this.failures, 7));
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (!this.stopped) void this.connect();
    }, delay);
  }
}
