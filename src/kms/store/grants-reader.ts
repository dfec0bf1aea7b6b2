import { Inject, Injectable } from '@nestjs/common';
import { type Kysely, sql } from 'kysely';
import { KYSELY } from '../../database/database.tokens';
import type { Database } from '../../database/database.types';
import type { GrantConstraints } from '../domain/grant-events';
import type { Scope } from '../domain/identifiers';

/** A row of kms_grants (db/migrations/0016_kms_grants.sql). */
export interface GrantRow {
  grant_id: string;
  key_id: string;
  seq: string;
  name: string | null;
  grantee_principal: string;
  retiring_principal: string | null;
  operations: string[];
  constraints: GrantConstraints | null;
  creation_date: Date;
}

/** Which grants a listing pages through, in creation order after `after` (a row's seq). */
export type GrantFilter =
  | { readonly keyId: string; readonly grantId?: string; readonly granteePrincipal?: string }
  | { readonly retiringPrincipal: string };

/** Reads of kms_grants, which the grant events and KeyDeleted maintain in their own transactions. */
@Injectable()
export class GrantsReader {
  constructor(@Inject(KYSELY) private readonly db: Kysely<Database>) {}

  /** A live grant by id, on whatever key: RetireGrant by token finds its key so. */
  async grant(scope: Scope, grantId: string): Promise<GrantRow | undefined> {
    const { rows } = await sql<GrantRow>`
      SELECT * FROM kms_grants
       WHERE account_id = ${scope.accountId} AND region = ${scope.region} AND grant_id = ${grantId}`.execute(this.db);
    return rows[0];
  }

  async grants(scope: Scope, filter: GrantFilter, options: { after?: string; limit: number }): Promise<GrantRow[]> {
    const where =
      'keyId' in filter
        ? sql`key_id = ${filter.keyId}
              ${filter.grantId === undefined ? sql`` : sql`AND grant_id = ${filter.grantId}`}
              ${filter.granteePrincipal === undefined ? sql`` : sql`AND grantee_principal = ${filter.granteePrincipal}`}`
        : sql`retiring_principal = ${filter.retiringPrincipal}`;
    const { rows } = await sql<GrantRow>`
      SELECT * FROM kms_grants
       WHERE account_id = ${scope.accountId} AND region = ${scope.region} AND ${where}
         ${options.after === undefined ? sql`` : sql`AND seq > ${options.after}::bigint`}
       ORDER BY seq LIMIT ${options.limit}`.execute(this.db);
    return rows;
  }
}
