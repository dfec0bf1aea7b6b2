import type { ColumnType, Generated } from 'kysely';

/** Rows of `events`; see db/migrations/0001_event_store.sql. int8 and xid8 arrive from pg as strings. */
export interface EventsTable {
  position: ColumnType<string, never, never>;
  transaction_id: ColumnType<string, never, never>;
  event_id: string;
  type: string;
  schema_version: number;
  tags: string[];
  data: ColumnType<unknown, string, never>;
  metadata: ColumnType<Record<string, unknown>, string, never>;
  occurred_at: ColumnType<Date, Date, never>;
  recorded_at: Generated<Date>;
}

export interface SchemaMigrationsTable {
  version: string;
  name: string;
  checksum: string;
  applied_at: Generated<Date>;
}

/**
 * Rows of `kms_key_material`; see db/migrations/0014_key_material.sql. Written only by the SQL text of
 * src/kms/material/key-material-sql.ts, inside the event store's transactions.
 */
export interface KmsKeyMaterialTable {
  account_id: string;
  region: string;
  key_id: string;
  version: number;
  wrapped: Buffer;
  created_at: Generated<Date>;
}

export interface Database {
  events: EventsTable;
  schema_migrations: SchemaMigrationsTable;
  kms_key_material: KmsKeyMaterialTable;
}
