import { quoteLiteral } from '../../database/quote-literal';
import type { UnitRead } from '../../event-store/unit-batcher';

/**
 * How a KMS unit of work reads its streams (kms_lock_and_read, db/functions/kms_unit_read.sql): an alias's whole, and of a key's
 * only its own events, with a summary from the `current` model (KeySummary). A key's stream also
 * holds every alias event that ever named the key, which grows without bound and which a decision
 * needs only as those two facts.
 */
export const KMS_UNIT_READ: UnitRead = {
  summarised: (tag) => tag.startsWith('key:'),
  sql: (full, summarised) => `SELECT kms_lock_and_read(${textArray(full)}, ${textArray(summarised)}) AS unit`,
};

/** What kms_lock_and_read says of a key beside its own events, as of the committed events. */
export interface KeySummary {
  /** The aliases that point at the key. */
  readonly aliases: readonly string[];
  /** The latest event time of every event that names the key (epoch seconds); null when it has none. */
  readonly lastEventAt: number | null;
}

function textArray(values: readonly string[]): string {
  return `ARRAY[${values.map(quoteLiteral).join(',')}]::text[]`;
}
