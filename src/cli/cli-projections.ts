import type { Projection } from '../projections/projection';
import { AuditEventsProjection } from '../projections/audit/audit-events.projection';
import { TemporalAliasesProjection } from '../projections/temporal/temporal-aliases.projection';

/**
 * The runner projections the CLI can rebuild: those ProjectionsService runs (where the admin API
 * takes its list from). The CLI runs without Nest, so each new runner projection joins here too.
 */
export function cliProjections(): Projection[] {
  return [new TemporalAliasesProjection(), new AuditEventsProjection()];
}
