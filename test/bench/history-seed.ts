import { Client } from 'pg';
import { copyIn } from './copy-in';
import { type CpuSeconds, cpuClock } from './cpu-usage';
import type { HistoryScenario, SeedEvent } from './history-scenario';

export type SeedMethod = 'copy' | 'insert';

export interface SeedReport {
  /** 'reused': a kept database already held the events (BENCH_HISTORY_DATABASE). */
  readonly method: SeedMethod | 'reused';
  readonly batchSize: number;
  readonly events: number;
  readonly seconds: number;
  readonly eventsPerSecond: number;
  /** CPU the seed cost (generating and encoding in Node; parsing, indexing and writing on the server). */
  readonly cpu: CpuSeconds;
  readonly counts: Record<string, number>;
  readonly vacuumSeconds: number;
  readonly eventsTableSize: string;
}

const COLUMNS = 'event_id, type, schema_version, tags, data, metadata, occurred_at';
/** Per-row triggers a bulk load skips: the inline `current` projection (rebuilt after) and the time cap (off in a fresh database). */
const SKIPPED_TRIGGERS = ['kms_current_apply', 'events_time_cap'];

/**
 * Appends the scenario's events to a fresh database, `batchSize` per transaction (so the log has
 * many transaction ids, in order, like one written by many units), by COPY FROM STDIN or by
 * multi-row INSERT … SELECT FROM jsonb_to_recordset. Progress goes to stderr. The per-row triggers
 * are disabled meanwhile; the caller rebuilds the `current` model afterwards. Ends with VACUUM
 * ANALYZE, as autovacuum would (it is off on these machines): visibility map and statistics.
 */
export async function seedHistory(
  url: string,
  scenario: HistoryScenario,
  options: { method: SeedMethod; batchSize: number; log: (line: string) => void },
): Promise<SeedReport> {
  const client = new Client({ connectionString: url });
  await client.connect();
  const started = Date.now();
  let written = 0;
  let lastReport = started;
  const progress = (final = false) => {
    const now = Date.now();
    if (!final && now - lastReport < 1000) return;
    lastReport = now;
    const rate = Math.round(written / ((now - started) / 1000));
    process.stderr.write(
      `\r  seeding (${options.method}): ${written.toLocaleString('en')} / ${scenario.events.toLocaleString('en')} events, ${rate.toLocaleString('en')} events/s   ${final ? '\n' : ''}`,
    );
  };
  try {
    const stopCpu = await cpuClock(client);
    await client.query(`ALTER TABLE events ${SKIPPED_TRIGGERS.map((t) => `DISABLE TRIGGER ${t}`).join(', ')}`);
    options.log(
      `seeding with triggers ${SKIPPED_TRIGGERS.join(' and ')} disabled (a fresh bench database; the current model is rebuilt from the log afterwards)`,
    );
    const onBatch = (events: number) => {
      written += events;
      progress();
    };
    if (options.method === 'copy') await pipeline(client, scenario.generate(), options.batchSize, COPY, onBatch);
    else await pipeline(client, scenario.generate(), options.batchSize, INSERT, onBatch);
    progress(true);
    const seconds = (Date.now() - started) / 1000;
    const cpu = await stopCpu();
    await client.query(`ALTER TABLE events ${SKIPPED_TRIGGERS.map((t) => `ENABLE TRIGGER ${t}`).join(', ')}`);
    const vacuumStarted = Date.now();
    await client.query('VACUUM (ANALYZE) events');
    const vacuumSeconds = (Date.now() - vacuumStarted) / 1000;
    const { rows } = await client.query<{ size: string }>(
      `SELECT pg_size_pretty(pg_total_relation_size('events')) AS size`,
    );
    return {
      method: options.method,
      batchSize: options.batchSize,
      events: written,
      seconds,
      eventsPerSecond: written / seconds,
      cpu,
      counts: Object.fromEntries(scenario.counts),
      vacuumSeconds,
      eventsTableSize: rows[0]!.size,
    };
  } finally {
    await client.end();
  }
}

