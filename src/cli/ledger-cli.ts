import { type Kysely, sql } from 'kysely';
import type { Database } from '../database/database.types';
import { UsageError } from './rebuild.command';

/** verify and export change nothing, migrations included: without the ledger's tables they stop and say why. */
export async function assertLedgerTables(db: Kysely<Database>): Promise<void> {
  const { rows } = await sql<{ ledger: string | null }>`SELECT to_regclass('ledger')::text AS ledger`.execute(db);
  if (!rows[0]?.ledger)
    throw new UsageError('this database has no ledger yet: start the service once, or run npm run db:migrate');
}

export function workersOption(text: string, usage: string): number {
  const workers = Number(text);
  if (!Number.isInteger(workers) || workers < 0 || workers > 16)
    throw new UsageError(`${usage}\n  --workers: threads that read and hash, 0 (none: this thread) to 16`);
  return workers;
}
