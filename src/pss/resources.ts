import { PalisadeError } from '../core/errors.js';
import type { Resource } from '../core/load.js';
import type { Finding, Location, ResourceRef } from '../core/types.js';
import { DEFAULT_TABLE, evaluationSpec, findPodSpecs, type ContainerKind, type PodSpecRef, type WorkloadTable } from '../workloads/index.js';
import { denialMessage, evaluatePodSpec, LATEST_VERSION, parseLevel, parseVersion, type Level, type PssEvaluation } from './index.js';
import { formatMessage } from '../core/rule.js';
import { pssRuleOf } from './ruleset.js';

/**
 * Pod Security Standards over loaded resources: finds every pod spec, decides the policy that applies
 * (flags, else the namespace's pod-security.kubernetes.io labels, else the configured default, else
 * restricted:latest), evaluates
 * it and turns violations into findings that point at the offending field.
 */

export type AdmissionMode = 'enforce' | 'warn' | 'audit';
export const ADMISSION_MODES: readonly AdmissionMode[] = ['enforce', 'warn', 'audit'];
export const PSA_LABEL_PREFIX = 'pod-security.kubernetes.io/';

export interface Policy {
  level: Level;
  version: string;
}

/** What a namespace's labels say, per mode. Unset modes are absent; enforce defaults to privileged. */
export type NamespacePolicy = Partial<Record<AdmissionMode, Policy>>;

export interface PssResult {
  resource: ResourceRef;
  location: Location;
  podSpecPath: string;
  containers: Array<{ name: string; kind: ContainerKind; path: string }>;
  level: Level;
  version: string;
  allowed: boolean;
  violations: Array<{ check: string; reason: string; detail: string }>;
  /** Where the level came from. */
  policySource: 'flag' | 'namespace' | 'config' | 'default';
  /** For namespace-labelled pods: what admission would do in each labelled mode. */
  namespace?: { name: string } & Partial<Record<AdmissionMode, { level: Level; version: string; allowed: boolean }>>;
  /** The API server's denial text, when not allowed. */
  message?: string;
  /** Found by the structural fallback (kind not in the workloads table). */
  discovered?: boolean;
}

export interface PssOptions {
  level?: Level;
  version?: string;
  table?: WorkloadTable;
  /** Namespace policies gathered beforehand (e.g. from other files); default: from these resources. */
  policies?: ReadonlyMap<string, NamespacePolicy>;
  /**
   * The policy for pods whose namespace has no PSA labels (config `pss:`), like the `defaults` of the
   * API server's PodSecurity AdmissionConfiguration. Unset parts are restricted and latest.
   */
  defaults?: Partial<Policy>;
  /** Pod specs already found by the caller, so the walk is not done twice. */
  podSpecsOf?: (resource: Resource) => readonly PodSpecRef[];
}

export interface PssOutcome {
  results: PssResult[];
  findings: Finding[];
  /** Bad namespace labels and the like: reported, never fatal. */
  errors: PalisadeError[];
}

/** Namespace name → policy, from Namespace objects in the input. Invalid labels fall back to restricted:latest, as the API server does. */
export function namespacePolicies(resources: readonly Resource[], errors: PalisadeError[] = []): Map<string, NamespacePolicy> {
  const policies = new Map<string, NamespacePolicy>();
  for (const resource of resources) {
    if (resource.ref.kind !== 'Namespace' || resource.ref.apiVersion !== 'v1') continue;
    const labels = ((resource.object.metadata as { labels?: Record<string, unknown> } | undefined)?.labels ?? {}) as Record<string, unknown>;
    const policy: NamespacePolicy = {};
    for (const mode of ADMISSION_MODES) {
      const levelLabel = labels[PSA_LABEL_PREFIX + mode];
      const versionLabel = labels[`${PSA_LABEL_PREFIX}${mode}-version`];
      if (levelLabel === undefined && versionLabel === undefined) continue;
      let level = levelLabel === undefined ? 'privileged' : parseLevel(String(levelLabel));
      let version = versionLabel === undefined ? 'latest' : parseVersion(String(versionLabel));
      if (level === undefined || version === undefined) {
        const bad = level === undefined ? `${PSA_LABEL_PREFIX}${mode}=${String(levelLabel)}` : `${PSA_LABEL_PREFIX}${mode}-version=${String(versionLabel)}`;
        const pointer = `/metadata/labels/${(level === undefined ? PSA_LABEL_PREFIX + mode : `${PSA_LABEL_PREFIX}${mode}-version`).replace(/~/g, '~0').replace(/\//g, '~1')}`;
        errors.push(new PalisadeError('PSS_BAD_NAMESPACE_LABEL', `invalid label ${bad}: expected privileged, baseline or restricted and v1.N or latest; the API server then applies restricted:latest`, { errorClass: 'warning', location: resource.locate(pointer) }));
        level = 'restricted';
        version = 'latest';
      }
      policy[mode] = { level, version };
    }
    if (Object.keys(policy).length > 0) policies.set(resource.ref.name, policy);
  }
  return policies;
}

