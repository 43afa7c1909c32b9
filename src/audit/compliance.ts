import type { Finding, FrameworkId } from '../core/types.js';
import type { CatalogueEntry } from './catalogue.js';

/**
 * `--framework <id>`: the findings mapped to one framework, and per control whether the input
 * violates it, satisfies it (a check mapped to it ran and found nothing), or leaves it untested
 * (every check mapped to it is disabled).
 */
export interface ControlStatus {
  id: string;
  status: 'violated' | 'satisfied' | 'untested';
  checks: string[];
  findings: number;
}

export interface ComplianceView {
  framework: FrameworkId;
  controls: ControlStatus[];
}

/** Findings mapped to the framework; input errors (no resource, no mapping) are kept so CI still sees them. */
export function filterByFramework(findings: readonly Finding[], framework: FrameworkId): Finding[] {
  return findings.filter((f) => (f.frameworks?.[framework] ?? []).length > 0 || (!f.resource && !f.frameworks));
}

export function complianceView(findings: readonly Finding[], framework: FrameworkId, entries: readonly CatalogueEntry[], enabled: (checkId: string) => boolean): ComplianceView {
  const controls = new Map<string, ControlStatus>();
  for (const entry of entries) {
    for (const id of entry.frameworks[framework] ?? []) {
      const control = controls.get(id) ?? { id, status: 'untested', checks: [], findings: 0 };
      control.checks.push(entry.id);
      if (enabled(entry.id) && control.status === 'untested') control.status = 'satisfied';
      controls.set(id, control);
    }
  }
  for (const finding of findings) {
    if (finding.suppressed) continue;
    for (const id of finding.frameworks?.[framework] ?? []) {
      const control = controls.get(id) ?? { id, status: 'untested', checks: [finding.checkId], findings: 0 };
      control.status = 'violated';
      control.findings++;
      controls.set(id, control);
    }
  }
  const sorted = [...controls.values()].sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));
  return { framework, controls: sorted };
}
