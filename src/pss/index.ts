/**
 * Pod Security Standards, exactly as the API server's pod-security-admission evaluates them: the
 * only import surface of src/pss/ for other modules.
 */
import { ALL_CHECKS } from './checks/index.js';
import type { CheckLevel } from './types.js';

export { createEvaluator, denialMessage, evaluatePodSpec, LATEST_VERSION, parseLevel, parseVersion, UNKNOWN_FORBIDDEN_REASON } from './evaluate.js';
export type { Evaluator, PodMetadata, Policy, PssEvaluation, Violation } from './evaluate.js';
export { PSS_RULES, pssCheckId, pssRuleOf } from './ruleset.js';
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
