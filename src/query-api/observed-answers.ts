import { restError } from '../api-errors/rest-error';
import type { ObservedEvidence } from '../projections/temporal/temporal-snapshot-statement';
import type { Cut } from '../projections/temporal/temporal-cut';

/**
 * What an answer says about where its account's history comes from
 * (docs/history-model.md#observed-accounts): undefined for an account the KMS API serves; for an
 * observed one, what its imported records cover in the Region (null: no record of that Region yet).
 */
export type Provenance = ObservedEvidence | null | undefined;

/** The members every point-in-time answer carries: `observed` is null for a served account. */
export function provenanceJson(provenance: Provenance) {
  if (provenance === undefined) return { observed: null };
  return {
    observed: {
      evidenceFrom: provenance?.evidenceFrom.toISOString() ?? null,
      evidenceTo: provenance?.evidenceTo.toISOString() ?? null,
    },
  };
}

/**
 * Whether the log can answer at these cuts. Before an observed account's earliest record nothing is
 * known (an alias then may have existed, pointing anywhere): such answers say `known: false` rather
 * than guess. A log position is refused there: the account's history is folded in event time, so what
 * the log held at a position is not a moment of it.
 */
export function knownAt(provenance: Provenance, cuts: readonly Cut[]): boolean {
  if (provenance === undefined) return true;
  return cuts.every((cut) => {
    if (!('at' in cut))
      throw restError(
        400,
        'UnsupportedCut',
        "An observed account's history follows event time: ask at a time (`at`), not at a log position.",
      );
    return provenance !== null && cut.at.getTime() >= provenance.evidenceFrom.getTime();
  });
}
