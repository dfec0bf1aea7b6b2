import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  CancelKeyDeletionCommand,
  CreateAliasCommand,
  CreateKeyCommand,
  DeleteAliasCommand,
  type KMSClient,
  ScheduleKeyDeletionCommand,
  UpdateAliasCommand,
} from '@aws-sdk/client-kms';
import fc from 'fast-check';
import { type Kysely, sql } from 'kysely';
import { exportCloudTrail } from '../../src/cloudtrail-export/cloudtrail-export';
import { importCloudTrail } from '../../src/cloudtrail-import/cloudtrail-importer';
import { listCloudTrailFiles } from '../../src/cloudtrail-import/cloudtrail-files';
import { createKysely, createPool } from '../../src/database/create-database';
import type { Database } from '../../src/database/database.types';
import { AuditEventsReader } from '../../src/projections/audit/audit-events.reader';
import { queryApi } from '../support/query-client';
import { type KmsTestApp, startKmsApp } from '../support/kms-test-app';
import { clockRequest } from '../support/controllable-clock';

const RUNS = Number(process.env.ROUND_TRIP_RUNS ?? 3);
/** Accounts to draw from: each run (and each of fast-check's shrinking attempts) needs a fresh one. */
const ACCOUNTS = 30;
const REGION = 'us-east-1';
const ALIASES = ['alias/rt-a', 'alias/rt-b', 'alias/rt-c'];
const principal = (i: number) => ({
  accessKeyId: `AKIAROUNDTRIP000${String(i).padStart(2, '0')}0`,
  secretAccessKey: `round-trip-secret-${String(i).padStart(2, '0')}-00000000000000000000`,
  accountId: `5000000000${String(i).padStart(2, '0')}`,
  arn: `arn:aws:iam::5000000000${String(i).padStart(2, '0')}:user/Operator`,
  userName: 'Operator',
  policies: [{ Statement: { Effect: 'Allow', Action: ['kms:*', 'aliastrail:*'], Resource: '*' } }],
});

type Command =
  | { op: 'createKey' }
  | { op: 'createAlias' | 'updateAlias'; alias: number; key: number }
  | { op: 'deleteAlias'; alias: number }
  | { op: 'scheduleDeletion' | 'cancelDeletion'; key: number }
  | { op: 'waitDays'; days: number };

const command: fc.Arbitrary<Command> = fc.oneof(
  { arbitrary: fc.constant({ op: 'createKey' as const }), weight: 2 },
  {
    arbitrary: fc.record({
      op: fc.constantFrom('createAlias' as const, 'updateAlias' as const),
      alias: fc.nat(ALIASES.length - 1),
      key: fc.nat(9),
    }),
    weight: 5,
  },
  { arbitrary: fc.record({ op: fc.constant('deleteAlias' as const), alias: fc.nat(ALIASES.length - 1) }), weight: 1 },
  {
    arbitrary: fc.record({
      op: fc.constantFrom('scheduleDeletion' as const, 'cancelDeletion' as const),
      key: fc.nat(9),
    }),
    weight: 1,
  },
  { arbitrary: fc.record({ op: fc.constant('waitDays' as const), days: fc.integer({ min: 1, max: 9 }) }), weight: 1 },
);

/** CloudTrail dates records to the second: a time as a record of it shows it. */
const toSecond = (iso: string | null) => (iso === null ? null : `${iso.slice(0, 19)}.000Z`);

/**
 * The round trip as proof (issue 16): the KMS API driven through a random history, its audit trail
 * exported as CloudTrail log files, imported into a fresh database as an observed account; every
 * point-in-time answer, history and diff of the customer's aliases then equals the original's, at
 * the precision CloudTrail records (whole seconds: the original is asked at the end of a second).
 */
