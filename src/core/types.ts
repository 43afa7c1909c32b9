/** The public contracts of DESIGN.md. Every module speaks these shapes. */

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Higher is worse; used for --fail-on and sorting. */
export const SEVERITY_RANK: Record<Severity, number> = { critical: 4, high: 3, medium: 2, low: 1, info: 0 };

/** pss, NIST SP 800-53 rev. 5, MITRE ATLAS, CIS Kubernetes Benchmark v1.9, MITRE ATT&CK for Containers (technique ids such as T1609), Kubescape control ids (C-0035). */
export const FRAMEWORKS = ['pss', 'nist-800-53', 'mitre-atlas', 'cis', 'mitre-attack', 'kubescape'] as const;
export type FrameworkId = (typeof FRAMEWORKS)[number];
export type FrameworkMap = Partial<Record<FrameworkId, string[]>>;

export interface ResourceRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

/** 1-based position of a YAML node. stdin is the file "-". */
export interface Location {
  file: string;
  line: number;
  column: number;
}

export interface Suppression {
  by: 'annotation' | 'config';
  reason: string;
  expires?: string;
}

export interface Finding {
  checkId: string;
  severity: Severity;
  title: string;
  message: string;
  resource?: ResourceRef;
  container?: string;
  /** JSON pointer into the resource as written. */
  path?: string;
  location?: Location;
  remediation?: string;
  frameworks?: FrameworkMap;
  /** RBAC findings: the identity that holds the permission (`resource` is then the object at fault). */
  subject?: FindingSubject;
  suppressed?: Suppression;
  /**
   * PSS findings only: the Pod Security admission mode whose level the pod spec violates. `enforce`
   * (a --level flag, the config, the default, or a namespace's enforce label) means the API server
   * rejects the pod, which fails the run whatever the severity; `warn` and `audit` (a namespace
   * label with no enforce counterpart) only warn or record, and fail only when --fail-on names them.
   */
  admission?: AdmissionMode;
  /**
   * When the same check fires several times on one object (a field of each container, each
   * volume), the report carries one finding whose path, container and location are the first
   * occurrence's, and this list of every occurrence, the first included.
   */
  occurrences?: Occurrence[];
  /** Live-cluster findings: where the object is managed from (Argo CD, Flux, Helm, kubectl apply), so the fix is made there. */
  managedBy?: ManagedBy;
}

export interface ManagedBy {
  tool: 'argocd' | 'flux' | 'helm' | 'kubectl';
  kind?: string;
  name?: string;
  namespace?: string;
  /** The label or annotation that says so. */
  evidence: string;
}

export type AdmissionMode = 'enforce' | 'warn' | 'audit';

/** One place a grouped finding was seen. */
export interface Occurrence {
  message: string;
  container?: string;
  path?: string;
  location?: Location;
}

/** A User, Group or ServiceAccount as RBAC bindings name it. */
export interface FindingSubject {
  kind: 'User' | 'Group' | 'ServiceAccount';
  name: string;
  namespace?: string;
}

export interface Summary {
  critical: number;
  high: number;
  medium: number;
  low: number;
  info: number;
  suppressed: number;
}

export interface Report {
  tool: { name: string; version: string };
  inputs: string[];
  summary: Summary;
  findings: Finding[];
  /** The command's own key (results, files, connections, packages…). */
  [extra: string]: unknown;
}

export function summarize(findings: readonly Finding[]): Summary {
  const summary: Summary = { critical: 0, high: 0, medium: 0, low: 0, info: 0, suppressed: 0 };
  for (const f of findings) {
    if (f.suppressed) summary.suppressed++;
    else summary[f.severity]++;
  }
  return summary;
}
