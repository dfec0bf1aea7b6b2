import type { Kysely } from 'kysely';
import type { Database } from '../../database/database.types';
import { keyArn } from '../domain/identifiers';
import { type MaterialInventoryRow, materialInventory } from './key-material-sql';
import { MaterialUnavailable } from './material-unavailable';
import type { MaterialWrapper } from './material-wrapper';

/** A version of a key's material that a call would need and could not use. */
export interface MaterialFinding {
  readonly keyArn: string;
  readonly version: number;
  readonly problem: 'missing' | 'does not unwrap';
}

export interface MaterialReport {
  readonly ok: boolean;
  readonly keys: number;
  readonly versions: number;
  /** At most MAX_FINDINGS of them; `findingsTotal` counts all. */
  readonly findings: readonly MaterialFinding[];
  readonly findingsTotal: number;
}

const PAGE = 500;
const MAX_FINDINGS = 100;

/** What one key's row and stored versions say: versions 1 to the current one stored, each unwrapping. */
export function findingsOf(row: MaterialInventoryRow, wrapper: MaterialWrapper): MaterialFinding[] {
  const arn = keyArn({ accountId: row.account_id, region: row.region }, row.key_id);
  const stored = new Map(row.stored.map((s) => [s.version, s.wrapped]));
  const findings: MaterialFinding[] = [];
  for (let version = 1; version <= row.current_version; version++) {
    const wrapped = stored.get(version);
    if (!wrapped) {
      findings.push({ keyArn: arn, version, problem: 'missing' });
      continue;
    }
    try {
      wrapper.unwrap(wrapped, { keyArn: arn, version }).fill(0);
    } catch (error) {
      if (!(error instanceof MaterialUnavailable)) throw error;
      findings.push({ keyArn: arn, version, problem: 'does not unwrap' });
    }
  }
  return findings;
}

/**
 * Walks every key that holds material (origin AWS_KMS) and unwraps every version its ciphertexts may
 * name (docs/history-model.md#key-material: material is not rebuildable, so a restore without its rows
 * or with another root key must be found before a caller finds it). Read-only; material is zeroed once
 * checked.
 */
export async function checkMaterial(db: Kysely<Database>, wrapper: MaterialWrapper): Promise<MaterialReport> {
  let keys = 0;
  let versions = 0;
  let findingsTotal = 0;
  const findings: MaterialFinding[] = [];
  let after: { accountId: string; region: string; keyId: string } | undefined;
  for (;;) {
    const page = await materialInventory(db, after, PAGE);
    for (const row of page) {
      keys += 1;
      versions += row.current_version;
      const found = findingsOf(row, wrapper);
      findingsTotal += found.length;
      findings.push(...found.slice(0, MAX_FINDINGS - findings.length));
    }
    const last = page.at(-1);
    if (!last || page.length < PAGE) break;
    after = { accountId: last.account_id, region: last.region, keyId: last.key_id };
  }
  return { ok: findingsTotal === 0, keys, versions, findings, findingsTotal };
}

/** The report as `verify` prints it. */
export function formatMaterialReport(report: MaterialReport): string {
  const head = `key material: ${report.keys} keys, ${report.versions} versions checked, ${report.findingsTotal} unusable`;
  const lines = report.findings.map((f) => `  ${f.keyArn} version ${f.version}: ${f.problem}`);
  const more =
    report.findingsTotal > report.findings.length
      ? [`  … and ${report.findingsTotal - report.findings.length} more`]
      : [];
  return [head, ...lines, ...more].join('\n');
}
