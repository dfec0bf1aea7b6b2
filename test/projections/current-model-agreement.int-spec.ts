import * as fc from 'fast-check';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../src/database/database.types';
import { EventStore } from '../../src/event-store/event-store';
import type { NewEvent } from '../../src/event-store/event.types';
import { KMS_EVENT_TYPES, type KmsEvent } from '../../src/kms/domain/kms-events';
import { type KmsState, foldKms } from '../../src/kms/domain/kms-state';
import { loadCurrent } from '../../src/event-store/queries/current-load';
import { kmsHistory } from '../support/rebuild-history';
import { type TestDatabase, createTestDatabase } from '../support/test-database';

type Row = Record<string, unknown>;

const iso = (date: Date | undefined) => (date === undefined ? null : date.toISOString());
const byText = (field: string) => (a: Row, b: Row) => (String(a[field]) < String(b[field]) ? -1 : 1);

/** The rotations kms_keys lists of a key (ListKeyRotations): the fold keeps their count and version only. */
function rotationsOf(events: readonly NewEvent[], keyId: string) {
  return events
    .filter((e) => e.type === 'KeyMaterialRotated' && (e.data as { keyId: string }).keyId === keyId)
    .map((e) => {
      const d = e.data as { keyMaterialId: string; rotationType: string };
      return {
        KeyMaterialId: d.keyMaterialId,
        RotationDate: e.occurredAt.getTime() / 1000,
        RotationType: d.rotationType,
      };
    });
}

/** The `current` rows of one account as the domain's fold sees them (last_event_at is the store's). */
function rowsOfFold(state: KmsState, scope: { accountId: string; region: string }, events: readonly NewEvent[]) {
  const keys = [...state.keys.values()].map((k) => ({
    account_id: k.accountId,
    region: k.region,
    key_id: k.keyId,
    key_spec: k.keySpec,
    key_usage: k.keyUsage,
    key_manager: k.keyManager,
    origin: k.origin,
    description: k.description,
    key_state: k.keyState,
    creation_date: iso(k.creationDate),
    deletion_date: iso(k.deletionDate),
    pending_window_in_days: k.pendingWindowInDays ?? null,
    tags: k.tags,
    policy: k.policy ?? null,
    rotation_period_in_days: k.rotationPeriodInDays ?? null,
    next_rotation_date: iso(k.nextRotationDate),
    material_version: k.materialVersion,
    rotations: rotationsOf(events, k.keyId),
  }));
  const aliases = [...state.aliases.values()].map((a) => ({
    account_id: scope.accountId,
    region: scope.region,
    alias_name: a.aliasName,
    key_id: a.keyId,
    creation_date: iso(a.creationDate),
    last_updated_date: iso(a.lastUpdatedDate),
  }));
  const aliasesOfKeys = Object.fromEntries([...state.keys.values()].map((k) => [k.keyId, [...k.aliases].sort()]));
  return { keys: keys.sort(byText('key_id')), aliases: aliases.sort(byText('alias_name')), aliasesOfKeys };
}

/** The rows of kms_keys and kms_aliases the search_path finds first, for one account. */
async function rowsOfTables(db: Kysely<Database>, accountId: string) {
  const read = async (table: string, order: string) =>
    (await sql<Row>`SELECT * FROM ${sql.table(table)} WHERE account_id = ${accountId}`.execute(db)).rows
      .map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v instanceof Date ? iso(v) : v])))
      .sort(byText(order));
  return { keys: await read('kms_keys', 'key_id'), aliases: await read('kms_aliases', 'alias_name') };
}

/** What the set-based load builds from the whole log, in temporary tables that hide the live ones. */
async function rowsOfLoad(db: Kysely<Database>, accountId: string) {
  return db.transaction().execute(async (trx) => {
    await sql`CREATE TEMP TABLE kms_keys (LIKE public.kms_keys INCLUDING ALL) ON COMMIT DROP`.execute(trx);
    await sql`CREATE TEMP TABLE kms_aliases (LIKE public.kms_aliases INCLUDING ALL) ON COMMIT DROP`.execute(trx);
    // As a rebuild sets its shadow first (projection-rebuild.ts): a search_path of its own is what makes
    // the PL/pgSQL the load calls (kms_key_metadata_apply) plan again, for these tables, not the live ones.
    await sql`SET LOCAL search_path = pg_temp, public`.execute(trx);
    const { rows } = await sql<{ tx: string; pos: string }>`
      SELECT transaction_id::text AS tx, position::text AS pos FROM events
       ORDER BY transaction_id DESC, position DESC LIMIT 1`.execute(trx);
    await loadCurrent(trx, { transactionId: BigInt(rows[0]!.tx), position: BigInt(rows[0]!.pos) });
    return rowsOfTables(trx, accountId);
  });
}

const isKmsEvent = (event: NewEvent) => (KMS_EVENT_TYPES as readonly string[]).includes(event.type);

// The `current` model's rules are written three times: the domain's fold (foldKms), the trigger
// (db/functions/kms_current.sql) and the rebuild's set-based load (current-load.ts). They must agree.
describe('the current model: foldKms, the trigger-maintained tables and the set-based load agree', () => {
  let database: TestDatabase;
  let store: EventStore;
  let account = 500000000000;
  beforeAll(async () => {
    database = await createTestDatabase();
    store = new EventStore(database.pool, database.db);
  });
  afterAll(() => database.drop());

  it('on random histories', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 1, max: 12 }),
        async (seed, units, aliasNames) => {
          const scope = { accountId: String(account++), region: 'eu-west-1' };
          const history = kmsHistory({ seed, units, aliasNames, ...scope });
          // Several units a transaction, as group commit makes them.
          for (let u = 0; u < history.length; u += 7) await store.append(history.slice(u, u + 7).flat());

          const timed = history.flat().filter(isKmsEvent);
          const fold = rowsOfFold(
            foldKms(
              timed.map((e) => ({ event: { type: e.type, data: e.data } as KmsEvent, occurredAt: e.occurredAt })),
            ),
            scope,
            timed,
          );
          const live = await rowsOfTables(database.db, scope.accountId);
          // last_event_at is the store's summary of a key's stream; foldKms keeps one latest time a unit.
          expect(live.keys.map(({ last_event_at: _at, ...key }) => key)).toEqual(fold.keys);
          expect(live.aliases).toEqual(fold.aliases);
          const pointing = Object.fromEntries(
            fold.keys.map((k) => [
              k.key_id,
              live.aliases
                .filter((a) => a.key_id === k.key_id)
                .map((a) => String(a.alias_name))
                .sort(),
            ]),
          );
          expect(pointing).toEqual(fold.aliasesOfKeys);
          expect(await rowsOfLoad(database.db, scope.accountId)).toEqual(live);
        },
      ),
      { numRuns: 25 },
    );
  });
});
