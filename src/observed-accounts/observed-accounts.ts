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

/** The event times an import's records of one account and Region span. */
export interface EvidenceRange {
  readonly accountId: string;
  readonly region: string;
  readonly first: Date;
  readonly last: Date;
}

/** What an observed account's evidence covers in a Region, as answers say it. */
export interface Evidence {
  readonly evidenceFrom: Date;
  readonly evidenceTo: Date;
}

/** Widens what the evidence of each account and Region covers (import's transaction, after registerObserved). */
export async function widenEvidence(db: Kysely<Database>, ranges: readonly EvidenceRange[]): Promise<void> {
  if (ranges.length === 0) return;
  await sql`
    INSERT INTO observed_evidence AS e (account_id, region, first_event, last_event)
    SELECT * FROM unnest(${ranges.map((r) => r.accountId)}::text[], ${ranges.map((r) => r.region)}::text[],
                         ${ranges.map((r) => r.first.toISOString())}::timestamptz[],
                         ${ranges.map((r) => r.last.toISOString())}::timestamptz[])
    ON CONFLICT (account_id, region) DO UPDATE
       SET first_event = least(e.first_event, excluded.first_event),
           last_event = greatest(e.last_event, excluded.last_event)`.execute(db);
}

/** Every observed account. */
export async function observedAccountIds(db: Kysely<Database>): Promise<Set<string>> {
  const { rows } = await sql<{ account_id: string }>`SELECT account_id FROM observed_accounts`.execute(db);
  return new Set(rows.map((row) => row.account_id));
}

/**
 * Which accounts are observed (their events come from imported CloudTrail records, design §11), for
 * the KMS API, which refuses to write to them. An account once observed stays so, and is known at
 * once after; until then a write asks the table each time (one primary-key probe), and anything
 * else believes a list read at most every few seconds, since an import (another process) may add one.
 */
@Injectable()
export class ObservedAccounts {
  private known = new Set<string>();
  private readAt = Number.NEGATIVE_INFINITY;
  private reading: Promise<void> | undefined;

  constructor(@Inject(KYSELY) private readonly db: Kysely<Database>) {}

  /**
   * What the evidence of an observed account covers in a Region: undefined for a served account; for
   * an observed Region with no records yet, null. Asked of the tables each time (two primary-key
   * probes, one statement), not of the cached list: an answer must not call an account served for
   * the seconds after an import made it observed.
   */
  async evidence(accountId: string, region: string): Promise<Evidence | null | undefined> {
    if (this.known.has(accountId)) return this.evidenceRow(accountId, region);
    const { rows } = await sql<{ observed: boolean; first_event: Date | null; last_event: Date | null }>`
      SELECT EXISTS (SELECT 1 FROM observed_accounts WHERE account_id = ${accountId}) AS observed,
             e.first_event, e.last_event
        FROM (SELECT 1) one
        LEFT JOIN observed_evidence e ON (e.account_id, e.region) = (${accountId}, ${region})`.execute(this.db);
    const row = rows[0]!;
    if (!row.observed) return undefined;
    this.known.add(accountId);
    return row.first_event && row.last_event ? { evidenceFrom: row.first_event, evidenceTo: row.last_event } : null;
  }

  private async evidenceRow(accountId: string, region: string): Promise<Evidence | null> {
    const { rows } = await sql<{ first_event: Date; last_event: Date }>`
      SELECT first_event, last_event FROM observed_evidence
       WHERE account_id = ${accountId} AND region = ${region}`.execute(this.db);
    const row = rows[0];
    return row ? { evidenceFrom: row.first_event, evidenceTo: row.last_event } : null;
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
