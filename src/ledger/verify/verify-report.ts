import type { KeyObject } from 'node:crypto';
import type { SignedDigest } from '../digest';
import { isoMicros } from '../micro-time';
import type { WalkResult } from './chain-walk';
import {
  type Lookups,
  type StrayEvent,
  classifyDigestRange,
  classifyEntry,
  classifyStray,
  tailFindings,
} from './classify';
import type { DigestCheck } from './digest-checks';
import { type Finding, compareFindings } from './finding';

export interface VerifyReport {
  /** Nothing found. */
  readonly ok: boolean;
  readonly mode: 'online' | 'offline';
  readonly entries: number;
  readonly digests: number;
  readonly head: { readonly ledgerSeq: number; readonly entryHash: string };
  readonly lastDigest: { readonly digestSeq: number; readonly toLedgerSeq: number; readonly periodEnd: string } | null;
  /** Entries after the last digest: chained, not yet signed. */
  readonly undigestedEntries: number;
  /** Events after the ledger's head, not chained yet (online only). */
  readonly unsequencedEvents?: number;
  /** The public keys the digests were checked with. */
  readonly keyFingerprints: readonly string[];
  /** The finding with the lowest ledger sequence: where the trail stops being trustworthy. */
  readonly firstBad: Finding | null;
  /** Every finding, in ledger order (at most a hundred). */
  readonly findings: readonly Finding[];
  readonly seconds: number;
  readonly entriesPerSecond: number;
}

export interface ReportParts {
  readonly mode: 'online' | 'offline';
  readonly walk: WalkResult;
  readonly digests: readonly SignedDigest[];
  readonly digestCheck: DigestCheck;
  readonly strays: readonly StrayEvent[];
  readonly lookups: Lookups;
  readonly publicKeys: ReadonlyMap<string, KeyObject>;
  readonly startedAt: number;
  readonly stateDigestSeq?: number;
  readonly unsequencedEvents?: number;
}

const MAX_FINDINGS = 100;

/** Classifies what the walk and the digest checks kept, and puts the findings in ledger order. */
export async function buildReport(parts: ReportParts): Promise<VerifyReport> {
  const { walk, lookups } = parts;
  const findings: Finding[] = [...parts.digestCheck.findings];
  for (const problem of walk.problems)
    findings.push(
      problem.type === 'entry' ? await classifyEntry(problem, lookups) : await classifyDigestRange(problem, lookups),
    );
  for (const stray of parts.strays.slice(0, MAX_FINDINGS)) findings.push(await classifyStray(stray, walk, lookups));
  const last = parts.digests.reduce<SignedDigest | undefined>(
    (l, d) => (!l || d.digestSeq > l.digestSeq ? d : l),
    undefined,
  );
  findings.push(
    ...tailFindings(walk, last, last !== undefined && parts.digestCheck.trusted.includes(last), parts.stateDigestSeq),
  );
  findings.sort(compareFindings);
  const seconds = (Date.now() - parts.startedAt) / 1000;
  return {
    ok: findings.length === 0,
    mode: parts.mode,
    entries: walk.entries,
    digests: parts.digests.length,
    head: { ledgerSeq: walk.lastSeq, entryHash: walk.headHash },
    lastDigest: last
      ? { digestSeq: last.digestSeq, toLedgerSeq: last.toLedgerSeq, periodEnd: isoMicros(last.periodEnd) }
      : null,
    undigestedEntries: walk.undigested,
    ...(parts.unsequencedEvents === undefined ? {} : { unsequencedEvents: parts.unsequencedEvents }),
    keyFingerprints: [...parts.publicKeys.keys()],
    firstBad: findings[0] ?? null,
    findings: findings.slice(0, MAX_FINDINGS),
    seconds,
    entriesPerSecond: seconds > 0 ? Math.round(walk.entries / seconds) : walk.entries,
  };
}

/** The report for a person: the verdict first, then the first bad sequence and every finding. */
export function formatReport(report: VerifyReport): string {
  const lines = [
    report.ok
      ? `OK: ${report.entries} ledger entries and ${report.digests} digests verified (${report.mode}) in ${report.seconds.toFixed(1)} s`
      : `TAMPERED: first bad ledger sequence ${report.firstBad!.ledgerSeq}: ${report.firstBad!.kind}`,
    `  head: ledger sequence ${report.head.ledgerSeq}, entry hash ${report.head.entryHash}`,
    `  last digest: ${report.lastDigest ? `${report.lastDigest.digestSeq}, up to ledger sequence ${report.lastDigest.toLedgerSeq}, period ending ${report.lastDigest.periodEnd}` : 'none'}`,
    `  not yet in a digest: ${report.undigestedEntries} entries` +
      (report.unsequencedEvents === undefined ? '' : `; not yet chained: ${report.unsequencedEvents} events`),
    `  public keys: ${report.keyFingerprints.join(', ') || 'none'}`,
  ];
  for (const finding of report.findings) {
    const range = finding.toLedgerSeq !== undefined ? `..${finding.toLedgerSeq}` : '';
    lines.push(
      `  ${finding.kind} at ledger sequence ${finding.ledgerSeq}${range} (${finding.scope}): ${finding.detail}`,
    );
  }
  if (!report.ok)
    lines.push(`  ${report.entries} entries and ${report.digests} digests checked in ${report.seconds.toFixed(1)} s`);
  return lines.join('\n');
}
