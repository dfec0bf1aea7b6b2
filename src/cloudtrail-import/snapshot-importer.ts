import { type Kysely, sql } from 'kysely';
import type { Database } from '../database/database.types';
import { appendSnapshot, importedChangeRecords, servedByKmsApi } from '../event-store/queries/imported-records';
import { aliasTag } from '../kms/domain/kms-events';
import { type Finding, type KmsSnapshot, reconcile, replayRecords } from '../kms/domain/observed-snapshot';
import { registerObserved } from '../observed-accounts/observed-accounts';
import { ServedAccountError } from './cloudtrail-importer';

/**
 * Stores a snapshot of an observed account's Region (kms-snapshot.ts) as evidence, under the same
 * rule as imported records (an account the KMS API serves is refused; the account becomes
 * observed), then reconciles it with the records imported so far: the report lists what the two
 * disagree on or what the records lack (observed-snapshot.ts `reconcile`).
 */
export async function importSnapshot(
  db: Kysely<Database>,
  snapshot: KmsSnapshot,
): Promise<{ position: string; findings: Finding[] }> {
  const position = await db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`observed-account:${snapshot.accountId}`}, 0))`.execute(
      trx,
    );
    if (await servedByKmsApi(trx, snapshot.accountId))
      throw new ServedAccountError(
        `account ${snapshot.accountId} is served by the KMS API: an account is either served or observed, never both`,
      );
    await registerObserved(trx, snapshot.accountId);
    const tags = snapshot.aliases.map((a) => aliasTag(snapshot.accountId, snapshot.region, a.aliasName));
    return appendSnapshot(trx, snapshot, snapshot, tags);
  });
  const records = await importedChangeRecords(db, snapshot.accountId, snapshot.region);
  const replay = replayRecords(
    records.map((r) => ({
      at: r.occurred_at,
      position: BigInt(r.position),
      record: JSON.parse(r.record) as Record<string, unknown>,
    })),
  );
  return { position, findings: reconcile(snapshot, replay) };
}
