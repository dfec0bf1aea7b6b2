import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { type Kysely, sql } from 'kysely';
import type { Config } from '../config/config';
import { CONFIG } from '../config/config.token';
import { KYSELY } from '../database/database.tokens';
import type { Database } from '../database/database.types';

/**
 * Sets the transaction-time cap the database enforces at commit (db/functions/event_time_cap.sql);
 * undefined turns it off. The cap is one value per database: the instance that starts last sets it.
 */
export async function setEventTimeCap(db: Kysely<Database>, capMs: number | undefined): Promise<void> {
  const cap = capMs === undefined ? null : `${capMs} milliseconds`;
  await sql`UPDATE event_time_cap SET cap = ${cap}::interval WHERE cap IS DISTINCT FROM ${cap}::interval`.execute(db);
}

/** Applies the configured cap at start-up, before the service appends anything. */
@Injectable()
export class EventTimeCap implements OnModuleInit {
  constructor(
    @Inject(KYSELY) private readonly db: Kysely<Database>,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  async onModuleInit(): Promise<void> {
    await setEventTimeCap(this.db, this.config.eventTimeCapMs);
  }
}
