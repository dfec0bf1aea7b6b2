import { Inject, Injectable } from '@nestjs/common';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../database/database.types';
import { KYSELY } from '../database/database.tokens';

/** How long a console session lives: idle, and at most in all (issue 15). */
export interface SessionLifetime {
  readonly idleSeconds: number;
  readonly absoluteSeconds: number;
}

export interface StoredSession {
  readonly accessKeyId: string;
  readonly createdAt: Date;
}

/**
 * The `console_sessions` table (db/migrations/0018): sessions by the SHA-256 of their id. Times are
 * the database's, so that every service instance agrees on when a session expires.
 */
@Injectable()
export class ConsoleSessionStore {
  constructor(@Inject(KYSELY) private readonly db: Kysely<Database>) {}

  async create(digest: Buffer, accessKeyId: string, sourceIp: string): Promise<StoredSession> {
    const { rows } = await sql<{ created_at: Date }>`
      INSERT INTO console_sessions (id_sha256, access_key_id, created_at, last_seen_at, source_ip)
      VALUES (${digest}, ${accessKeyId}, now(), now(), ${sourceIp})
      RETURNING created_at`.execute(this.db);
    return { accessKeyId, createdAt: rows[0]!.created_at };
  }

  /**
   * The session of `digest` if it is still alive, marked as used now (which restarts its idle time);
   * undefined when there is none or it expired. One statement, so two instances cannot both revive
   * a session that one of them sees expire.
   */
  async touch(digest: Buffer, lifetime: SessionLifetime): Promise<StoredSession | undefined> {
    const { rows } = await sql<{ access_key_id: string; created_at: Date }>`
      UPDATE console_sessions SET last_seen_at = greatest(last_seen_at, now())
       WHERE id_sha256 = ${digest}
         AND last_seen_at > now() - make_interval(secs => ${lifetime.idleSeconds})
         AND created_at > now() - make_interval(secs => ${lifetime.absoluteSeconds})
      RETURNING access_key_id, created_at`.execute(this.db);
    const row = rows[0];
    return row && { accessKeyId: row.access_key_id, createdAt: row.created_at };
  }

  /** Ends a session, wherever it is used. */
  async delete(digest: Buffer): Promise<void> {
    await sql`DELETE FROM console_sessions WHERE id_sha256 = ${digest}`.execute(this.db);
  }

  /**
   * Deletes the sessions unused for longer than the idle time; returns how many. By last use only,
   * which its index serves: a session past its absolute end but used within the hour is refused by
   * touch() already, and goes here an hour later.
   */
  async deleteExpired(lifetime: SessionLifetime): Promise<number> {
    const result = await sql`
      DELETE FROM console_sessions
       WHERE last_seen_at <= now() - make_interval(secs => ${lifetime.idleSeconds})`.execute(this.db);
    return Number(result.numAffectedRows ?? 0);
  }
}
