import { ALL_CHECKS } from './checks/index.js';
import { decodePodMeta, decodePodSpec, type PodMeta, type PodSpec } from './podSpec.js';
import { createRegistry } from './registry.js';
import type { CheckLevel, CheckResult, EvaluateFn, FieldRef, Level, PssCheck } from './types.js';
import { LATEST, minorOf, versionOf } from './version.js';

/** Evaluating a pod spec against a level and version, and the API server's denial text. */

export interface PodMetadata {
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface Violation {
  /** Upstream check ID. */
  check: string;
  reason: string;
  detail: string;
  fields: FieldRef[];
}

export interface PssEvaluation {
  level: Level;
  /** The version evaluated: `latest` resolved to LATEST_VERSION, explicit versions as given. */
  version: string;
  allowed: boolean;
  violations: Violation[];
}

const LEVELS: readonly Level[] = ['privileged', 'baseline', 'restricted'];

/** Upstream's placeholder for a check that denies without saying why. */
export const UNKNOWN_FORBIDDEN_REASON = 'unknown forbidden reason';

export function parseLevel(text: string): Level | undefined {
  return LEVELS.find((level) => level === text);
}

/** `v1.<minor>` or `latest`, exactly as the pod-security.kubernetes.io labels accept them; anything else is undefined. */
export function parseVersion(text: string): string | undefined {
  if (text === LATEST) return LATEST;
  // The pattern admits no leading zero: a version that parses is already written as upstream prints it.
  return minorOf(text) === undefined ? undefined : text;
}

export interface Policy {
  level: Level;
  version: string;
}

export interface Evaluator {
  /** The newest policy version the checks know, e.g. `v1.37`: what `latest` means. */
  latestVersion: string;
  /**
   * Evaluate a pod spec (any value: odd input never throws, see podSpec.ts) against a policy. An
   * unknown level or version is evaluated as the API server does for a bad namespace label:
   * restricted, latest. Versions newer than any check use the newest table.
   */
  evaluatePodSpec(meta: PodMetadata, spec: unknown, policy: Policy): PssEvaluation;
  /**
   * One pod judged at several policies (PSA's enforce, audit and warn): the pod is decoded once and
   * each check function runs at most once, since a restricted table repeats baseline's functions and
   * versions share unchanged ones. Each call of the returned function equals evaluatePodSpec's
   * answer for that policy; the checks are pure, so their results can be shared.
   */
  evaluatorFor(meta: PodMetadata, spec: unknown): (policy: Policy) => PssEvaluation;
}

/** An evaluator over a list of checks, validated once (upstream's NewEvaluator). */
export function createEvaluator(checks: readonly PssCheck[]): Evaluator {
  const registry = createRegistry(checks);
  const latestVersion = versionOf(registry.newestMinor);
  const resolve = (policy: Policy): Policy => {
    const parsed = parseVersion(policy.version);
    return { level: parseLevel(policy.level) ?? 'restricted', version: parsed === undefined || parsed === LATEST ? latestVersion : parsed };
  };
  /** `run` evaluates one check function on the decoded pod (directly, or through a memo). */
  const evaluateAt = ({ level, version }: Policy, run: (evaluate: EvaluateFn) => CheckResult): PssEvaluation => {
    const violations: Violation[] = [];
    for (const { id, evaluate } of registry.table(level as CheckLevel, minorOf(version) ?? registry.newestMinor)) {
      const result = run(evaluate);
      if (result.allowed) continue;
      violations.push({ check: id, reason: result.reason || UNKNOWN_FORBIDDEN_REASON, detail: result.detail ?? '', fields: result.fields ?? [] });
    }
    return { level, version, allowed: violations.length === 0, violations };
  };
  return {
    latestVersion,
    evaluatePodSpec(meta, spec, policy) {
      const resolved = resolve(policy);
      if (resolved.level === 'privileged') return { ...resolved, allowed: true, violations: [] };
      const podMeta = decodePodMeta(meta);
      const podSpec = decodePodSpec(spec);
      return evaluateAt(resolved, (evaluate) => evaluate(podMeta, podSpec));
    },
    evaluatorFor(meta, spec) {
      let decoded: { podMeta: PodMeta; podSpec: PodSpec } | undefined;
      const results = new Map<EvaluateFn, CheckResult>();
      const run = (evaluate: EvaluateFn): CheckResult => {
        let result = results.get(evaluate);
        if (result === undefined) {
          decoded ??= { podMeta: decodePodMeta(meta), podSpec: decodePodSpec(spec) };
          result = evaluate(decoded.podMeta, decoded.podSpec);
          results.set(evaluate, result);
        }
        return result;
      };
      return (policy) => {
        const resolved = resolve(policy);
        return resolved.level === 'privileged' ? { ...resolved, allowed: true, violations: [] } : evaluateAt(resolved, run);
      };
    },
  };
}

const DEFAULT_EVALUATOR = createEvaluator(ALL_CHECKS);

/** The newest policy version any check knows, e.g. `v1.37`. */
export const LATEST_VERSION = DEFAULT_EVALUATOR.latestVersion;

/** Evaluate a pod spec against a policy with upstream's checks; see Evaluator. */
export function evaluatePodSpec(meta: PodMetadata, spec: unknown, policy: Policy): PssEvaluation {
  return DEFAULT_EVALUATOR.evaluatePodSpec(meta, spec, policy);
}

/** One pod at several policies, decoded and checked once; see Evaluator.evaluatorFor. */
export function podEvaluator(meta: PodMetadata, spec: unknown): (policy: Policy) => PssEvaluation {
  return DEFAULT_EVALUATOR.evaluatorFor(meta, spec);
}

/**
 * The API server's denial text, as upstream's AggregateCheckResults formats it:
 * `violates PodSecurity "restricted:v1.37": reason (detail), reason, …`. Empty when allowed.
 */
export function denialMessage(evaluation: PssEvaluation): string {
  if (evaluation.allowed) return '';
  const parts = evaluation.violations.map(({ reason, detail }) => (detail ? `${reason} (${detail})` : reason));
  return `violates PodSecurity "${evaluation.level}:${evaluation.version}": ${parts.join(', ')}`;
}