/** How one method encodes a batch and sends it. */
interface BatchWriter<Payload> {
  encode(batch: readonly SeedEvent[]): Promise<Payload>;
  write(client: Client, payload: Payload): Promise<void>;
}

/** Encoding the next batch (much of Node's work) overlaps the server's work on the one before. */
async function pipeline<Payload>(
  client: Client,
  events: Iterator<SeedEvent>,
  batchSize: number,
  writer: BatchWriter<Payload>,
  onBatch: (events: number) => void,
): Promise<void> {
  let batch = await take(events, batchSize);
  let payload = await writer.encode(batch);
  while (batch.length > 0) {
    const writing = writer.write(client, payload);
    const following = await take(events, batchSize);
    const encoded = await writer.encode(following);
    await writing;
    onBatch(batch.length);
    [batch, payload] = [following, encoded];
  }
}

/** The next `count` events; generating them is much of Node's work, so the event loop gets turns. */
async function take(events: Iterator<SeedEvent>, count: number): Promise<SeedEvent[]> {
  const batch: SeedEvent[] = [];
  while (batch.length < count) {
    const next = events.next();
    if (next.done) break;
    batch.push(next.value);
    if (batch.length % 500 === 0) await breathe();
  }
  return batch;
}

/** Lets the socket and the server's answers move while a batch is being encoded. */
const breathe = () => new Promise<void>((resolve) => setImmediate(resolve));

/** COPY's text format: a backslash starts an escape, so each one is doubled; JSON has no raw tab or newline. */
const copyText = (text: string) => text.replaceAll('\\', '\\\\');
const arrayLiteral = (items: readonly string[]) =>
  `{${items.map((item) => `"${item.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`).join(',')}}`;

/** COPY FROM STDIN of the batch as text rows, sent in chunks of about 1 MB. */
const COPY: BatchWriter<Buffer[]> = {
  async encode(batch) {
    const chunks: Buffer[] = [];
    let lines: string[] = [];
    let size = 0;
    for (const e of batch) {
      const line = `${e.eventId}\t${e.type}\t1\t${copyText(arrayLiteral(e.tags))}\t${copyText(JSON.stringify(e.data))}\t${copyText(JSON.stringify(e.metadata))}\t${e.occurredAt.toISOString()}\n`;
      lines.push(line);
      size += line.length;
      if (size >= 1 << 20) {
        chunks.push(Buffer.from(lines.join('')));
        lines = [];
        size = 0;
        await breathe();
      }
    }
    if (lines.length > 0) chunks.push(Buffer.from(lines.join('')));
    return chunks;
  },
  async write(client, chunks) {
    async function* each() {
      yield* chunks;
    }
    await copyIn(client, `COPY events (${COLUMNS}) FROM STDIN`, each());
  },
};

/** One INSERT … SELECT FROM jsonb_to_recordset per batch, in the batch's order (as events_append does). */
const INSERT: BatchWriter<string> = {
  async encode(batch) {
    const rows = batch.map((e) => ({
      event_id: e.eventId,
      type: e.type,
      tags: e.tags,
      data: e.data,
      metadata: e.metadata,
      occurred_at: e.occurredAt.toISOString(),
    }));
    await breathe();
    return JSON.stringify(rows);
  },
  async write(client, json) {
    await client.query(
      `INSERT INTO events (${COLUMNS})
       SELECT e.event_id, e.type, 1, e.tags, e.data, e.metadata, e.occurred_at
         FROM ROWS FROM (jsonb_to_recordset($1::jsonb)
                AS (event_id uuid, type text, tags text[], data jsonb, metadata jsonb, occurred_at timestamptz))
              WITH ORDINALITY AS e(event_id, type, tags, data, metadata, occurred_at, ord)
        ORDER BY e.ord`,
      [json],
    );
  },
};
