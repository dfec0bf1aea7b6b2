import type { AliasVersion as StoredVersion } from '../projections/temporal/temporal-aliases.reader';
import { type Scope, aliasArn, keyArn } from '../kms/domain/identifiers';
import type { AliasVersion, ChangeCause, UserIdentity } from './alias-version.types';
import type { AliasHistoryChange } from './alias-history.types';

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

function identityOf(value: unknown): UserIdentity | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  return {
    type: text(v.type),
    principalId: text(v.principalId),
    arn: text(v.arn),
    accountId: text(v.accountId),
    accessKeyId: text(v.accessKeyId),
    userName: text(v.userName),
  };
}

/** The projection stores causes as JSON (temporal-plan.ts `causeOf`); older rows may lack members. */
export function causeOf(cause: Record<string, unknown>): ChangeCause {
  return {
    eventType: text(cause.eventType) ?? 'unknown',
    eventId: text(cause.eventId) ?? '',
    eventPosition: text(cause.position) ?? '',
    eventName: text(cause.eventName),
    requestId: text(cause.requestId),
    userIdentity: identityOf(cause.userIdentity),
    invokedBy: text(cause.invokedBy),
    sourceIPAddress: text(cause.sourceIPAddress),
    userAgent: text(cause.userAgent),
  };
}

export function versionOf(scope: Scope, version: StoredVersion): AliasVersion {
  return {
    aliasName: version.aliasName,
    aliasArn: aliasArn(scope, version.aliasName),
    version: version.version,
    targetKeyId: version.keyId,
    targetKeyArn: version.keyId === null ? null : keyArn(scope, version.keyId),
    validFrom: version.validFrom,
    validTo: version.validTo ?? null,
    startedBy: version.startedBy ? causeOf(version.startedBy) : null,
    endedBy: version.endedBy ? causeOf(version.endedBy) : null,
    endedReason: version.endedReason ?? null,
  };
}

/**
 * An alias's versions (oldest first) as the changes that made them: each version begins with a
 * creation or a retarget (from the previous version's key), and a deletion ends one with no successor.
 *
 * @example changesOf([v1 created → k1 and retargeted, v2 → k2 deleted]) // k1 created, k1→k2, k2→null
 */
export function changesOf(versions: readonly AliasVersion[]): AliasHistoryChange[] {
  const changes: AliasHistoryChange[] = [];
  versions.forEach((version, i) => {
    const previous = versions[i - 1];
    // An observed alias's first version may have begun before any record: no change shows its start.
    const started = version.startedBy;
    if (started && version.validFrom) {
      // A served retarget is AliasRetargeted; an observed one, an imported UpdateAlias record.
      const retargeted = started.eventType === 'AliasRetargeted' || started.eventName === 'UpdateAlias';
      const retarget = previous?.endedReason === 'retargeted' && retargeted;
      changes.push({
        version: version.version,
        at: version.validFrom,
        eventType: started.eventType,
        eventName: started.eventName,
        fromKeyId: retarget ? previous.targetKeyId : null,
        toKeyId: version.targetKeyId,
        by: started,
      });
    }
    if (version.endedBy && version.validTo && version.endedReason !== 'retargeted')
      changes.push({
        version: version.version,
        at: version.validTo,
        eventType: version.endedBy.eventType,
        eventName: version.endedBy.eventName,
        fromKeyId: version.targetKeyId,
        toKeyId: null,
        by: version.endedBy,
      });
  });
  return changes;
}
