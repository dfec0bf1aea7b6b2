import { type Kysely, sql } from 'kysely';
import type { Database } from '../../src/database/database.types';
import { queryApi, queryHeaders } from './query-client';

/** The `temporal` projection's alias ids by name: a rebuild must give the ones live application did. */
export async function temporalAliasIds(db: Kysely<Database>) {
  const { rows } = await sql<{ alias_name: string; alias_id: number }>`
    SELECT alias_name, alias_id FROM temporal_alias_ids ORDER BY account_id, region, alias_name`.execute(db);
  return rows;
}

/**
 * Rebuilds the `temporal` projection through the admin API (POST, then polls the progress) as
 * `who`, and answers how it ended: `{status: 'done', error: null}` when it went through.
 */
export async function rebuildTemporal(
  base: string,
  who: { accessKeyId: string; secretAccessKey: string },
  region: string,
): Promise<{ status: string; error: string | null }> {
  const url = new URL('/admin/projections/temporal/rebuild', base);
  const options = { credentials: who, region };
  const started = await fetch(url, {
    method: 'POST',
    headers: await queryHeaders('POST', url, {}, undefined, options),
  });
  if (started.status !== 202) return { status: `not started (${started.status})`, error: await started.text() };
  let progress = { status: 'running', error: null as string | null };
  for (let i = 0; i < 400 && progress.status === 'running'; i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    progress = (await queryApi(base, '/admin/projections/temporal/rebuild', options)).body;
  }
  return { status: progress.status, error: progress.error };
}
