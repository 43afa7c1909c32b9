import { stringify } from 'yaml';
import type { Finding, Location, ResourceRef } from '../core/types.js';
import { compareLocations, compareStrings, groupBy, resourceLabel, sortFindings } from './findings.js';
import { policyName, pssResults, type PssResultView } from './pssResults.js';
import type { Reporter, ReportContext } from './types.js';

/**
 * wgpolicyk8s.io/v1alpha2 reports (kubernetes-sigs/wg-policy-prototypes, the shape Kyverno and
 * Policy Reporter read), as a YAML stream to `kubectl apply`: a PolicyReport per namespace that has
 * results, and one ClusterPolicyReport for cluster-scoped resources, resources whose manifest
 * names no namespace, and findings about no resource. The ClusterPolicyReport is always written, so
 * a clean run still leaves a report saying so.
 */
export const policyreport: Reporter = (report, context) => {
  // kubectl reads YAML 1.1, where an unquoted 2026-12-31 is a timestamp and "on" a boolean: quote
  // such strings as 1.1 needs, or the CRD's string-only properties reject the report.
  return policyReportDocuments(report, context)
    .map((document) => `---\n${stringify(document, { lineWidth: 0, version: '1.1' })}`)
    .join('');
};

/** What one run speaks for, when the reports are written back to a cluster (the in-cluster job). */
export interface PolicyReportScope {
  /** A PolicyReport for each of these namespaces (empty when clean) and for no other. */
  namespaces: readonly string[];
  /** Write the ClusterPolicyReport too (not from -n runs, and from one shard only). */
  cluster: boolean;
}

/** The report objects: one PolicyReport per namespace with results (or per namespace of the scope), then the ClusterPolicyReport. */
export function policyReportDocuments(report: Parameters<Reporter>[0], context: Parameters<Reporter>[1], scope?: PolicyReportScope): Array<ReturnType<typeof policyReport>> {
  const allowed = pssResults(report)
    .filter((r) => r.allowed)
    .sort((a, b) => compareLocations(a.location, b.location) || compareStrings(resourceLabel(a.resource), resourceLabel(b.resource)));
  const entries = [
    ...sortFindings(report.findings).map((f) => ({ namespace: namespaceOf(f.resource), result: findingResult(f, context) })),
    ...allowed.map((r) => ({ namespace: namespaceOf(r.resource), result: passResult(r) })),
  ];
  const byNamespace = groupBy(entries, (entry) => entry.namespace);
  const resultsIn = (namespace: string | undefined): PolicyResult[] => (byNamespace.get(namespace) ?? []).map((entry) => entry.result);

  const namespaces = scope ? [...new Set(scope.namespaces)].sort(compareStrings) : [...byNamespace.keys()].filter((ns): ns is string => ns !== undefined).sort(compareStrings);
  return [
    ...namespaces.map((namespace) => policyReport('PolicyReport', report.tool.name, resultsIn(namespace), namespace)),
    ...(scope && !scope.cluster ? [] : [policyReport('ClusterPolicyReport', report.tool.name, resultsIn(undefined))]),
  ];
}

const API_VERSION = 'wgpolicyk8s.io/v1alpha2';

/** The CRD's result values; palisade reports fail (a finding), skip (suppressed) and pass (PSS allowed). */
type Outcome = 'pass' | 'fail' | 'warn' | 'error' | 'skip';

interface PolicyResult {
  source: string;
  policy: string;
  rule: string;
  category: string;
  severity?: string;
  result: Outcome;
  scored: boolean;
  message: string;
  resources?: ResourceRef[];
  /** The CRD allows only string values here. */
  properties: Record<string, string>;
}

function policyReport(kind: 'PolicyReport' | 'ClusterPolicyReport', tool: string, results: PolicyResult[], namespace?: string) {
  const summary: Record<Outcome, number> = { pass: 0, fail: 0, warn: 0, error: 0, skip: 0 };
  for (const r of results) summary[r.result]++;
  return {
    apiVersion: API_VERSION,
    kind,
    metadata: { name: tool, ...(namespace !== undefined ? { namespace } : {}), labels: { 'app.kubernetes.io/managed-by': tool } },
    summary,
    results,
  };
}

function findingResult(finding: Finding, context: ReportContext): PolicyResult {
  const properties = locationProperties(finding.location);
  if (finding.path !== undefined) properties.path = finding.path;
  if (finding.container !== undefined) properties.container = finding.container;
  for (const [framework, ids] of Object.entries(finding.frameworks ?? {})) if (ids && ids.length > 0) properties[framework] = ids.join(', ');
  if (finding.remediation) properties.remediation = finding.remediation;
  if (finding.suppressed) {
    properties.suppressedBy = finding.suppressed.by;
    properties.justification = finding.suppressed.reason;
    if (finding.suppressed.expires) properties.expires = finding.suppressed.expires;
  }
  return {
    source: 'palisade',
    policy: finding.checkId,
    rule: finding.title,
    category: context.ruleInfo?.(finding.checkId)?.category ?? fallbackCategory(finding),
    severity: finding.severity,
    result: finding.suppressed ? 'skip' : 'fail',
    scored: true,
    message: finding.message,
    ...(finding.resource ? { resources: [resourceReference(finding.resource)] } : {}),
    properties,
  };
}

function passResult(result: PssResultView): PolicyResult {
  const properties: Record<string, string> = { ...locationProperties(result.location), podSpecPath: result.podSpecPath };
  return {
    source: 'palisade',
    policy: 'PodSecurity',
    rule: policyName(result),
    category: PSS_CATEGORY,
    result: 'pass',
    scored: true,
    message: `allowed by PodSecurity "${policyName(result)}"`,
    resources: [resourceReference(result.resource)],
    properties,
  };
}

/** An empty namespace is no namespace, as in the API server. */
function namespaceOf(resource: ResourceRef | undefined): string | undefined {
  return resource?.namespace || undefined;
}

function locationProperties(location: Location | undefined): Record<string, string> {
  return location ? { file: location.file, line: String(location.line), column: String(location.column) } : {};
}

/** An ObjectReference with only the fields the CRD knows, in its order. */
function resourceReference(resource: ResourceRef): ResourceRef {
  return { apiVersion: resource.apiVersion, kind: resource.kind, name: resource.name, ...(resource.namespace ? { namespace: resource.namespace } : {}) };
}

const PSS_CATEGORY = 'Pod Security Standards';

/** Without check metadata: PSS findings by their framework, input errors by their code's module. */
function fallbackCategory(finding: Finding): string {
  if (finding.frameworks?.pss) return PSS_CATEGORY;
  if (/^(LOAD|CONFIG)_/.test(finding.checkId)) return 'Input';
  return 'Security';
}
