import { Client } from 'pg';
import { HISTORY_SCOPES, randomFrom } from './history-callers';
import { startAliastrail } from './bench-services';
import { type Latency, latencyOf } from './latency-samples';
import { SignedKmsClient } from './signed-client';

/** The principal the service is started with: the account of the scenario's last scope. */
const SCOPE = HISTORY_SCOPES.length - 1;
const CREDENTIALS = {
  accessKeyId: 'AKIABENCHHISTORYLAG0',
  secretAccessKey: 'bench-secret-bench-secret-bench-secret00',
  accountId: HISTORY_SCOPES[SCOPE]!.accountId,
};
const PROJECTIONS = ['temporal', 'audit'] as const;
/** How often the watcher reads the checkpoints: the resolution of every lag measured. */
export const WATCH_INTERVAL_MS = 5;
/** Keys taken as targets only while below this many aliases (the quota is 50; clients race a little). */
const ROOM = 45;

export interface LagReport {
  /** From spawning the service to its /health/ready answering, on the seeded database. */
  readonly startupSeconds: number;
  readonly clients: number;
  readonly seconds: number;
  readonly writes: number;
  readonly writesPerSecond: number;
  readonly failed: number;
  readonly write: Latency;
  /** From each write's response to the first moment the projection's checkpoint covered it. */
  readonly lag: Record<(typeof PROJECTIONS)[number], Latency>;
  readonly uncovered: number;
}

interface Written {
  readonly position: string;
  readonly respondedAt: number;
  transactionId?: string;
  readonly lagMs: Partial<Record<(typeof PROJECTIONS)[number], number>>;
}

/**
 * Projection lag under a sustained KMS write load: aliastrail runs as its own process on the seeded
 * database; `clients` SigV4 clients send UpdateAlias (seeded aliases to other seeded keys) and
 * CreateAlias (fresh names) for `seconds`. Each response carries x-aliastrail-position; a watcher
 * on its own connection looks up that event's transaction id and polls projection_checkpoints
 * every WATCH_INTERVAL_MS until (checkpoint) >= (transaction id, position), for each projection.
 */
export async function benchLag(url: string, clients: number, seconds: number): Promise<LagReport> {
  const { aliases, keys } = await stateOf(url);
  const spawned = Date.now();
  const service = await startAliastrail(url, CREDENTIALS);
  const startupSeconds = (Date.now() - spawned) / 1000;
  const watcher = new Client({ connectionString: url, application_name: 'bench-lag-watcher' });
  await watcher.connect();
  const written: Written[] = [];
  const writeMs: number[] = [];
  let failed = 0;
  let loading = true;
  const watching = watch(watcher, written, () => loading);
  try {
    const random = randomFrom(11);
    // A name of this run's own: a reused database (BENCH_HISTORY_DATABASE) has the earlier runs' names.
    const run = Date.now().toString(36);
    const names = [...aliases.keys()];
    const targets = [...keys.keys()];
    const roomy = () => {
      for (;;) {
        const keyId = targets[Math.floor(random() * targets.length)]!;
        if (keys.get(keyId)! < ROOM) return keyId;
      }
    };
    const deadline = Date.now() + seconds * 1000;
    const started = Date.now();
    await Promise.all(
      Array.from({ length: clients }, async (_, c) => {
        const kms = new SignedKmsClient(service.url, CREDENTIALS, HISTORY_SCOPES[SCOPE]!.region);
        // Each client moves its own share of the aliases, so the local view of where they point holds.
        const mine = names.filter((_, i) => i % clients === c);
        for (let n = 0; Date.now() < deadline; n++) {
          const keyId = roomy();
          const update = n % 2 === 0 && mine.length > 0;
          const aliasName = update ? mine[Math.floor(random() * mine.length)]! : `alias/lag/${run}/${c}-${n}`;
          const from = aliases.get(aliasName);
          if (from === keyId) continue;
          keys.set(keyId, keys.get(keyId)! + 1);
          if (from) keys.set(from, keys.get(from)! - 1);
          aliases.set(aliasName, keyId);
          const start = performance.now();
          try {
            const { headers } = await kms.callWithHeaders(update ? 'UpdateAlias' : 'CreateAlias', {
              AliasName: aliasName,
              TargetKeyId: keyId,
            });
            const respondedAt = performance.now();
            writeMs.push(respondedAt - start);
            const position = headers['x-aliastrail-position'];
            if (typeof position === 'string') written.push({ position, respondedAt, lagMs: {} });
          } catch {
            failed += 1;
          }
        }
        kms.close();
      }),
    );
    const elapsed = (Date.now() - started) / 1000;
    loading = false;
    await watching;
    const lag = (p: (typeof PROJECTIONS)[number]) =>
      latencyOf(written.flatMap((w) => (w.lagMs[p] === undefined ? [] : [w.lagMs[p]])));
    return {
      startupSeconds,
      clients,
      seconds: elapsed,
      writes: writeMs.length,
      writesPerSecond: writeMs.length / elapsed,
      failed,
      write: latencyOf(writeMs),
      lag: { temporal: lag('temporal'), audit: lag('audit') },
      uncovered: written.filter((w) => PROJECTIONS.some((p) => w.lagMs[p] === undefined)).length,
    };
  } finally {
    loading = false;
    await watching.catch(() => undefined);
    await watcher.end();
    await service.stop();
  }
}