const MODE_VERB: Record<AdmissionMode, string> = { enforce: 'would be rejected', warn: 'would get a warning', audit: 'would be audited' };

/** Evaluate every pod spec of every resource. Pure apart from reading the resources. */
export function evaluateResources(resources: readonly Resource[], options: PssOptions = {}): PssOutcome {
  const errors: PalisadeError[] = [];
  const policies = options.level || options.version ? new Map<string, NamespacePolicy>() : (options.policies ?? namespacePolicies(resources, errors));
  const results: PssResult[] = [];
  const findings: Finding[] = [];
  for (const resource of resources) {
    for (const ref of options.podSpecsOf?.(resource) ?? findPodSpecs(resource.object, options.table ?? DEFAULT_TABLE)) {
      const outcome = evaluateOne(resource, ref, options, policies);
      results.push(outcome.result);
      findings.push(...outcome.findings);
    }
  }
  return { results, findings, errors };
}

function evaluateOne(resource: Resource, ref: PodSpecRef, options: PssOptions, policies: ReadonlyMap<string, NamespacePolicy>): { result: PssResult; findings: Finding[] } {
  const { spec, toResourcePointer } = evaluationSpec(ref);
  const meta = ref.metadata;
  const namespaceName = resource.ref.namespace;
  const nsPolicy = namespaceName !== undefined ? policies.get(namespaceName) : undefined;

  // Which evaluations to run, strongest action first.
  let policySource: PssResult['policySource'];
  const modes: Array<{ mode: AdmissionMode; policy: Policy }> = [];
  if (options.level || options.version) {
    policySource = 'flag';
    modes.push({ mode: 'enforce', policy: { level: options.level ?? 'restricted', version: options.version ?? 'latest' } });
  } else if (nsPolicy) {
    policySource = 'namespace';
    modes.push({ mode: 'enforce', policy: nsPolicy.enforce ?? { level: 'privileged', version: 'latest' } });
    if (nsPolicy.warn) modes.push({ mode: 'warn', policy: nsPolicy.warn });
    if (nsPolicy.audit) modes.push({ mode: 'audit', policy: nsPolicy.audit });
  } else {
    policySource = options.defaults?.level || options.defaults?.version ? 'config' : 'default';
    modes.push({ mode: 'enforce', policy: { level: options.defaults?.level ?? 'restricted', version: options.defaults?.version ?? 'latest' } });
  }
  const evaluations = modes.map(({ mode, policy }) => ({ mode, evaluation: evaluatePodSpec(meta, spec, policy) }));
  const primary = evaluations[0]!.evaluation;

  const result: PssResult = {
    resource: resource.ref,
    location: resource.locate(ref.podSpecPath),
    podSpecPath: ref.podSpecPath,
    containers: ref.containers.map(({ name, kind, path }) => ({ name, kind, path })),
    level: primary.level,
    version: primary.version,
    allowed: primary.allowed,
    violations: primary.violations.map(({ check, reason, detail }) => ({ check, reason, detail })),
    policySource,
  };
  if (!primary.allowed) result.message = denialMessage(primary);
  if (ref.discovered) result.discovered = true;
  if (policySource === 'namespace') {
    result.namespace = { name: namespaceName! };
    for (const { mode, evaluation } of evaluations) result.namespace[mode] = { level: evaluation.level, version: evaluation.version, allowed: evaluation.allowed };
  }

  // One finding per offending field; a check flagged by several modes is reported once, by the strongest.
  const findings: Finding[] = [];
  const reported = new Set<string>();
  for (const { mode, evaluation } of evaluations) {
    for (const violation of evaluation.violations) {
      const rule = pssRuleOf(violation.check);
      const fields = violation.fields.length > 0 ? violation.fields : [{ in: 'spec' as const, pointer: '' }];
      for (const field of fields) {
        const path = field.in === 'metadata' ? (ref.metadataPath ?? '/metadata') + field.pointer : toResourcePointer(field.pointer);
        const key = `${violation.check}|${path}`;
        if (reported.has(key)) continue;
        reported.add(key);
        const container = containerAt(ref, path);
        const policyName = `${evaluation.level}:${evaluation.version}`;
        const consequence = policySource === 'namespace' ? ` (namespace ${namespaceName} ${MODE_VERB[mode]}: ${mode} ${policyName})` : '';
        const finding: Finding = {
          checkId: rule.id,
          severity: rule.severity,
          title: rule.title,
          message: formatMessage(rule, 'violation', { policy: policyName, reason: violation.reason, detail: violation.detail, consequence }),
          resource: resource.ref,
          path,
          location: resource.locate(path),
          remediation: rule.remediation,
          frameworks: rule.frameworks,
          admission: mode,
        };
        if (container) finding.container = container;
        findings.push(finding);
      }
    }
  }
  return { result, findings };
}

function containerAt(ref: PodSpecRef, path: string): string | undefined {
  return ref.containers.find((c) => path === c.path || path.startsWith(c.path + '/'))?.name;
}

export { LATEST_VERSION };
export type { PssEvaluation };
