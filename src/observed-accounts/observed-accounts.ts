import { Inject, Injectable } from '@nestjs/common';
import { type Kysely, sql } from 'kysely';
import { KYSELY } from '../database/database.tokens';
import type { Database } from '../database/database.types';

/** How long an answer "not observed" is believed before the table is asked again. */
const RECHECK_MS = 5_000;

/** Registers an account as observed (import's transaction); refuses none, a second time is a no-op. */
export async function registerObserved(db: Kysely<Database>, accountId: string): Promise<void> {
  await sql`INSERT INTO observed_accounts (account_id) VALUES (${accountId}) ON CONFLICT DO NOTHING`.execute(db);
}

/** Every observed account. */
export async function observedAccountIds(db: Kysely<Database>): Promise<Set<string>> {
  const { rows } = await sql<{ account_id: string }>`SELECT account_id FROM observed_accounts`.execute(db);
  return new Set(rows.map((row) => row.account_id));
}

/**
 * Which accounts are observed (their events come from imported CloudTrail records,
 * docs/history-model.md#observed-accounts), for the KMS API, which refuses to write to them. An account
 * once observed stays so, and is known at once after; until then a write asks the table each time (one
 * primary-key probe), and anything else believes a list read at most every few seconds, since an import
 * (another process) may add one.
 */
@Injectable()
export class ObservedAccounts {
  private known = new Set<string>();
  private readAt = Number.NEGATIVE_INFINITY;
  private reading: Promise<void> | undefined;

  constructor(@Inject(KYSELY) private readonly db: Kysely<Database>) {}

  /**
   * Whether an account is observed, asked of the table unless already known (a primary-key probe):
   * an answer must not call an account served in the seconds after an import made it observed.
   */
  isObservedNow(accountId: string): Promise<boolean> {
    return this.isObserved(accountId, true);
  }

  /** `fresh`: ask the table now unless already known (before a write). */
  async isObserved(accountId: string, fresh = false, now = Date.now()): Promise<boolean> {
    if (this.known.has(accountId)) return true;
    if (fresh) {
      const { rows } = await sql<{ found: boolean }>`
        SELECT EXISTS (SELECT 1 FROM observed_accounts WHERE account_id = ${accountId}) AS found`.execute(this.db);
      if (rows[0]!.found) this.known.add(accountId);
      return rows[0]!.found;
    }
    if (now - this.readAt >= RECHECK_MS) {
      this.reading ??= observedAccountIds(this.db)
        .then((ids) => {
          this.known = ids;
          this.readAt = now;
        })
        .finally(() => (this.reading = undefined));
      await this.reading;
    }
    return this.known.has(accountId);
  }
}
