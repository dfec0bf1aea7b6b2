/** Injection token of the shared `Kysely<Database>`. */
export const KYSELY = 'aliastrail.kysely';
/** Injection token of the pg `Pool` behind it. */
export const PG_POOL = 'aliastrail.pg-pool';
/** Injection token of the connection string (for the LISTEN connection, which lives outside the pool). */
export const DATABASE_URL = 'aliastrail.database-url';
