import type { PodMeta, PodSpec } from './podSpec.js';

/** Pod Security Standards levels, weakest first. */
export type Level = 'privileged' | 'baseline' | 'restricted';

/** The levels a check can belong to: privileged has no checks. */
export type CheckLevel = Exclude<Level, 'privileged'>;

/**
 * An offending field: a JSON pointer relative to the pod spec (`/containers/0/securityContext`) or
 * to the pod metadata (`/annotations/seccomp.security.alpha.kubernetes.io~1pod`). When the field is
 * missing, the pointer names its deepest existing parent.
 */
export interface FieldRef {
  in: 'spec' | 'metadata';
  pointer: string;
}

/**
 * Upstream's CheckResult. `reason` is a short fixed phrase (`runAsNonRoot != true`); `detail` names
 * the containers or values, in upstream's exact words.
 */
export interface CheckResult {
  allowed: boolean;
  reason?: string;
  detail?: string;
  fields?: FieldRef[];
}

/** A pure check of one policy version. */
export type EvaluateFn = (meta: PodMeta, spec: PodSpec) => CheckResult;

export interface VersionedCheck {
  /** First policy version this behaviour applies to, `v1.<minor>`; never `latest`. */
  minimumVersion: string;
  evaluate: EvaluateFn;
  /** Baseline check IDs this (restricted) check replaces while this version applies. */
  overrides?: readonly string[];
}

/** One upstream check: behaviour changes append a version and never edit an old one. */
export interface PssCheck {
  /** The upstream check ID, e.g. `runAsNonRoot`. */
  id: string;
  level: CheckLevel;
  /** One line for `checks list`. */
  title: string;
  /** Why the check exists, from upstream's header comment. */
  description: string;
  versions: readonly VersionedCheck[];
}
