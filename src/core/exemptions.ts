import type { ConfigExemption } from './config.js';
import type { Finding, ResourceRef, Suppression } from './types.js';

/**
 * Exemptions mark findings; they never drop them (style.md rule 11). They are applied after every
 * check has run: from annotations on the resource and from `exemptions:` in .palisade.yaml. An
 * expired exemption does not apply, and the finding says so.
 */

/** Every annotation key palisade reads for exemptions. */
export const EXEMPT_ANNOTATION = 'palisade.dev/exempt';
export const EXEMPT_REASON_ANNOTATION = 'palisade.dev/exempt-reason';
export const EXEMPT_UNTIL_ANNOTATION = 'palisade.dev/exempt-until';
export const EXEMPTION_ANNOTATIONS = [EXEMPT_ANNOTATION, EXEMPT_REASON_ANNOTATION, EXEMPT_UNTIL_ANNOTATION] as const;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** What a resource's annotations ask for, or the problem with them. */
export interface AnnotationExemption {
  checks: string[];
  reason?: string;
  until?: string;
  problem?: 'noReason' | 'badDate';
}

/** Read the exemption annotations; undefined when the resource has none. */
export function annotationExemption(annotations: Readonly<Record<string, string>>): AnnotationExemption | undefined {
  const list = annotations[EXEMPT_ANNOTATION];
  if (list === undefined) return undefined;
  const checks = list.split(',').map((c) => c.trim()).filter(Boolean);
  const reason = annotations[EXEMPT_REASON_ANNOTATION]?.trim();
  const until = annotations[EXEMPT_UNTIL_ANNOTATION]?.trim();
  const exemption: AnnotationExemption = { checks, ...(reason ? { reason } : {}), ...(until ? { until } : {}) };
  if (!reason) exemption.problem = 'noReason';
  else if (until !== undefined && !isIsoDate(until)) exemption.problem = 'badDate';
  return exemption;
}

export function isIsoDate(text: string): boolean {
  return ISO_DATE.test(text) && !Number.isNaN(Date.parse(text));
}

/** `*` matches any run of characters, `?` one; everything else literally. Case-sensitive, like Kubernetes names. */
export function globMatches(pattern: string, text: string): boolean {
  let compiled = GLOBS.get(pattern);
  if (compiled === undefined) {
    const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
    compiled = new RegExp(`^${source}$`);
    // Patterns come from config and annotations: bounded, so hostile annotations cannot grow it.
    if (GLOBS.size >= 1000) GLOBS.clear();
    GLOBS.set(pattern, compiled);
  }
  return compiled.test(text);
}

/** Compiled globs: the admission webhook matches the same few patterns on every request. */
const GLOBS = new Map<string, RegExp>();

/** Today as YYYY-MM-DD (UTC); an exemption "until 2026-12-31" holds through that day. */
export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function expired(until: string | undefined, today: string): boolean {
  return until !== undefined && until < today;
}

export interface ExemptionSources {
  /** The resource's annotation exemption (already read), by resource. */
  annotations: (resource: ResourceRef) => AnnotationExemption | undefined;
  config: readonly ConfigExemption[];
  today: string;
}

/**
 * Mark each finding an exemption covers with `suppressed`, or append a note when the exemption that
 * covers it has expired. Annotations are checked first (they sit next to the resource), then config.
 * Findings without a resource (input errors) are never exempted. Returns the same array.
 */
export function applyExemptions(findings: Finding[], sources: ExemptionSources): Finding[] {
  for (const finding of findings) {
    if (!finding.resource || finding.suppressed) continue;
    const fromAnnotation = sources.annotations(finding.resource);
    const candidates: Array<{ by: Suppression['by']; reason: string; expires?: string }> = [];
    if (fromAnnotation && !fromAnnotation.problem && fromAnnotation.checks.some((c) => globMatches(c, finding.checkId))) {
      candidates.push({ by: 'annotation', reason: fromAnnotation.reason!, ...(fromAnnotation.until ? { expires: fromAnnotation.until } : {}) });
    }
    for (const entry of sources.config) {
      if (configMatches(entry, finding.checkId, finding.resource)) candidates.push({ by: 'config', reason: entry.reason, ...(entry.expires ? { expires: entry.expires } : {}) });
    }
    const active = candidates.find((c) => !expired(c.expires, sources.today));
    if (active) {
      finding.suppressed = { by: active.by, reason: active.reason, ...(active.expires ? { expires: active.expires } : {}) };
    } else if (candidates.length > 0) {
      const last = candidates[0]!;
      finding.message += ` (${last.by} exemption expired on ${last.expires}: ${last.reason})`;
    }
  }
  return findings;
}

function configMatches(entry: ConfigExemption, checkId: string, resource: ResourceRef): boolean {
  if (!globMatches(entry.check, checkId)) return false;
  const { namespace, kind, name } = entry.match;
  if (namespace !== undefined && !globMatches(namespace, resource.namespace ?? '')) return false;
  if (kind !== undefined && !globMatches(kind, resource.kind)) return false;
  if (name !== undefined && !globMatches(name, resource.name)) return false;
  return true;
}
