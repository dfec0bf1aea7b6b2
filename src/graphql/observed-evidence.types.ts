import { Field, ObjectType } from '@nestjs/graphql';
import type { Scope } from '../kms/domain/identifiers';
import type { ObservedAccounts } from '../observed-accounts/observed-accounts';
import type { TemporalAliasesReader } from '../projections/temporal/temporal-aliases.reader';
import { DateTime } from './date-time.scalar';

@ObjectType({
  description:
    "What an observed account's imported CloudTrail records cover in the Region, as far as the model has applied them. Its answers follow event time (a late file changes them), and before evidenceFrom nothing is known.",
})
export class ObservedEvidence {
  @Field(() => DateTime, {
    nullable: true,
    description: 'Event time of the earliest record or snapshot; null: none applied yet.',
  })
  evidenceFrom!: Date | null;
  @Field(() => DateTime, { nullable: true, description: 'Event time of the latest record or snapshot.' })
  evidenceTo!: Date | null;
}

/** `observed`: null for an account the KMS API serves, else its evidence (the REST answers' twin). */
export async function observedOf(
  observed: ObservedAccounts,
  temporal: TemporalAliasesReader,
  scope: Scope,
): Promise<ObservedEvidence | null> {
  if (!(await observed.isObservedNow(scope.accountId))) return null;
  const evidence = await temporal.observedEvidence(scope);
  return { evidenceFrom: evidence?.evidenceFrom ?? null, evidenceTo: evidence?.evidenceTo ?? null };
}

/** Whether anything can be said at these times: not before an observed account's evidence. */
export function knownAt(observed: ObservedEvidence | null, times: readonly Date[]): boolean {
  if (observed === null) return true;
  const from = observed.evidenceFrom;
  return from !== null && times.every((t) => t.getTime() >= from.getTime());
}

export const OBSERVED_DESCRIPTION =
  'Null for an account the KMS API serves; for an observed account (history imported from CloudTrail), what its records cover.';
export const KNOWN_DESCRIPTION =
  "False when the time is before an observed account's evidence: nothing can be said (no alias, no changes). Always true for a served account.";
