import type { FrameworkMap, Severity } from '../core/types.js';
import { CHECKS } from '../checks/index.js';
import { NETPOL_CHECKS } from '../netpol/lint/index.js';
import { IMAGE_CHECKS } from '../scan/image/checks/index.js';
import { DOCKERFILE_RULES } from '../scan/image/dockerfile/rules/index.js';
import { PSS_RULES, pssCheckId } from '../pss/meta.js';
import { RBAC_RULES } from '../rbac/rules/index.js';
import { AUDITLOG_RULES } from '../auditlog/detections/index.js';
import { VERIFY_RULES } from '../verify/rules/index.js';
import { WORKLOAD_NOTE_ENTRIES } from './workloadNotes.js';

/** Every check palisade can report, with the metadata `checks list`, `checks explain` and the docs use. */
export interface CatalogueEntry {
  id: string;
  severity: Severity;
  title: string;
  description: string;
  remediation: string;
  frameworks: FrameworkMap;
  /** Which engine reports it: `pss`/`audit` (palisade audit), `dockerfile`, `image`, `netpol`. */
  module: 'pss' | 'audit' | 'dockerfile' | 'image' | 'netpol' | 'rbac' | 'auditlog' | 'verify';
}

export function catalogue(): CatalogueEntry[] {
  const entries: CatalogueEntry[] = PSS_RULES.map((rule) => ({
    id: pssCheckId(rule.check),
    severity: rule.severity,
    title: rule.title,
    description: `Pod Security Standards ${rule.level} check \`${rule.check}\`, evaluated exactly as the API server's pod-security-admission does, for every policy version from v1.0 to the newest. Reported for every pod spec palisade finds, custom resources included.`,
    remediation: rule.remediation,
    frameworks: rule.frameworks,
    module: 'pss',
  }));
  entries.push({
    id: 'WORKLOAD_DISCOVERED',
    severity: 'info',
    title: 'Pod spec found in a kind palisade does not know',
    description: 'A resource of a kind missing from the workloads table holds `containers: [{name, image}]`. palisade found it by its shape and checked it; adding the kind to `workloads:` in `.palisade.yaml` makes the location explicit.',
    remediation: 'Add a workloads: entry with the apiVersion, kind and pod spec pointer to .palisade.yaml.',
    frameworks: {},
    module: 'audit',
  });
  for (const entry of WORKLOAD_NOTE_ENTRIES) entries.push({ ...entry, frameworks: {}, module: 'audit' });
  for (const { meta } of CHECKS) {
    entries.push({ id: meta.id, severity: meta.severity, title: meta.title, description: meta.description, remediation: meta.remediation, frameworks: meta.frameworks, module: 'audit' });
  }
  const others: Array<[CatalogueEntry['module'], ReadonlyArray<{ meta: { id: string; severity: Severity; title: string; description: string; remediation: string; frameworks?: FrameworkMap } }>]> = [
    ['dockerfile', DOCKERFILE_RULES],
    ['image', IMAGE_CHECKS],
    ['netpol', NETPOL_CHECKS],
  ];
  for (const [module, checks] of others) {
    for (const { meta } of checks) entries.push({ id: meta.id, severity: meta.severity, title: meta.title, description: meta.description, remediation: meta.remediation, frameworks: meta.frameworks ?? {}, module });
  }
  for (const rule of RBAC_RULES) entries.push({ id: rule.id, severity: rule.severity, title: rule.title, description: rule.description, remediation: rule.remediation, frameworks: rule.frameworks, module: 'rbac' });
  for (const rule of AUDITLOG_RULES) entries.push({ id: rule.id, severity: rule.severity, title: rule.title, description: rule.description, remediation: rule.remediation, frameworks: rule.frameworks, module: 'auditlog' });
  // Rules in the one Rule shape (src/core/rule.ts), family by family.
  for (const rule of VERIFY_RULES) entries.push({ id: rule.id, severity: rule.severity, title: rule.title, description: rule.description, remediation: rule.remediation, frameworks: rule.frameworks, module: 'verify' });
  return entries.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
