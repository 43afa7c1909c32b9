import type { Location, Report, ResourceRef } from '../core/types.js';
import { isPlainObject } from '../core/object.js';

/** The fields of a PSS result (DESIGN.md "PSS result") that reporters print. */
export interface PssResultView {
  resource: ResourceRef;
  location?: Location;
  podSpecPath: string;
  level: string;
  version: string;
  allowed: boolean;
  violations: Array<{ check: string; reason: string; detail?: string }>;
}

/**
 * The report's `results`, when they are PSS results. Other commands may use the key differently, so
 * anything that does not have the PSS shape is left out rather than guessed at.
 */
export function pssResults(report: Report): PssResultView[] {
  const results = report.results;
  return Array.isArray(results) ? results.filter(isPssResult) : [];
}

function isPssResult(value: unknown): value is PssResultView {
  if (!isPlainObject(value)) return false;
  const { resource, podSpecPath, level, version, allowed, violations } = value;
  return (
    isPlainObject(resource) &&
    typeof resource.kind === 'string' &&
    typeof resource.name === 'string' &&
    typeof podSpecPath === 'string' &&
    typeof level === 'string' &&
    typeof version === 'string' &&
    typeof allowed === 'boolean' &&
    Array.isArray(violations) &&
    violations.every((v) => isPlainObject(v) && typeof v.reason === 'string')
  );
}

/** "restricted:v1.37" or "restricted:latest", as the API server names a policy. */
export function policyName(result: Pick<PssResultView, 'level' | 'version'>): string {
  const version = result.version === 'latest' || result.version.startsWith('v') ? result.version : `v${result.version}`;
  return `${result.level}:${version}`;
}

/**
 * The denial the API server prints: `violates PodSecurity "restricted:v1.37": reason (detail), …`
 * (pod-security-admission joins the reasons with ", " and puts each detail in parentheses).
 */
export function violationMessage(result: PssResultView): string {
  const reasons = result.violations.map((v) => (v.detail ? `${v.reason} (${v.detail})` : v.reason));
  return `violates PodSecurity "${policyName(result)}": ${reasons.join(', ')}`;
}