/** Polls until the load is over and every write is covered (or 30 s more have passed). */
async function watch(client: Client, written: Written[], loading: () => boolean): Promise<void> {
  let pending: Written[] = [];
  let seen = 0;
  let drainUntil: number | undefined;
  for (;;) {
    pending.push(...written.slice(seen));
    seen = written.length;
    const unknown = pending.filter((w) => w.transactionId === undefined);
    if (unknown.length > 0) {
      const { rows } = await client.query<{ position: string; transaction_id: string }>(
        'SELECT position::text, transaction_id::text FROM events WHERE position = ANY($1::bigint[])',
        [unknown.map((w) => w.position)],
      );
      const txOf = new Map(rows.map((r) => [r.position, r.transaction_id]));
      for (const w of unknown) w.transactionId = txOf.get(w.position);
    }
    const polledAt = performance.now();
    const { rows } = await client.query<{ name: string; transaction_id: string; position: string }>(
      'SELECT name, transaction_id::text, position::text FROM projection_checkpoints WHERE name = ANY($1)',
      [PROJECTIONS],
    );
    for (const checkpoint of rows) {
      const name = checkpoint.name as (typeof PROJECTIONS)[number];
      for (const w of pending)
        if (w.lagMs[name] === undefined && w.transactionId && covers(checkpoint, w))
          w.lagMs[name] = Math.max(0, polledAt - w.respondedAt);
    }
    pending = pending.filter((w) => PROJECTIONS.some((p) => w.lagMs[p] === undefined));
    if (!loading()) {
      drainUntil ??= performance.now() + 30_000;
      if ((pending.length === 0 && seen === written.length) || performance.now() > drainUntil) return;
    }
    await new Promise((resolve) => setTimeout(resolve, WATCH_INTERVAL_MS));
  }
}

/** (checkpoint transaction id, position) >= (the write's transaction id, position). */
function covers(checkpoint: { transaction_id: string; position: string }, w: Written): boolean {
  const [ct, wt] = [BigInt(checkpoint.transaction_id), BigInt(w.transactionId!)];
  return ct > wt || (ct === wt && BigInt(checkpoint.position) >= BigInt(w.position));
}

/**
 * Where the scope's aliases point and how many each enabled key carries, from the `current` model:
 * the database's own state, right also when it was seeded by an earlier run (BENCH_HISTORY_DATABASE),
 * whose key ids a scenario generated anew does not know.
 */
async function stateOf(url: string): Promise<{ aliases: Map<string, string>; keys: Map<string, number> }> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const scope = HISTORY_SCOPES[SCOPE]!;
    const { rows: aliasRows } = await client.query<{ alias_name: string; key_id: string }>(
      `SELECT alias_name, key_id FROM kms_aliases WHERE account_id = $1 AND region = $2 AND alias_name NOT LIKE 'alias/aws/%'`,
      [scope.accountId, scope.region],
    );
    const { rows: keyRows } = await client.query<{ key_id: string; aliases: number }>(
      `SELECT k.key_id, (SELECT count(*)::int FROM kms_aliases a
                          WHERE (a.account_id, a.region, a.key_id) = (k.account_id, k.region, k.key_id)) AS aliases
         FROM kms_keys k WHERE k.account_id = $1 AND k.region = $2 AND k.key_state = 'Enabled' AND k.key_manager = 'CUSTOMER'`,
      [scope.accountId, scope.region],
    );
    return {
      aliases: new Map(aliasRows.map((r) => [r.alias_name, r.key_id])),
      keys: new Map(keyRows.map((r) => [r.key_id, r.aliases])),
    };
  } finally {
    await client.end();
  }
}
