import { type Kysely, sql } from 'kysely';
import { quoteLiteral } from '../database/quote-literal';
import type { Database } from '../database/database.types';
import type { TokenRecord } from './issued-token';

/*
 * The SQL of bearer_tokens (db/migrations/0024_bearer_tokens.sql). Writes are SQL text, not queries
 * of their own: the event store sends them in the round trip that appends the event recording them
 * (BearerTokenCreated, BearerTokenRevoked), which cannot carry parameters, so the row commits or
 * rolls back with its event. Their values are therefore quoted literals (quoteLiteral).
 */

interface TokenRow {
  token_id: string;
  access_key_id: string;
  description: string;
  created_at: Date;
  created_by: string;
  expires_at: Date | null;
  revoked_at: Date | null;
  revoked_by: string | null;
}

const COLUMNS = sql.raw(
  'token_id::text, access_key_id, description, created_at, created_by, expires_at, revoked_at, revoked_by',
);

const recordOf = (row: TokenRow): TokenRecord => ({
  tokenId: row.token_id,
  accessKeyId: row.access_key_id,
  description: row.description,
  createdAt: row.created_at,
  createdBy: row.created_by,
  expiresAt: row.expires_at,
  revokedAt: row.revoked_at,
  revokedBy: row.revoked_by,
});

const timeLiteral = (time: Date) => `${quoteLiteral(time.toISOString())}::timestamptz`;

/** One INSERT (no trailing `;`) for the transaction of BearerTokenCreated. */
export function insertTokenSql(token: TokenRecord, digest: Buffer): string {
  return (
    'INSERT INTO bearer_tokens (token_id, token_sha256, access_key_id, description, created_at, created_by, expires_at) ' +
    `VALUES (${quoteLiteral(token.tokenId)}::uuid, decode(${quoteLiteral(digest.toString('hex'))}, 'hex'), ` +
    `${quoteLiteral(token.accessKeyId)}, ${quoteLiteral(token.description)}, ${timeLiteral(token.createdAt)}, ` +
    `${quoteLiteral(token.createdBy)}, ${token.expiresAt ? timeLiteral(token.expiresAt) : 'NULL'})`
  );
}

/** One UPDATE (no trailing `;`) for the transaction of BearerTokenRevoked; a revoked token stays revoked. */
export function revokeTokenSql(tokenId: string, revokedBy: string, revokedAt: Date): string {
  return (
    `UPDATE bearer_tokens SET revoked_at = ${timeLiteral(revokedAt)}, revoked_by = ${quoteLiteral(revokedBy)} ` +
    `WHERE token_id = ${quoteLiteral(tokenId)}::uuid AND revoked_at IS NULL`
  );
}

/** The token whose SHA-256 is `digest`, revoked and expired ones included; undefined when none is. */
export async function findTokenByDigest(db: Kysely<Database>, digest: Buffer): Promise<TokenRecord | undefined> {
  const { rows } = await sql<TokenRow>`SELECT ${COLUMNS} FROM bearer_tokens WHERE token_sha256 = ${digest}`.execute(db);
  return rows[0] && recordOf(rows[0]);
}

/** The token of id `tokenId` (a UUID: see isTokenId); undefined when there is none. */
export async function findTokenById(db: Kysely<Database>, tokenId: string): Promise<TokenRecord | undefined> {
  const { rows } = await sql<TokenRow>`SELECT ${COLUMNS} FROM bearer_tokens WHERE token_id = ${tokenId}::uuid`.execute(
    db,
  );
  return rows[0] && recordOf(rows[0]);
}

/** Every token of a principal, or of all principals, oldest first, revoked and expired ones included. */
export async function listTokens(db: Kysely<Database>, accessKeyId?: string): Promise<TokenRecord[]> {
  const { rows } =
    accessKeyId === undefined
      ? await sql<TokenRow>`SELECT ${COLUMNS} FROM bearer_tokens ORDER BY created_at, token_id`.execute(db)
      : await sql<TokenRow>`
          SELECT ${COLUMNS} FROM bearer_tokens WHERE access_key_id = ${accessKeyId}
           ORDER BY created_at, token_id`.execute(db);
  return rows.map(recordOf);
}

/** Whether the database has the table yet (the CLI migrates nothing: it says to start the service first). */
export async function hasTokenTable(db: Kysely<Database>): Promise<boolean> {
  const { rows } = await sql<{ name: string | null }>`SELECT to_regclass('bearer_tokens')::text AS name`.execute(db);
  return Boolean(rows[0]?.name);
}
