import type { Severity } from '../../../core/types.js';
import { cvss2BaseScore, cvss3BaseScore, cvss4Score, severityOfScore } from './cvss.js';
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

/** The OSV severity type of each CVSS version, and how its vector is scored. */
const SCORED: Readonly<Record<2 | 3 | 4, { type: string; score: (vector: string) => number | undefined }>> = {
  3: { type: 'CVSS_V3', score: cvss3BaseScore },
  4: { type: 'CVSS_V4', score: cvss4Score },
  2: { type: 'CVSS_V2', score: cvss2BaseScore },
};

const RANK: Record<VulnerabilitySeverity, number> = { unknown: -1, info: 0, low: 1, medium: 2, high: 3, critical: 4 };

/**
 * The severity of a match: the highest CVSS v3 score of the entry or advisory; else CVSS v4 (new
 * advisories from GHSA and the PyPA carry only v4); else CVSS v2; else the database's own word
 * (GHSA database_specific.severity, Ubuntu priority…). v3 stays first where both are given, so
 * gates set on v3 severities do not move under advisories that add a v4 vector.
 */
export function severityOf(advisory: OsvAdvisory, affected: OsvAffected): { severity: VulnerabilitySeverity; score?: number; source: string } {
  const vectors = [...affected.severity, ...advisory.severity];
  let best: { severity: VulnerabilitySeverity; score?: number; source: string } | undefined;
  for (const version of [3, 4, 2] as const) {
    for (const entry of vectors) {
      const score = entry.type !== SCORED[version].type ? undefined : SCORED[version].score(entry.score);
      if (score === undefined) continue;
      const rated = severityOfScore(score, version);
      const severity: VulnerabilitySeverity = rated === 'none' ? 'info' : rated;
      if (!best || (best.score ?? -1) < score) best = { severity, score, source: `CVSS v${version}` };
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
