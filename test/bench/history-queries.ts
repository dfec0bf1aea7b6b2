import { sql } from 'kysely';
import { createKysely, createPool } from '../../src/database/create-database';
import { AuditEventsReader } from '../../src/projections/audit/audit-events.reader';
import { TemporalAliasesReader } from '../../src/projections/temporal/temporal-aliases.reader';
import { HISTORY_SCOPES, callersOf, pick, randomFrom } from './history-callers';
import type { HistoryScenario } from './history-scenario';
import { type Latency, latencyOf, sampleLatency } from './latency-samples';

export interface QueryRow {
  readonly query: string;
  readonly latency: Latency;
  /** What a sample returned on average (aliases found, rows of a page). */
  readonly meanRows: number;
}

const LISTING_PAGE = 1000;
/** The query APIs ask one row more than a page holds, to know whether another page follows. */
const PAGE = 100;
const DAY_MS = 86_400_000;

/**
 * The read side at size, one client, random samples: the temporal and audit readers exactly as the
 * query APIs call them (each question its own snapshot, a page asking for one row more than
 * it shows), at times drawn across the whole history, and two baselines on the same
 * database in the same run: a point lookup of one event by position, and a sequential scan of the
 * events table.
 */
export async function benchQueries(
  url: string,
  scenario: HistoryScenario,
  samples: number,
): Promise<{ rows: QueryRow[]; seqScanMs: number }> {
  const pool = createPool(url, { max: 4, idleTransactionTimeoutMs: 60_000, applicationName: 'bench-queries' });
  const db = createKysely(pool);
  // As the service wires it: the reader's prepared statements on a pool of their own (GENERIC_PLAN_POOL).
  const genericPlanPool = createPool(url, {
    max: 2,
    idleTransactionTimeoutMs: 60_000,
    applicationName: 'bench-queries',
    planCacheMode: 'force_generic_plan',
  });
  const temporal = new TemporalAliasesReader(db, genericPlanPool);
  const audit = new AuditEventsReader(db);
  const random = randomFrom(7);
  const names = HISTORY_SCOPES.map((_, s) => scenario.aliasNames(s));
  const users = HISTORY_SCOPES.map((scope) => callersOf(scope.accountId).map((c) => c.principal.userName));
  const span = scenario.end.getTime() - scenario.start.getTime();
  const anyTime = () => new Date(scenario.start.getTime() + Math.floor(random() * span));
  const anyAlias = () => {
    const s = Math.floor(random() * HISTORY_SCOPES.length);
    return { scope: HISTORY_SCOPES[s]!, name: pick(random, names[s]!) };
  };
  const rows: QueryRow[] = [];
  const run = async (query: string, count: number, operation: () => Promise<number>) => {
    let returned = 0;
    const latency = await sampleLatency(count, async (i) => {
      const n = await operation();
      if (i >= 0) returned += n;
    });
    rows.push({ query, latency, meanRows: returned / count });
  };
  try {
    const { rows: head } = await sql<{ max: string }>`SELECT max(position)::text AS max FROM events`.execute(db);
    const maxPosition = Number(head[0]!.max);
    await run('baseline: one event by position', samples, async () => {
      const position = 1 + Math.floor(random() * maxPosition);
      const { rows: found } = await sql`SELECT * FROM events WHERE position = ${position}`.execute(db);
      return found.length;
    });
    await run('alias at T (snapshot, as the API)', samples, async () => {
      const { scope, name } = anyAlias();
      return (await temporal.aliasAt(scope, name, anyTime())).answer ? 1 : 0;
    });
    await run('page of 100 aliases at T (snapshot)', samples, async () => {
      const { scope, name } = anyAlias();
      return (await temporal.aliasesAt(scope, anyTime(), { after: name, limit: PAGE + 1 })).answer.length;
    });
    await run(`all aliases of a scope at T (pages of ${LISTING_PAGE})`, Math.max(5, Math.round(samples / 50)), () =>
      listAll(temporal, anyAlias().scope, anyTime()),
    );
    await run('audit page by alias (100, newest first)', samples, async () => {
      const { scope, name } = anyAlias();
      const search = { resources: [name], order: 'newest' as const, limit: PAGE + 1 };
      return (await audit.snapshot((r) => r.search(scope, search))).length;
    });
    await run('audit page by user + 30-day range (100)', samples, async () => {
      const s = Math.floor(random() * HISTORY_SCOPES.length);
      const startTime = anyTime();
      const search = {
        username: pick(random, users[s]!),
        startTime,
        endTime: new Date(startTime.getTime() + 30 * DAY_MS),
        order: 'newest' as const,
        limit: PAGE + 1,
      };
      return (await audit.snapshot((r) => r.search(HISTORY_SCOPES[s]!, search))).length;
    });
    return { rows, seqScanMs: await seqScan(db) };
  } finally {
    await Promise.all([db.destroy(), genericPlanPool.end()]);
  }
}

/** Every alias of the scope at `at`, page after page, each page in its own snapshot (a client paging the API). */
async function listAll(temporal: TemporalAliasesReader, scope: (typeof HISTORY_SCOPES)[number], at: Date) {
  let after: string | undefined;
  let count = 0;
  for (;;) {
    const { answer: page } = await temporal.aliasesAt(scope, at, { after, limit: LISTING_PAGE + 1 });
    count += Math.min(page.length, LISTING_PAGE);
    if (page.length <= LISTING_PAGE) return count;
    after = page[LISTING_PAGE - 1]!.aliasName;
  }
}

/** The median of three full sequential scans of the events table (index scans off, so it reads the heap). */
async function seqScan(db: ReturnType<typeof createKysely>): Promise<number> {
  const ms: number[] = [];
  for (let i = 0; i < 3; i++)
    await db.transaction().execute(async (trx) => {
      await sql`SET LOCAL enable_indexonlyscan = off`.execute(trx);
      await sql`SET LOCAL enable_bitmapscan = off`.execute(trx);
      const start = process.hrtime.bigint();
      await sql`SELECT count(*) FROM events`.execute(trx);
      ms.push(Number(process.hrtime.bigint() - start) / 1e6);
    });
  return latencyOf(ms).p50Ms;
}
