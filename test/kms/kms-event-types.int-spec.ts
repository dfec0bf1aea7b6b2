import { sql } from 'kysely';
import { GRANT_EVENT_TYPES } from '../../src/kms/domain/grant-events';
import { KMS_EVENT_TYPES } from '../../src/kms/domain/kms-events';
import { type TestDatabase, createTestDatabase } from '../support/test-database';

/** The quoted names in a piece of SQL text, in order. */
const quoted = (text: string) => [...text.matchAll(/'([A-Za-z]+)'/g)].map((m) => m[1]!);

describe('the KMS event types: listed once in TypeScript and once in SQL, and checked where SQL writes them out', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  it('kms_event_types() (db/functions/kms_current.sql) is KMS_EVENT_TYPES', async () => {
    const { rows } = await sql<{ types: string[] }>`SELECT kms_event_types() AS types`.execute(database.db);
    expect(rows[0]!.types).toEqual([...KMS_EVENT_TYPES]);
    // The set-based loads tell key events from alias events by name (LIKE 'Key%' / 'Alias%').
    expect(KMS_EVENT_TYPES.every((type) => /^(Key|Alias)[A-Z]/.test(type))).toBe(true);
  });

  // A partial index's predicate cannot call a function whose body may change, and a query finds the
  // index only by a predicate that implies it: the key events stay written out there and in the read.
  it('the partial index of key events and the unit read that uses it name the key events of that list', async () => {
    const keyEvents = KMS_EVENT_TYPES.filter((type) => type.startsWith('Key'));
    const { rows } = await sql<{ index: string; read: string }>`
      SELECT pg_get_expr(i.indpred, i.indrelid) AS index,
             (SELECT prosrc FROM pg_proc WHERE proname = 'kms_lock_and_read') AS read
        FROM pg_index i WHERE i.indexrelid = 'events_key_event_tags_idx'::regclass`.execute(database.db);
    expect(quoted(rows[0]!.index)).toEqual(keyEvents);
    expect(quoted(/type IN \(([^)]*)\)/.exec(rows[0]!.read)![1]!)).toEqual(keyEvents);
  });

  // The time-travel read (src/projections/temporal/keys-at.reader.ts) writes KMS_EVENT_TYPES out in its
  // query; the partial index it needs must name the same list, or the planner cannot use it.
  it('the partial index of key and alias events by scope names every KMS event type', async () => {
    const { rows } = await sql<{ index: string }>`
      SELECT pg_get_expr(i.indpred, i.indrelid) AS index
        FROM pg_index i WHERE i.indexrelid = 'events_kms_scope_time_idx'::regclass`.execute(database.db);
    expect(quoted(rows[0]!.index)).toEqual([...KMS_EVENT_TYPES]);
  });

  // The audit view lists the call events whose records it builds: every KMS event but KeyDeleted,
  // which only the deletion scheduler writes (a service event, chosen by its invokedBy above it), and
  // every grant event.
  it('the audit view names every KMS event type a call can leave', async () => {
    const { rows } = await sql<{ view: string }>`SELECT pg_get_viewdef('audit_event_parts'::regclass) AS view`.execute(
      database.db,
    );
    // PostgreSQL 16 and later print a one-table view's columns unqualified (no `e.`).
    const listed = /ELSE \(\((?:e\.)?type = ANY \(ARRAY\[([^\]]*)\]/.exec(rows[0]!.view);
    expect(listed).not.toBeNull();
    expect(new Set(quoted(listed![1]!.replace(/::text/g, '')))).toEqual(
      new Set([...KMS_EVENT_TYPES.filter((type) => type !== 'KeyDeleted'), ...GRANT_EVENT_TYPES]),
    );
  });

  // The grants model's trigger and replay (db/functions/kms_grants.sql) apply the grant events and KeyDeleted.
  it('the grants trigger and replay name the grant events and KeyDeleted', async () => {
    const { rows } = await sql<{ trigger: string; replay: string }>`
      SELECT pg_get_triggerdef(t.oid) AS trigger, (SELECT prosrc FROM pg_proc WHERE proname = 'kms_grants_replay') AS replay
        FROM pg_trigger t WHERE t.tgname = 'kms_grants_apply'`.execute(database.db);
    const expected = [...GRANT_EVENT_TYPES, 'KeyDeleted'];
    expect(new Set(quoted(/WHEN \((.*)\)/.exec(rows[0]!.trigger)![1]!.replace(/::text/g, '')))).toEqual(
      new Set(expected),
    );
    expect(quoted(/type IN \(([^)]*)\)/.exec(rows[0]!.replay)![1]!)).toEqual(expected);
  });
});
