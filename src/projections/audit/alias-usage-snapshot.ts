import { formatCheckpoint } from '../../event-store/checkpoint';
import type { Scope } from '../../kms/domain/identifiers';
import type { AliasSpan, AliasUsageCount } from './alias-usage';
import type { AuditEventsReader } from './audit-events.reader';

/** One line of a version's usage: calls of one operation by one caller, and how many failed. */
export type UsageLine = Omit<AliasUsageCount, 'version'>;

/** Each version's lines, in the order counted (operation, then caller); a version with none is absent. */
export function usageByVersion(counts: readonly AliasUsageCount[]): Map<number, UsageLine[]> {
  const byVersion = new Map<number, UsageLine[]>();
  for (const { version, ...line } of counts) byVersion.set(version, [...(byVersion.get(version) ?? []), line]);
  return byVersion;
}

/**
 * An alias's usage beside its history: per version, the calls that came through the alias and were
 * served by that version's key. From the `audit` projection, whose position (usagePosition) may
 * differ from the temporal model's: the two are built apart.
 */
export async function aliasUsage(
  audit: AuditEventsReader,
  scope: Scope,
  aliasName: string,
  versions: readonly AliasSpan[],
): Promise<{ usagePosition: string; usage: Map<number, UsageLine[]> }> {
  return audit.snapshot(async (reader, position) => ({
    usagePosition: formatCheckpoint(position),
    usage: usageByVersion(await reader.aliasUsage(scope, aliasName, versions)),
  }));
}
