/**
 * Pod Security Standards, exactly as the API server's pod-security-admission evaluates them: the
 * only import surface of src/pss/ for other modules.
 */
import { ALL_CHECKS } from './checks/index.js';
import type { CheckLevel } from './types.js';
import { createRegistry } from './registry.js';
import { minorOf } from './version.js';

export { createEvaluator, denialMessage, evaluatePodSpec, LATEST_VERSION, podEvaluator, parseLevel, parseVersion, UNKNOWN_FORBIDDEN_REASON } from './evaluate.js';
export type { Evaluator, PodMetadata, Policy, PssEvaluation, Violation } from './evaluate.js';
export { PSS_RULES, pssCheckId, pssRuleOf } from './ruleset.js';
export { ADMISSION_MODES, evaluateResources, namespacePolicies, PSA_LABEL_PREFIX, type AdmissionMode, type NamespacePolicy, type PssOptions, type PssOutcome, type PssResult } from './resources.js';
export type { PssRule } from './meta.js';
export type { CheckLevel, CheckResult, EvaluateFn, FieldRef, Level, PssCheck, VersionedCheck } from './types.js';

/** What `checks list` shows of a PSS check. */
export interface PssCheckInfo {
  id: string;
  level: CheckLevel;
  title: string;
  description: string;
  /** The policy versions at which the check's behaviour starts or changes. */
  versions: readonly string[];
}

export const PSS_CHECKS: readonly PssCheckInfo[] = ALL_CHECKS.map(({ id, level, title, description, versions }) => ({
  id,
  level,
  title,
  description,
  versions: versions.map((v) => v.minimumVersion),
}));

/**
 * The checks in force at a level and version, in message order, each with the minimum version of
 * the behaviour that applies: what an exporter (src/export) translates. `latest` and unknown newer
 * versions use the newest table, as evaluation does.
 */
export interface ActiveCheck {
  id: string;
  minimumVersion: string;
}

const EXPORT_REGISTRY = createRegistry(ALL_CHECKS);

export function activeChecks(level: CheckLevel, version: string): ActiveCheck[] {
  const minor = Math.min(minorOf(version) ?? EXPORT_REGISTRY.newestMinor, EXPORT_REGISTRY.newestMinor);
  return EXPORT_REGISTRY.table(level, minor).map(({ id }) => {
    const check = ALL_CHECKS.find((c) => c.id === id)!;
    const active = check.versions.filter((v) => (minorOf(v.minimumVersion) ?? Infinity) <= minor).at(-1)!;
    return { id, minimumVersion: active.minimumVersion };
  });
}

/** The allow-lists behind the checks, for translations that must list the same values. */
export { accumulate, type AllowListStep } from './helpers.js';
export { APPARMOR_CONTAINER_ANNOTATION_PREFIX } from './checks/appArmorProfile.js';
export { BASELINE_CAPABILITIES_1_0 } from './checks/capabilities_baseline.js';
export { RESTRICTED_VOLUME_SOURCES } from './checks/restrictedVolumes.js';
export { ALLOWED_SECCOMP_TYPES, SECCOMP_CONTAINER_ANNOTATION_PREFIX, SECCOMP_POD_ANNOTATION } from './checks/seccompProfile_baseline.js';
export { ALLOWED_SELINUX_TYPES } from './checks/seLinuxOptions.js';
export { SAFE_SYSCTLS } from './checks/sysctls.js';
export { VOLUME_SOURCES } from './podSpec.js';
export { minorOf, versionOf } from './version.js';

