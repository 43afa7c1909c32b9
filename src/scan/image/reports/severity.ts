import type { VulnerabilitySeverity } from '../vuln/index.js';

/** Every scanner's severity words → ours (Trivy UPPER, Grype Capitalised, CycloneDX lower). */
const WORDS: Readonly<Record<string, VulnerabilitySeverity>> = {
  critical: 'critical',
  high: 'high',
  medium: 'medium',
  moderate: 'medium',
  low: 'low',
  negligible: 'low',
  info: 'info',
  none: 'info',
  unknown: 'unknown',
};

export function normalizeSeverity(word: unknown): VulnerabilitySeverity {
  return typeof word === 'string' ? (WORDS[word.toLowerCase()] ?? 'unknown') : 'unknown';
}