describe('export cloudtrail, then import cloudtrail: the same alias history', () => {
  let source: KmsTestApp;
  let target: KmsTestApp;
  let targetDb: Kysely<Database>;
  let root: string;
  let run = 0;
  /** How the compared versions ended: the test compares real histories, not empty ones. */
  const endings = new Set<string>();

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'aliastrail-round-trip-'));
    const principals = path.join(root, 'principals.json');
    fs.writeFileSync(
      principals,
      JSON.stringify({ principals: Array.from({ length: ACCOUNTS }, (_, i) => principal(i)) }),
    );
    const env = { ALIASTRAIL_PRINCIPALS_FILE: principals, ALIASTRAIL_POLL_INTERVAL_MS: '20' };
    // Days pass in a history (key deletions), on a clock the test moves, which the time cap would refuse.
    source = await startKmsApp({ ...env, ALIASTRAIL_CLOCK: 'controllable', ALIASTRAIL_EVENT_TIME_CAP_MS: '0' });
    target = await startKmsApp(env);
    targetDb = createKysely(createPool(target.database.url, { max: 1, idleTransactionTimeoutMs: 30_000 }));
  });
  afterAll(async () => {
    await targetDb.destroy();
    await source.close();
    await target.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  const advance = (seconds: number) =>
    clockRequest(source.url, seconds).then((r) => r.json() as Promise<{ now: number }>);

  async function play(client: KMSClient, commands: readonly Command[]): Promise<void> {
    const keys: string[] = [];
    const key = (i: number) => keys[i % keys.length]!;
    for (const c of commands) {
      // Changes at least a second apart: CloudTrail's times are whole seconds.
      await advance(c.op === 'waitDays' ? c.days * 86_400 : 1 + Math.random() * 120);
      if (c.op !== 'createKey' && c.op !== 'waitDays' && keys.length === 0) continue;
      // Refusals are part of the history too: failed calls are recorded and must change nothing.
      await (async () => {
        if (c.op === 'createKey') keys.push((await client.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!);
        else if (c.op === 'createAlias')
          await client.send(new CreateAliasCommand({ AliasName: ALIASES[c.alias], TargetKeyId: key(c.key) }));
        else if (c.op === 'updateAlias')
          await client.send(new UpdateAliasCommand({ AliasName: ALIASES[c.alias], TargetKeyId: key(c.key) }));
        else if (c.op === 'deleteAlias') await client.send(new DeleteAliasCommand({ AliasName: ALIASES[c.alias] }));
        else if (c.op === 'scheduleDeletion')
          await client.send(new ScheduleKeyDeletionCommand({ KeyId: key(c.key), PendingWindowInDays: 7 }));
        else if (c.op === 'cancelDeletion') await client.send(new CancelKeyDeletionCommand({ KeyId: key(c.key) }));
      })().catch(() => undefined);
    }
  }

  /** Until the audit projection has every event of the log. */
  async function auditCaughtUp(): Promise<void> {
    for (let i = 0; i < 400; i++) {
      const { rows } = await sql<{ done: boolean }>`
        SELECT (SELECT position FROM projection_checkpoints WHERE name = 'audit')
               >= (SELECT coalesce(max(position), 0) FROM events) AS done`.execute(source.database.db);
      if (rows[0]?.done) return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error('the audit projection did not catch up');
  }

  const ask = async (app: KmsTestApp, who: ReturnType<typeof principal>, pathAndQuery: string) => {
    const separator = pathAndQuery.includes('?') ? '&' : '?';
    return queryApi(app.url, `/api/regions/${REGION}/${pathAndQuery}${separator}waitForPosition=latest`, {
      credentials: who,
      region: REGION,
    });
  };

  it('gives every alias the same history, the same target at every second, and the same diffs', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 8, maxLength: 30 }), async (commands) => {
        if (run === ACCOUNTS) throw new Error('out of fresh accounts (shrinking): see the first failure');
        const who = principal(run++);
        // Every history starts with a retarget and a key deletion (its aliases go with it), then goes its own way.
        const opening: Command[] = [
          { op: 'createKey' },
          { op: 'createAlias', alias: 0, key: 0 },
          { op: 'createKey' },
          { op: 'updateAlias', alias: 0, key: 1 },
          { op: 'scheduleDeletion', key: 1 },
          { op: 'waitDays', days: 8 },
        ];
        await play(source.client({ region: REGION, ...who }), [...opening, ...commands]);
        await auditCaughtUp();
        const dir = path.join(root, `export-${who.accountId}`);
        const exported = await exportCloudTrail(new AuditEventsReader(source.database.db), dir, {
          accountId: who.accountId,
        });
        expect(exported.records).toBeGreaterThan(0);
        const summary = await importCloudTrail(targetDb, await listCloudTrailFiles([dir]));
        expect(summary.files.failed).toBe(0);

        const times = new Set<string>();
        for (const alias of ALIASES) {
          const [original, observed] = await Promise.all([
            ask(source, who, `alias/history?name=${alias}`),
            ask(target, who, `alias/history?name=${alias}`),
          ]);
          type Version = { targetKeyId: string; validFrom: string; validTo: string | null; endedReason: string };
          const shape = (versions: Version[], round: boolean) =>
            versions.map((v) => ({
              targetKeyId: v.targetKeyId,
              validFrom: round ? toSecond(v.validFrom) : v.validFrom,
              validTo: round ? toSecond(v.validTo) : v.validTo,
              endedReason: v.endedReason,
            }));
          expect(shape(observed.body.versions, false)).toEqual(shape(original.body.versions, true));
          for (const v of original.body.versions as Version[]) {
            if (v.endedReason) endings.add(v.endedReason);
            times.add(v.validFrom);
            if (v.validTo) times.add(v.validTo);
          }
        }
        // The end of every second a change happened in, and of the seconds before them.
        const seconds = [...times].flatMap((t) => {
          const s = Math.floor(Date.parse(t) / 1000) * 1000;
          return [new Date(s - 1).toISOString(), new Date(s + 999).toISOString()];
        });
        const evidenceFrom = (await ask(target, who, `alias/history?name=${ALIASES[0]}`)).body.observed.evidenceFrom;
        const asked = seconds.filter((t) => t >= evidenceFrom).sort();
        for (const at of asked)
          for (const alias of ALIASES) {
            const [original, observed] = await Promise.all([
              ask(source, who, `alias?name=${alias}&at=${at}`),
              ask(target, who, `alias?name=${alias}&at=${at}`),
            ]);
            expect([alias, at, observed.status, observed.body.alias?.targetKeyId]).toEqual([
              alias,
              at,
              original.status,
              original.body.alias?.targetKeyId,
            ]);
          }
        for (let i = 1; i < asked.length; i++) {
          const query = `diff?from=${asked[i - 1]}&to=${asked[i]}`;
          const [original, observed] = await Promise.all([ask(source, who, query), ask(target, who, query)]);
          const customer = (changes: { aliasName: string }[]) => changes.filter((c) => ALIASES.includes(c.aliasName));
          expect(customer(observed.body.changes)).toEqual(customer(original.body.changes));
        }
      }),
      { numRuns: RUNS },
    );
    expect([...endings]).toEqual(expect.arrayContaining(['retargeted', 'key-deleted']));
  });
});
