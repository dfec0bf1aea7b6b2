/** Injection token of the shared `Kysely<Database>`. */
export const KYSELY = 'aliastrail.kysely';
/** Injection token of the pg `Pool` behind it. */
export const PG_POOL = 'aliastrail.pg-pool';
/**
 * Injection token of a small pool whose sessions plan prepared statements generically
 * (plan_cache_mode: a session setting that would reach every query on PG_POOL's connections),
 * for the temporal reader's named statements (temporal-snapshot-statement.ts).
 */
export const GENERIC_PLAN_POOL = 'aliastrail.generic-plan-pool';
/** Injection token of the connection string (for the LISTEN connection, which lives outside the pool). */
export const DATABASE_URL = 'aliastrail.database-url';
