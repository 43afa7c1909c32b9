import type { Severity } from '../../../core/types.js';
import { cvss2BaseScore, cvss3BaseScore, severityOfScore } from './cvss.js';
import type { OsvAdvisory, OsvAffected } from './osv.js';

export type VulnerabilitySeverity = Severity | 'unknown';

/** Words databases use for severity (GHSA MODERATE, Debian urgency, Ubuntu priority) → ours. */
const SEVERITY_WORDS: Readonly<Record<string, Severity>> = {
  critical: 'critical',
  high: 'high',
  important: 'high',
  moderate: 'medium',
  medium: 'medium',
  low: 'low',
  negligible: 'low',
  unimportant: 'low',
  none: 'info',
};

const RANK: Record<VulnerabilitySeverity, number> = { unknown: -1, info: 0, low: 1, medium: 2, high: 3, critical: 4 };

/**
 * The severity of a match: the highest CVSS v3 score of the entry or advisory; else CVSS v2; else
 * the database's own word (GHSA database_specific.severity, Ubuntu priority…). CVSS v4 vectors
 * are not scored (see cvss.ts) and fall through to the database's word.
 */
export function severityOf(advisory: OsvAdvisory, affected: OsvAffected): { severity: VulnerabilitySeverity; score?: number; source: string } {
  const vectors = [...affected.severity, ...advisory.severity];
  let best: { severity: VulnerabilitySeverity; score?: number; source: string } | undefined;
  for (const version of [3, 2] as const) {
    for (const entry of vectors) {
      const score = version === 3 && entry.type === 'CVSS_V3' ? cvss3BaseScore(entry.score) : version === 2 && entry.type === 'CVSS_V2' ? cvss2BaseScore(entry.score) : undefined;
      if (score === undefined) continue;
      const rated = severityOfScore(score, version);
      const severity: VulnerabilitySeverity = rated === 'none' ? 'info' : rated;
      if (!best || (best.score ?? -1) < score) best = { severity, score, source: `CVSS v${version === 3 ? '3' : '2'}` };
    }
    if (best) return best;
  }
  for (const [word, source] of [
    [vectors.find((v) => v.type === 'Ubuntu')?.score, 'Ubuntu priority'],
    [affected.ecosystemSeverity, 'ecosystem'],
    [advisory.databaseSeverity, 'database'],
  ] as const) {
    const severity = word === undefined ? undefined : SEVERITY_WORDS[word.toLowerCase()];
    if (severity) return { severity, source };
  }
  return { severity: 'unknown', source: 'none' };
}

export function compareSeverity(a: VulnerabilitySeverity, b: VulnerabilitySeverity): number {
  return RANK[a] - RANK[b];
}
