import { Client, type ClientConfig } from 'pg';

export interface DeadlineClientConfig extends ClientConfig {
  /**
   * How long a query may go unanswered before the client gives up on the connection (0: never).
   * Set above the server's statement_timeout, it fires only when the server cannot answer at all
   * (stopped, paused, cut off by the network), where no server-side timeout can.
   */
  readonly readDeadlineMs?: number;
}

/**
 * The server left a query unanswered past the deadline (`seen`), or another connection to it did
 * (not `seen`): a connection ended for either reason fails its work with this.
 */
export class ServerSilent extends Error {
  override readonly name = 'ServerSilent';

  constructor(
    message: string,
    readonly seen: boolean,
  ) {
    super(message);
  }
}

/** What the connection's socket is, to node-postgres; not in its types. */
type WithSocket = { connection: { stream: { destroy(error?: Error): void } } };

/**
 * A pg client that abandons its connection when a query goes unanswered past its deadline: the
 * query and everything queued behind it fail at once with a connection error, and the pool drops
 * the client. node-postgres's own query_timeout rejects the query but keeps the connection, with
 * the unanswered query still in it: every later query on it would wait behind that one.
 *
 * `SET statement_timeout = 0` on the connection lifts the deadline (for work meant to run long, a
 * projection rebuild); `RESET statement_timeout` restores it.
 */
export class DeadlineClient extends Client {
  private readonly deadlineMs: number;
  private lifted = false;

  constructor(config: DeadlineClientConfig = {}) {
    const { readDeadlineMs, ...rest } = config;
    super(rest);
    this.deadlineMs = readDeadlineMs ?? 0;
  }

  // node-postgres's overloads (text, config, submittable; promise or callback) all pass through here.
  override query(...args: unknown[]): never {
    const query = super.query as (...a: unknown[]) => unknown;
    const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: unknown } | undefined)?.text;
    if (typeof text === 'string') this.follow(text);
    const submittable = typeof (args[0] as { submit?: unknown } | undefined)?.submit === 'function';
    if (this.deadlineMs === 0 || this.lifted || submittable) return query.apply(this, args) as never;
    const timer = setTimeout(() => this.abandonSilent(), this.deadlineMs);
    timer.unref();
    const last = args.length - 1;
    const callback = args[last];
    if (typeof callback === 'function') {
      args[last] = (error: unknown, result: unknown) => {
        clearTimeout(timer);
        (callback as (e: unknown, r: unknown) => void)(error, result);
      };
      return query.apply(this, args) as never;
    }
    const result = query.apply(this, args) as Promise<unknown>;
    result.then(
      () => clearTimeout(timer),
      () => clearTimeout(timer),
    );
    return result as never;
  }

  private follow(text: string): void {
    if (/^\s*SET\s+(SESSION\s+)?statement_timeout\s*(=|TO)\s*'?0'?\s*;?\s*$/i.test(text)) this.lifted = true;
    else if (/^\s*RESET\s+statement_timeout\s*;?\s*$/i.test(text)) this.lifted = false;
  }

  /** Ends the connection at once (no goodbye to a server that would not read it), failing its work with `reason`. */
  abandon(reason: ServerSilent): void {
    (this as unknown as WithSocket).connection.stream.destroy(reason);
  }

  private abandonSilent(): void {
    this.abandon(new ServerSilent(`the database did not answer within ${this.deadlineMs} ms`, true));
  }
}
