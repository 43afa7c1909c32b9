import { ALL_CHECKS } from './checks/index.js';
import { decodePodMeta, decodePodSpec } from './podSpec.js';
import { createRegistry } from './registry.js';
import type { FieldRef, Level, PssCheck } from './types.js';
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
  const minor = minorOf(text);
  return minor === undefined ? undefined : versionOf(minor);
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
}

/** An evaluator over a list of checks, validated once (upstream's NewEvaluator). */
export function createEvaluator(checks: readonly PssCheck[]): Evaluator {
  const registry = createRegistry(checks);
  const latestVersion = versionOf(registry.newestMinor);
  return {
    latestVersion,
    evaluatePodSpec(meta, spec, policy) {
      const level = parseLevel(policy.level) ?? 'restricted';
      const parsed = parseVersion(policy.version);
      const version = parsed === undefined || parsed === LATEST ? latestVersion : parsed;
      if (level === 'privileged') return { level, version, allowed: true, violations: [] };

      const podMeta = decodePodMeta(meta);
      const podSpec = decodePodSpec(spec);
      const violations: Violation[] = [];
      for (const { id, evaluate } of registry.table(level, minorOf(version) ?? registry.newestMinor)) {
        const result = evaluate(podMeta, podSpec);
        if (result.allowed) continue;
        violations.push({ check: id, reason: result.reason || UNKNOWN_FORBIDDEN_REASON, detail: result.detail ?? '', fields: result.fields ?? [] });
      }
      return { level, version, allowed: violations.length === 0, violations };
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

/**
 * The API server's denial text, as upstream's AggregateCheckResults formats it:
 * `violates PodSecurity "restricted:v1.37": reason (detail), reason, …`. Empty when allowed.
 */
export function denialMessage(evaluation: PssEvaluation): string {
  if (evaluation.allowed) return '';
  const parts = evaluation.violations.map(({ reason, detail }) => (detail ? `${reason} (${detail})` : reason));
  return `violates PodSecurity "${evaluation.level}:${evaluation.version}": ${parts.join(', ')}`;
}
