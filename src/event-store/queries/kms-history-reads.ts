import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Database } from '../../database/database.types';

/** An event as the time-travel reads fold it. */
export interface TypedEventRow {
  readonly type: string;
  readonly data: unknown;
  readonly occurred_at: Date;
}

/**
 * Event types written into the statement as literals, not bound: the partial index
 * events_kms_scope_time_idx (db/migrations/0019) serves a query only when the planner can prove the
 * query's list implies the index's, which it cannot do for a parameter. Types are code constants;
 * the check keeps anything else out of the SQL text all the same.
 */
function typeList(types: readonly string[]): RawBuilder<unknown> {
  if (types.length === 0 || !types.every((type) => /^[A-Za-z][A-Za-z0-9]*$/.test(type)))
    throw new Error('event types are names');
  return sql.raw(types.map((type) => `'${type}'`).join(', '));
}

/**
 * The events of these types of an account and Region (data.accountId, data.region) whose time is at
 * or before `at`, in log order. With the KMS event types, through the partial index of those events
 * (an Encrypt's record is not among them). In the event store, which owns every statement on
 * `events`; the keys-at reader (projections/temporal) folds them.
 */
export async function eventsInScopeUntil(
  db: Kysely<Database>,
  types: readonly string[],
  scope: { readonly accountId: string; readonly region: string },
  at: Date,
): Promise<TypedEventRow[]> {
  const { rows } = await sql<TypedEventRow>`
    SELECT type, data, occurred_at FROM events
     WHERE type IN (${typeList(types)})
       AND data->>'accountId' = ${scope.accountId} AND data->>'region' = ${scope.region}
       AND occurred_at <= ${at}
     ORDER BY transaction_id, position`.execute(db);
  return rows;
}

/** The events of these types under a consistency tag (a stream) up to `at`, in log order. */
export async function eventsOfTagUntil(
  db: Kysely<Database>,
  types: readonly string[],
  tag: string,
  at: Date,
): Promise<TypedEventRow[]> {
  const { rows } = await sql<TypedEventRow>`
    SELECT type, data, occurred_at FROM events
     WHERE tags @> ARRAY[${tag}]::text[] AND type IN (${typeList(types)}) AND occurred_at <= ${at}
     ORDER BY transaction_id, position`.execute(db);
  return rows;
}
